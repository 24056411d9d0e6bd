"""On-site inspections and the provincial Party committee decision with the quota."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from applications.enums import ApplicationState
from applications.models import Application
from applications.services import application_create
from core.actors import SystemActor
from designations.models import Designation
from evaluation.decisions import provincial_meeting_record
from evaluation.inspections import inspection_schedule
from evaluation.models import Inspection, InspectionPhoto, ProvincialDecision
from evaluation.quota import quota_for
from organizations.enums import Role
from organizations.models import Bureau, Division
from organizations.services import membership_grant
from tests.applications.files import JPEG, PDF
from tests.documents import assert_fonts_embedded, text_of
from tests.states import actor, nothing_moves

pytestmark = pytest.mark.django_db
S = ApplicationState


def _at(application, state):
    Application.objects.filter(pk=application.pk).update(
        state=state, submitted_at="2026-07-01T00:00:00+08:00"
    )
    application.refresh_from_db()
    return application


@pytest.fixture
def passed_written(complete_application):
    return _at(complete_application, S.WRITTEN_PASSED)


def test_schedule_and_refuse_a_double_booking(cast, passed_written, cycle):
    inspection_schedule(
        application=passed_written,
        visit_date=date(2026, 9, 8),
        team=[cast.evaluator_publicity, cast.evaluator_grassroots],
        itinerary="上午听取汇报，下午实地查看",
        by=cast.office,
    )
    other = _at(
        _created(cycle, "230202"),
        S.WRITTEN_PASSED,
    )
    with pytest.raises(ValidationError) as error:
        inspection_schedule(
            application=other,
            visit_date=date(2026, 9, 8),
            team=[cast.evaluator_publicity],
            itinerary="",
            by=cast.office,
        )
    assert cast.evaluator_publicity.full_name in error.value.messages[0]
    assert not Inspection.objects.filter(application=other).exists()
    inspection_schedule(
        application=other,
        visit_date=date(2026, 9, 9),
        team=[cast.evaluator_publicity],
        itinerary="",
        by=cast.office,
    )
    assert Inspection.objects.count() == 2


def test_only_written_passed_applications_are_inspected(cast, complete_application):
    with pytest.raises(ValidationError):
        inspection_schedule(
            application=complete_application,
            visit_date=date(2026, 9, 8),
            team=[cast.evaluator_publicity],
            itinerary="",
            by=cast.office,
        )


def test_calendar_shows_the_months_visits(client, cast, passed_written):
    inspection_schedule(
        application=passed_written,
        visit_date=date(2026, 9, 8),
        team=[cast.evaluator_publicity],
        itinerary="",
        by=cast.office,
    )
    client.force_login(cast.office)
    page = client.get(reverse("evaluation:inspections"), {"month": "2026-09"}).content.decode()
    assert "2026-09-08" in page
    assert "哈尔滨市道里区司法局" in page
    week = client.get(reverse("evaluation:inspections"), {"week": "2026-W37"}).content.decode()
    assert "2026-09-08" in week
    empty = client.get(reverse("evaluation:inspections"), {"month": "2026-10"}).content.decode()
    assert "哈尔滨市道里区司法局" not in empty


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"week": "2026-37"}, "请按“年-W周”填写周，如 2026-W37。"),
        ({"week": "2026-W54"}, "请按“年-W周”填写周，如 2026-W37。"),
        ({"week": "2026-W37", "month": "2026-13"}, "请按“年-月”填写月份，如 2026-09。"),
        ({"month": "2026-13"}, "请按“年-月”填写月份，如 2026-09。"),
        ({"month": "九月"}, "请按“年-月”填写月份，如 2026-09。"),
    ],
    ids=["week-without-w", "week-54", "good-week-bad-month", "month-13", "month-in-words"],
)
def test_calendar_refuses_a_period_that_does_not_parse(
    client, cast, passed_written, query, message
):
    inspection_schedule(
        application=passed_written,
        visit_date=timezone.localdate(),
        team=[cast.evaluator_publicity],
        itinerary="",
        by=cast.office,
    )
    client.force_login(cast.office)
    with nothing_moves():
        response = client.get(reverse("evaluation:inspections"), query)
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body.split('id="period-errors"')[1]
    # Not today's month instead: no visit is shown.
    assert "哈尔滨市道里区司法局" not in body


def test_calendar_without_a_period_is_this_month(client, cast, passed_written):
    today = timezone.localdate()
    inspection_schedule(
        application=passed_written,
        visit_date=today,
        team=[cast.evaluator_publicity],
        itinerary="",
        by=cast.office,
    )
    client.force_login(cast.office)
    response = client.get(reverse("evaluation:inspections"))
    assert response.status_code == 200
    assert (response.context["first"], response.context["view"]) == (
        today.replace(day=1),
        "month",
    )
    assert "哈尔滨市道里区司法局" in response.content.decode()


def test_team_records_the_visit_from_a_phone_with_photos(client, cast, passed_written, tmp_path):
    inspection = inspection_schedule(
        application=passed_written,
        visit_date=date(2026, 9, 8),
        team=[cast.evaluator_publicity],
        itinerary="",
        by=cast.office,
    )
    section5 = passed_written.cycle.criteria_version.sections.get(number=5)
    client.force_login(cast.evaluator_publicity)
    url = reverse("evaluation:inspection", args=[inspection.pk])
    response = client.post(
        url,
        {
            "result": "passed",
            "summary": "各项工作扎实，台账齐全",
            f"findings_{section5.pk}": "普法阵地建设良好",
            "photos": [
                SimpleUploadedFile("现场1.jpg", JPEG),
                SimpleUploadedFile("现场2.jpg", JPEG),
            ],
        },
    )
    assert response.status_code == 302
    inspection.refresh_from_db()
    assert (inspection.result, inspection.recorded_by) == ("passed", cast.evaluator_publicity)
    assert InspectionPhoto.objects.filter(inspection=inspection).count() == 2
    passed_written.refresh_from_db()
    assert passed_written.state == S.INSPECTED_PASSED
    report = client.get(reverse("evaluation:inspection_report", args=[inspection.pk]))
    path = tmp_path / "report.pdf"
    path.write_bytes(report.content)
    assert_fonts_embedded(path)
    text = text_of(path)
    assert "普法阵地建设良好" in text


def test_a_bad_photo_records_nothing(client, cast, passed_written):
    inspection = inspection_schedule(
        application=passed_written,
        visit_date=date(2026, 9, 8),
        team=[cast.evaluator_publicity],
        itinerary="",
        by=cast.office,
    )
    client.force_login(cast.evaluator_publicity)
    response = client.post(
        reverse("evaluation:inspection", args=[inspection.pk]),
        {"result": "passed", "summary": "好", "photos": [SimpleUploadedFile("x.jpg", b"<html>")]},
    )
    assert response.status_code == 400
    inspection.refresh_from_db()
    assert inspection.result == ""
    assert not InspectionPhoto.objects.exists()
    passed_written.refresh_from_db()
    assert passed_written.state == S.WRITTEN_PASSED


def test_an_evaluator_not_on_the_team_gets_404(client, cast, passed_written):
    inspection = inspection_schedule(
        application=passed_written,
        visit_date=date(2026, 9, 8),
        team=[cast.evaluator_publicity],
        itinerary="",
        by=cast.office,
    )
    client.force_login(cast.evaluator_grassroots)
    assert client.get(reverse("evaluation:inspection", args=[inspection.pk])).status_code == 404


def test_quota_rounds_up():
    from applications.models import Cycle

    quota = quota_for(Cycle(quota_ratio=Decimal("0.10")))
    assert (quota.counties, quota.target) == (121, 13)


def _inspected(cycle, cast, codes):
    return [
        _at(
            _created(cycle, code),
            S.INSPECTED_PASSED,
        )
        for code in codes
    ]


def test_approving_past_the_quota_needs_a_recorded_override(cast, cycle):
    counties = list(
        Bureau.objects.filter(level="county").order_by("code").values_list("code", flat=True)
    )
    for n, code in enumerate(counties[:12]):
        Designation.objects.create(
            bureau=Bureau.objects.get(code=code),
            number=f"示范〔2025〕{n}号",
            designated_on="2025-12-01",
        )
    assert quota_for(cycle).places_left == 1
    first, second = _inspected(cycle, cast, counties[12:14])
    decisions = {first.pk: ("approved", ""), second.pk: ("approved", "")}
    with pytest.raises(ValidationError) as error:
        provincial_meeting_record(
            cycle=cycle,
            by=cast.office,
            held_on=date(2026, 11, 20),
            number="厅党委〔2026〕12号",
            minutes_upload=SimpleUploadedFile("纪要.pdf", PDF),
            decisions=decisions,
        )
    assert second.county.name in error.value.messages[0]
    assert not ProvincialDecision.objects.exists()
    decisions[second.pk] = ("approved", "该局工作特别突出，经党委会议研究同意超额命名")
    provincial_meeting_record(
        cycle=cycle,
        by=cast.office,
        held_on=date(2026, 11, 20),
        number="厅党委〔2026〕12号",
        minutes_upload=SimpleUploadedFile("纪要.pdf", PDF),
        decisions=decisions,
    )
    override = ProvincialDecision.objects.get(application=second)
    assert override.quota_override_reason.startswith("该局工作特别突出")
    assert ProvincialDecision.objects.get(application=first).quota_override_reason == ""
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, second.state) == (S.APPROVED, S.APPROVED)
    assert quota_for(cycle).places_left == 0


def test_decision_page_shows_the_quota(client, cast, cycle):
    _inspected(cycle, cast, ["230102"])
    client.force_login(cast.office)
    page = client.get(reverse("evaluation:decisions")).content.decode()
    assert '<dd class="col-sm-7">121</dd>' in page
    assert '<dd class="col-sm-7">13</dd>' in page
    client.force_login(cast.city_a_head)
    assert client.get(reverse("evaluation:decisions")).status_code == 403


def test_a_failed_inspection_can_only_be_rejected(cast, cycle):
    [application] = _inspected(cycle, cast, ["230102"])
    _at(application, S.INSPECTED_FAILED)
    with pytest.raises(ValidationError):
        provincial_meeting_record(
            cycle=cycle,
            by=cast.office,
            held_on=date(2026, 11, 20),
            number="12号",
            minutes_upload=SimpleUploadedFile("纪要.pdf", PDF),
            decisions={application.pk: ("approved", "")},
        )
    provincial_meeting_record(
        cycle=cycle,
        by=cast.office,
        held_on=date(2026, 11, 20),
        number="12号",
        minutes_upload=SimpleUploadedFile("纪要.pdf", PDF),
        decisions={application.pk: ("not_approved", "")},
    )
    application.refresh_from_db()
    assert application.state == S.NOT_APPROVED


def test_evaluator_of_a_division_needs_membership(cast):
    membership_grant(
        user=cast.nobody,
        role="evaluator",
        division=Division.objects.get(code="notary"),
        by=SystemActor.LOADER,
    )
    assert cast.nobody.memberships.filter(role="evaluator").exists()


def _created(cycle, code: str):
    """County ``code``'s application, created by its own head."""
    county = Bureau.objects.get(code=code)
    return application_create(cycle=cycle, county=county, by=actor(Role.COUNTY_HEAD, bureau=county))
