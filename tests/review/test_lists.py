"""The city's and the office's lists: searched by bureau, paged, in a constant number of queries."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.enums import ApplicationState as S
from applications.services import application_create
from organizations.enums import Role
from organizations.models import Bureau
from review.services import deadline_extension_grant
from tests.states import actor, office, reach

pytestmark = pytest.mark.django_db


def _harbin(n: int) -> list[Bureau]:
    return list(Bureau.objects.filter(parent__code="230100").order_by("code")[:n])


def _reach_all(cycle, counties, state) -> list:
    return [
        reach(
            application_create(
                cycle=cycle, county=county, by=actor(Role.COUNTY_HEAD, bureau=county)
            ),
            state,
        )
        for county in counties
    ]


def _review_links(body: str) -> int:
    return len(re.findall(r'href="/review/applications/\d+/"', body))


def test_dashboard_searches_by_county_name_or_code(client, cast, cycle):
    first, second = _harbin(2)
    _reach_all(cycle, [first, second], S.SUBMITTED)
    client.force_login(cast.city_a_reviewer)
    url = reverse("review:dashboard")
    body = client.get(url, {"q": second.name[3:6]}).content.decode()
    assert _review_links(body) == 1
    assert second.name in body
    assert "共 1 份申报" in body
    assert _review_links(client.get(url, {"q": first.code}).content.decode()) == 1
    response = client.get(url, {"state": "nonsense"})
    assert response.status_code == 400
    assert _review_links(response.content.decode()) == 0


def _extensions(cycle, cities) -> None:
    for city in cities:
        deadline_extension_grant(
            cycle=cycle,
            city=city,
            by=office(),
            until=cycle.city_deadline + timezone.timedelta(days=10),
            reason="汛期延误",
        )


def _extension_rows(body: str) -> list[str]:
    return re.findall(r"<tr><td>\d{4}</td><td>([^<]+)</td>", body)


@pytest.mark.parametrize("n", [1, 5])
def test_extensions_page_queries(client, cast, cycle, n, django_assert_num_queries):
    _extensions(
        cycle, Bureau.objects.filter(level="city", code__startswith="23").order_by("code")[:n]
    )
    client.force_login(cast.office)
    url = reverse("review:deadline_extensions")
    client.get(url)
    # The session, user, device, memberships, inbox; the cycle, the form's cities, the filter's
    # cities, the page's total and its rows.
    with django_assert_num_queries(10):
        body = client.get(url).content.decode()
    assert len(_extension_rows(body)) == n
    assert f"共 {n} 项特许" in body


def test_extensions_search_and_city_filter(client, cast, cycle):
    harbin, qiqihar = Bureau.objects.get(code="230100"), Bureau.objects.get(code="230200")
    _extensions(cycle, [harbin, qiqihar])
    client.force_login(cast.office)
    url = reverse("review:deadline_extensions")
    assert _extension_rows(client.get(url, {"q": "齐齐哈尔"}).content.decode()) == [qiqihar.name]
    assert _extension_rows(client.get(url, {"q": "230100"}).content.decode()) == [harbin.name]
    assert _extension_rows(client.get(url, {"city": qiqihar.pk}).content.decode()) == [qiqihar.name]
    response = client.get(url, {"city": "x"})
    assert response.status_code == 400
    assert _extension_rows(response.content.decode()) == []


def _batch_links(body: str) -> int:
    return len(re.findall(r'href="/review/batches/\d+/"', body))


@pytest.mark.parametrize("n", [1, 4])
def test_forward_page_queries_and_search(client, cast, cycle, n, django_assert_num_queries):
    counties = _harbin(n)
    _reach_all(cycle, counties, S.FORWARDED)
    client.force_login(cast.city_a_head)
    url = reverse("review:forward")
    client.get(url)
    # The session, user, device, memberships, inbox; the cycle, the applications ready, the
    # deadline's extension, the batches' total, the batches and their applications.
    with django_assert_num_queries(12):
        body = client.get(url).content.decode()
    assert _batch_links(body) == n
    assert f"共 {n} 批" in body
    body = client.get(url, {"q": counties[-1].name}).content.decode()
    assert _batch_links(body) == 1
