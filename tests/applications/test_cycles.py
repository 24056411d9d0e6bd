"""The cycle pages: the office creates, opens and closes cycles; a city head sets its deadline."""

import re
from datetime import date, timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from applications.enums import CycleState
from applications.models import CountyDeadline, Cycle
from applications.services import cycle_close
from audit.enums import AuditAction
from audit.models import AuditEntry
from core.actors import SystemActor
from tests.states import nothing_moves

pytestmark = pytest.mark.django_db


def _messages(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def _local(day) -> str:
    return day.isoformat()


def test_the_office_creates_a_cycle(client, cast, cycle):
    client.force_login(cast.office)
    response = client.post(
        reverse("applications:cycle_create"),
        {
            "year": cycle.year + 1,
            "criteria_version": cycle.criteria_version_id,
            "legal_aid_provincial_average": "95",
        },
    )
    assert response["Location"] == reverse("applications:cycle_list")
    created = Cycle.objects.get(year=cycle.year + 1)
    assert (created.state, created.parameters) == (
        CycleState.DRAFT,
        {"legal_aid_provincial_average": "95"},
    )
    assert created.city_deadline == date(created.year, 7, 31)


def test_a_second_cycle_for_a_year_is_shown_again_with_the_error(client, cast, cycle):
    client.force_login(cast.office)
    with nothing_moves():
        response = client.post(
            reverse("applications:cycle_create"),
            {"year": cycle.year, "criteria_version": cycle.criteria_version_id},
        )
    assert response.status_code == 400
    body = response.content.decode()
    assert re.search(rf'<input[^>]*name="year"[^>]*value="{cycle.year}"', body)
    error = re.search(r'id="id_year_error">(.*?)</div>', body, flags=re.DOTALL).group(1)
    assert str(cycle.year) in error
    # The page is the whole list again, not a bare form.
    assert body.count("<tr>") - 1 == Cycle.objects.count()


@pytest.mark.parametrize(
    "who", ["city_a_head", "city_a_reviewer", "county_a_head", "evaluator_publicity"]
)
def test_only_the_office_manages_cycles(client, cast, cycle, who):
    client.force_login(getattr(cast, who))
    with nothing_moves():
        create = client.post(
            reverse("applications:cycle_create"),
            {"year": cycle.year + 1, "criteria_version": cycle.criteria_version_id},
        )
        close = client.post(reverse("applications:cycle_transition", args=[cycle.pk, "closed"]))
    assert (create.status_code, close.status_code) == (403, 403)
    page = client.get(reverse("applications:cycle_list")).content.decode()
    assert reverse("applications:cycle_create") not in page


def test_the_office_closes_and_cannot_reopen(client, cast, cycle):
    client.force_login(cast.office)
    client.post(reverse("applications:cycle_transition", args=[cycle.pk, "closed"]))
    cycle.refresh_from_db()
    assert cycle.state == CycleState.CLOSED
    with nothing_moves():
        response = client.post(reverse("applications:cycle_transition", args=[cycle.pk, "open"]))
    assert response["Location"] == reverse("applications:cycle_list")
    assert _messages(response)


def test_the_city_heads_deadline_for_its_counties(client, cast, cycle):
    client.force_login(cast.city_a_head)
    deadline = cycle.city_deadline - timedelta(days=10)
    response = client.post(
        reverse("applications:county_deadline", args=[cycle.pk]), {"deadline": _local(deadline)}
    )
    assert response["Location"] == reverse("applications:cycle_list")
    record = CountyDeadline.objects.get(cycle=cycle)
    assert (record.city.code, record.set_by) == ("230100", cast.city_a_head)
    assert record.deadline == deadline
    entry = AuditEntry.objects.get(action=AuditAction.COUNTY_DEADLINE_SET)
    assert (entry.actor, entry.details["city"]) == (cast.city_a_head, "230100")


@pytest.mark.parametrize("who", ["city_a_reviewer", "county_a_head", "office"])
def test_only_a_city_head_sets_the_county_deadline(client, cast, cycle, who):
    client.force_login(getattr(cast, who))
    with nothing_moves():
        response = client.post(
            reverse("applications:county_deadline", args=[cycle.pk]),
            {"deadline": _local(cycle.city_deadline - timedelta(days=10))},
        )
    assert response.status_code == 403


def test_no_county_deadline_once_the_cycle_is_closed(client, cast, cycle):
    cycle_close(cycle=cycle, by=SystemActor.LOADER)
    client.force_login(cast.city_a_head)
    with nothing_moves():
        response = client.post(
            reverse("applications:county_deadline", args=[cycle.pk]),
            {"deadline": _local(cycle.city_deadline - timedelta(days=10))},
        )
    assert response.status_code == 403


@pytest.mark.parametrize(
    "data",
    [{}, {"deadline": "明天"}, {"deadline": "later"}],
    ids=["empty", "words", "after-the-cycle"],
)
def test_a_wrong_county_deadline_is_refused_with_a_message(client, cast, cycle, data):
    if data.get("deadline") == "later":
        data = {"deadline": _local(cycle.city_deadline + timedelta(days=1))}
    client.force_login(cast.city_a_head)
    earlier = cycle.city_deadline - timedelta(days=10)
    client.post(
        reverse("applications:county_deadline", args=[cycle.pk]), {"deadline": _local(earlier)}
    )
    entries = AuditEntry.objects.filter(action=AuditAction.COUNTY_DEADLINE_SET).count()
    with nothing_moves():
        response = client.post(reverse("applications:county_deadline", args=[cycle.pk]), data)
    assert response.status_code == 400
    body = response.content.decode()
    error = body.split(f'id="deadline-{cycle.pk}-error"')[1].split("</div>")[0]
    assert {
        "empty": "这个字段是必填项。",
        "words": "请输入有效日期（格式：年-月-日，如2026-12-01）。",
        "after-the-cycle": "县级截止时间不得晚于市级截止时间。",
    }[_case(data)] in error
    if data:
        # What was typed is in the box again.
        assert f'value="{data["deadline"]}"' in body
    assert CountyDeadline.objects.get(cycle=cycle).deadline == earlier
    assert AuditEntry.objects.filter(action=AuditAction.COUNTY_DEADLINE_SET).count() == entries


def _case(data: dict) -> str:
    if not data:
        return "empty"
    return "words" if data["deadline"] == "明天" else "after-the-cycle"
