"""The list pages: what each role sees, in a number of queries that does not grow with the rows."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.enums import Action, ApplicationState
from applications.services import (
    application_create,
    county_deadline_set,
    cycle_close,
    cycle_create,
    cycle_open,
)
from core.actors import SystemActor
from organizations.enums import Role
from organizations.models import Bureau
from portal.demo import application_fill_example
from tests.states import actor

from .helpers import fire, reach

pytestmark = pytest.mark.django_db

ROWS = [1, 5]


def _rows(body: str) -> int:
    return len(re.findall(r'<span class="badge state-badge state-', body))


def _counties_of_city_a(n: int) -> list[Bureau]:
    counties = list(Bureau.objects.filter(parent__code="230100").order_by("code")[:n])
    assert len(counties) == n
    return counties


def _cycles_with_county_a_applications(cycle, cast, n: int) -> None:
    """County A's application in ``n`` yearly cycles, one after the other."""
    county = Bureau.objects.get(code="230102")
    application_create(cycle=cycle, county=county, by=cast.county_a_applicant)
    for year in range(cycle.year + 1, cycle.year + n):
        cycle_close(cycle=cycle, by=SystemActor.LOADER)
        cycle = cycle_open(
            cycle=cycle_create(
                year=year, criteria_version=cycle.criteria_version, by=SystemActor.LOADER
            ),
            by=SystemActor.LOADER,
        )
        application_create(cycle=cycle, county=county, by=cast.county_a_applicant)


def _applications_in(cycle, cast, n: int, state: str) -> None:
    """``n`` complete applications of city A's counties, walked to ``state``."""
    for county in _counties_of_city_a(n):
        head = actor(Role.COUNTY_HEAD, bureau=county)
        application = application_create(cycle=cycle, county=county, by=head)
        application_fill_example(application, by=head)
        reach(application, state)


@pytest.mark.parametrize("n", ROWS)
def test_county_list_queries(client, cast, cycle, n, django_assert_num_queries):
    _cycles_with_county_a_applications(cycle, cast, n)
    client.force_login(cast.county_a_applicant)
    # The page's rows and their total (the pager's count).
    with django_assert_num_queries(11):
        body = client.get(reverse("applications:list")).content.decode()
    assert _rows(body) == n
    assert reverse("applications:create") not in body  # this cycle's application exists


@pytest.mark.parametrize("n", ROWS)
def test_city_list_queries(client, cast, cycle, n, django_assert_num_queries):
    _applications_in(cycle, cast, n, ApplicationState.SUBMITTED)
    client.force_login(cast.city_a_reviewer)
    with django_assert_num_queries(10):
        body = client.get(reverse("applications:list")).content.decode()
    assert _rows(body) == n
    assert body.count("state-badge state-submitted") == n


@pytest.mark.parametrize("n", ROWS)
def test_office_list_queries(client, cast, cycle, n, django_assert_num_queries):
    _applications_in(cycle, cast, n, ApplicationState.FORWARDED)
    client.force_login(cast.office)
    # Two more than the city's: the device that verified the session's second factor, and the
    # cities of the city filter.
    with django_assert_num_queries(12):
        body = client.get(reverse("applications:list")).content.decode()
    assert _rows(body) == n
    assert body.count("state-badge state-forwarded") == n


def test_the_list_filters_by_state_and_county(client, cast, cycle):
    _applications_in(cycle, cast, 2, ApplicationState.SUBMITTED)
    first, second = _counties_of_city_a(2)
    application = second.applications.get()
    fire(application, Action.APPROVE)
    client.force_login(cast.city_a_reviewer)
    url = reverse("applications:list")
    body = client.get(url, {"state": ApplicationState.CITY_APPROVED}).content.decode()
    assert _rows(body) == 1
    assert second.name in body
    body = client.get(url, {"county": first.code}).content.decode()
    assert _rows(body) == 1
    assert first.name in body
    # A state that does not exist is an error: no row, the message, what was typed kept.
    response = client.get(url, {"state": "nonsense", "q": first.name})
    assert response.status_code == 400
    body = response.content.decode()
    assert _rows(body) == 0
    assert "选择一个有效的选项" in body
    assert f'value="{first.name}"' in body


def test_the_list_searches_by_bureau_name_or_code_and_filters_by_city(client, cast, cycle):
    _applications_in(cycle, cast, 3, ApplicationState.FORWARDED)
    _first, second, third = _counties_of_city_a(3)
    url = reverse("applications:list")
    client.force_login(cast.city_a_reviewer)
    body = client.get(url, {"q": second.name[3:6]}).content.decode()
    assert _rows(body) == 1
    assert second.name in body
    body = client.get(url, {"q": third.code}).content.decode()
    assert _rows(body) == 1
    assert third.name in body
    assert "共 1 份申报" in body
    # One city: no city filter.
    assert 'name="city"' not in body
    client.force_login(cast.office)
    harbin, qiqihar = Bureau.objects.get(code="230100"), Bureau.objects.get(code="230200")
    assert _rows(client.get(url, {"city": harbin.pk}).content.decode()) == 3
    assert _rows(client.get(url, {"city": qiqihar.pk}).content.decode()) == 0
    response = client.get(url, {"city": "999999"})
    assert response.status_code == 400
    assert _rows(response.content.decode()) == 0


def _cycles(cycle, cast, n: int) -> None:
    """``n`` cycles: the open one with city A's earlier deadline, and ``n - 1`` in preparation."""
    county_deadline_set(
        cycle=cycle,
        city=Bureau.objects.get(code="230100"),
        deadline=timezone.localdate() + timezone.timedelta(days=30),
        by=cast.city_a_head,
    )
    for year in range(cycle.year + 1, cycle.year + n):
        cycle_create(year=year, criteria_version=cycle.criteria_version, by=SystemActor.LOADER)


@pytest.mark.parametrize("n", ROWS)
@pytest.mark.parametrize(
    ("who", "queries"),
    # The office and the city head also load the device of their session's second factor.
    [("office", 10), ("city_a_head", 10), ("county_a_applicant", 8)],
)
def test_cycle_list_queries(client, cast, cycle, n, who, queries, django_assert_num_queries):
    _cycles(cycle, cast, n)
    client.force_login(getattr(cast, who))
    with django_assert_num_queries(queries):
        body = client.get(reverse("applications:cycle_list")).content.decode()
    assert body.count("<tr>") - 1 == n  # the header row and one per cycle
    assert (reverse("applications:cycle_create") in body) == (who == "office")
    assert (f'id="deadline-{cycle.pk}"' in body) == (who == "city_a_head")
