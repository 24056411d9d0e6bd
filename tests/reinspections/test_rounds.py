"""Re-inspection rounds: opened by the office for a designation fallen due, reported by the
county with the same form, checks and pledge as an application (straight to the province),
scored with the same sheets, decided by the office on the slippage page."""

import io
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from applications.enums import Action, Answer, ApplicationKind
from applications.enums import ApplicationState as S
from applications.models import Application
from applications.services import assessment_save, figure_save
from applications.workflow import TransitionError, application_transition, available_actions
from audit.enums import AuditAction
from audit.models import AuditEntry
from core.dates import add_years, day_end
from designations.enums import DesignationState
from designations.jobs import reinspection_jobs
from designations.models import Designation
from designations.workflow import reinspection_due_after
from evaluation.decisions import provincial_meeting_record
from evaluation.enums import Decision
from evaluation.models import ScoreSheet
from organizations.enums import Role
from organizations.models import Notification, Reminder
from portal.demo import application_fill_example
from reinspections.models import Reinspection
from reinspections.rounds import reinspection_decide, reinspection_open
from reinspections.slippage import slippage_of
from review.jobs import deadline_jobs
from standards.models import Indicator, Item
from tests.designations.factories import designated, registered
from tests.states import actor, nothing_moves, reach_reinspection

pytestmark = pytest.mark.django_db


def _deadline(days: int = 30):
    return timezone.localdate() + timedelta(days=days)


@pytest.fixture
def due(cycle, cast) -> Designation:
    """County A, named (through the whole workflow, every item met) three years and a month
    ago, marked due for re-inspection by the daily job."""
    named_on = add_years(timezone.localdate(), -settings.REINSPECTION_PERIOD_YEARS) - timedelta(
        days=30
    )
    designation = designated(cycle, cast.office, "230102", on=named_on)
    reinspection_jobs(today=timezone.localdate())
    designation.refresh_from_db()
    assert designation.state == DesignationState.REINSPECTION_DUE
    return designation


@pytest.fixture
def round_(due, cast) -> Reinspection:
    return reinspection_open(designation=due, deadline=_deadline(), by=cast.office)


def _head(application: Application):
    return actor(Role.COUNTY_HEAD, bureau=application.county)


def _set(application: Application, code: str, **figures) -> None:
    indicator = Indicator.objects.get(
        code=code, item__section__version=application.cycle.criteria_version
    )
    figure_save(application=application, indicator=indicator, by=_head(application), **figures)


def _answer(application: Application, item: Item, answer: str) -> None:
    assessment_save(
        application=application,
        item=item,
        by=_head(application),
        answer=answer,
        explanation="" if answer == Answer.MET else "工作滑坡",
    )


# Opening the round ------------------------------------------------------------------------


def test_the_office_opens_the_round_of_a_designation_fallen_due(due, cast, cycle):
    deadline = _deadline()
    round_ = reinspection_open(designation=due, deadline=deadline, by=cast.office)
    report = round_.application
    assert (report.kind, report.state, report.cycle, report.county) == (
        ApplicationKind.REINSPECTION,
        S.DRAFT,
        cycle,
        due.bureau,
    )
    assert report.report_deadline == deadline
    assert round_.due == due.reinspection_due
    assert round_.designation == due
    assert report.events.get().action == Action.CREATE
    assert AuditEntry.objects.filter(action=AuditAction.REINSPECTION_OPEN).count() == 1
    told = Notification.objects.filter(key=f"reinspection:{round_.pk}:open")
    assert set(told.values_list("user__username", flat=True)) == {"a_applicant", "a_head"}
    # The bureau's application of the same cycle and its round live side by side.
    assert Application.objects.filter(cycle=cycle, county=due.bureau).count() == 2


def test_a_round_opens_only_for_a_designation_due(cycle, cast):
    named_on = timezone.localdate() - timedelta(days=10)
    active = designated(cycle, cast.office, "230102", on=named_on)
    with nothing_moves(), pytest.raises(ValidationError, match="已到复检时间"):
        reinspection_open(designation=active, deadline=_deadline(), by=cast.office)


def test_a_round_is_opened_once_by_the_office_with_a_deadline_ahead(due, cast):
    with nothing_moves(), pytest.raises(ValidationError, match="晚于当前"):
        reinspection_open(designation=due, deadline=timezone.localdate(), by=cast.office)
    with nothing_moves(), pytest.raises(PermissionDenied):
        reinspection_open(designation=due, deadline=_deadline(), by=cast.city_a_head)
    reinspection_open(designation=due, deadline=_deadline(), by=cast.office)
    with nothing_moves(), pytest.raises(ValidationError, match="已经启动"):
        reinspection_open(designation=due, deadline=_deadline(), by=cast.office)


def test_the_open_page_opens_the_round_at_the_end_of_the_day(client, due, cast):
    client.force_login(cast.office)
    url = reverse("reinspections:reinspection_start", args=[due.pk])
    with nothing_moves():
        today = client.post(url, {"deadline": timezone.localdate().isoformat()})
        garbage = client.post(url, {"deadline": "明天"})
    assert today.status_code == garbage.status_code == 400
    assert "截止日期须晚于今天" in today.content.decode()
    day = timezone.localdate() + timedelta(days=20)
    response = client.post(url, {"deadline": day.isoformat()})
    round_ = Reinspection.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reinspections:reinspection", args=[round_.pk])
    assert round_.application.report_deadline == day


# The county's report ----------------------------------------------------------------------


def test_the_county_reports_with_the_pledge_straight_to_the_province(round_, cast):
    report = round_.application
    head = _head(report)
    assert available_actions(head, report) == [Action.REPORT]
    application_fill_example(report, by=cast.county_a_applicant)
    with nothing_moves(), pytest.raises(TransitionError, match="承诺"):
        application_transition(application=report, action=Action.REPORT, by=head, acknowledged=True)
    # The application's own submission to the city is not a step of a round.
    with nothing_moves(), pytest.raises(TransitionError):
        application_transition(
            application=report, action=Action.SUBMIT, by=head, pledge=True, acknowledged=True
        )
    report = reach_reinspection(report, S.FORWARDED)
    assert report.pledged_by == head
    assert report.forwarded_at is not None
    assert report.evidence.filter(frozen=False).count() == 0
    # No city step: the city has nothing to do on it.
    assert available_actions(cast.city_a_reviewer, report) == []
    assert available_actions(cast.city_a_head, report) == []


def test_an_incomplete_report_is_refused(round_):
    report = round_.application
    with nothing_moves(), pytest.raises(TransitionError, match="申报不完整"):
        application_transition(
            application=report,
            action=Action.REPORT,
            by=_head(report),
            pledge=True,
            acknowledged=True,
        )


def test_the_report_is_refused_at_midnight_after_its_deadline_day(due, cast):
    deadline = timezone.localdate() + timedelta(days=3)
    round_ = reinspection_open(designation=due, deadline=deadline, by=cast.office)
    report = round_.application
    application_fill_example(report, by=cast.county_a_applicant)
    head = _head(report)
    with (
        time_machine.travel(day_end(deadline)),
        nothing_moves(),
        pytest.raises(TransitionError, match="已过"),
    ):
        application_transition(
            application=report, action=Action.REPORT, by=head, pledge=True, acknowledged=True
        )
    with time_machine.travel(day_end(deadline) - timedelta(milliseconds=1)):
        application_transition(
            application=report, action=Action.REPORT, by=head, pledge=True, acknowledged=True
        )
    report.refresh_from_db()
    assert report.state == S.FORWARDED


def test_the_submit_page_reports_a_round(client, round_, cast):
    report = round_.application
    application_fill_example(report, by=cast.county_a_applicant)
    client.force_login(cast.county_a_head)
    response = client.post(
        reverse("applications:submit", args=[report.pk]), {"pledge": "on", "acknowledged": "on"}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == S.FORWARDED
    assert report.events.last().action == Action.REPORT


# Scoring and the Party committee ------------------------------------------------------------


def test_the_divisions_score_the_round_and_it_is_inspected(round_):
    report = reach_reinspection(round_.application, S.INSPECTED_PASSED)
    sections = report.cycle.criteria_version.sections.count()
    assert ScoreSheet.objects.filter(application=report, signed_at__isnull=False).count() == (
        sections
    )
    assert report.inspection.result == "passed"


def test_a_round_never_goes_to_the_party_committee_or_to_naming(round_, cast, cycle):
    report = reach_reinspection(round_.application, S.INSPECTED_PASSED)
    with nothing_moves(), pytest.raises(TransitionError, match="办理环节"):
        application_transition(application=report, action=Action.DECIDE_APPROVE, by=cast.office)
    with nothing_moves(), pytest.raises(ValidationError):
        provincial_meeting_record(
            cycle=cycle,
            by=cast.office,
            held_on=timezone.localdate(),
            number="厅党委〔1〕号",
            minutes_upload=None,
            decisions={report.pk: (Decision.APPROVED, "")},
        )


# The office's decision --------------------------------------------------------------------


def test_the_title_is_kept_and_the_next_reinspection_falls_three_years_on(round_, cast):
    reach_reinspection(round_.application, S.WRITTEN_PASSED)
    due_before = round_.designation.reinspection_due
    decided = reinspection_decide(reinspection=round_, by=cast.office, kept=True, note="保持")
    designation = Designation.objects.get(pk=round_.designation_id)
    assert designation.state == DesignationState.ACTIVE
    assert designation.reinspection_due == reinspection_due_after(due_before)
    assert decided.outcome == Reinspection.Outcome.KEPT
    assert decided.decided_by == cast.office
    with nothing_moves(), pytest.raises(ValidationError, match="已作出决定"):
        reinspection_decide(reinspection=round_, by=cast.office, kept=True)


def test_rectification_is_ordered_by_a_date_with_the_requirements(round_, cast):
    reach_reinspection(round_.application, S.WRITTEN_FAILED)
    deadline = timezone.localdate() + timedelta(days=90)
    with nothing_moves(), pytest.raises(ValidationError, match="整改要求"):
        reinspection_decide(
            reinspection=round_, by=cast.office, kept=False, deadline=deadline, requirements=[" "]
        )
    with nothing_moves(), pytest.raises(TransitionError, match="晚于今天"):
        reinspection_decide(
            reinspection=round_,
            by=cast.office,
            kept=False,
            deadline=timezone.localdate(),
            requirements=["3.4 整改"],
        )
    reinspection_decide(
        reinspection=round_,
        by=cast.office,
        kept=False,
        deadline=deadline,
        requirements=["3.4 普法宣传整改", "5.2 人民调解整改"],
        note="工作滑坡",
    )
    designation = Designation.objects.get(pk=round_.designation_id)
    assert designation.state == DesignationState.RECTIFYING
    assert designation.rectification_deadline == deadline
    assert designation.events.last().note == "工作滑坡"
    requirements = designation.rectifications.get().requirements.order_by("pk")
    assert [r.text for r in requirements] == ["3.4 普法宣传整改", "5.2 人民调解整改"]


def test_no_decision_before_the_written_review_is_confirmed(round_, cast):
    reach_reinspection(round_.application, S.FORWARDED)
    with nothing_moves(), pytest.raises(ValidationError, match="书面审查"):
        reinspection_decide(reinspection=round_, by=cast.office, kept=True)
    with nothing_moves(), pytest.raises(PermissionDenied):
        reinspection_decide(reinspection=round_, by=cast.county_a_head, kept=True)


def test_the_page_decides_with_the_slipped_items_filled_in(client, round_, cast):
    report = round_.application
    application_fill_example(report, by=cast.county_a_applicant)
    _set(report, "3.4-a", value="39")
    reach_reinspection(report, S.WRITTEN_PASSED)
    client.force_login(cast.office)
    url = reverse("reinspections:reinspection", args=[round_.pk])
    page = client.get(url)
    form = page.context["form"]
    assert form.initial["requirements"].splitlines() == list(slippage_of(round_).requirements())
    assert "3.4" in form.initial["requirements"]
    with nothing_moves():
        bad = client.post(url, {"kept": "0", "deadline": "", "requirements": ""})
    assert bad.status_code == 400
    assert set(bad.context["form"].errors) == {"deadline", "requirements"}
    day = timezone.localdate() + timedelta(days=60)
    response = client.post(
        url, {"kept": "0", "deadline": day.isoformat(), "requirements": "3.4 整改\n\n5.2 整改"}
    )
    assert response.status_code == 302
    designation = Designation.objects.get(pk=round_.designation_id)
    assert (designation.state, designation.rectification_deadline) == (
        DesignationState.RECTIFYING,
        day,
    )
    rectification = designation.rectifications.get()
    assert [r.text for r in rectification.requirements.order_by("pk")] == ["3.4 整改", "5.2 整改"]


# Slippage ---------------------------------------------------------------------------------


def test_slippage_at_its_boundaries(round_, cast):
    report = round_.application
    application_fill_example(report, by=cast.county_a_applicant)
    version = report.cycle.criteria_version
    _set(report, "3.4-a", value="39")  # ≥ 40: just below
    _set(report, "2.3.1-a", value="3")  # ≥ 3: at the threshold, met
    slipped_item = Item.objects.get(code="1.2", section__version=version)
    _answer(report, slipped_item, Answer.PARTLY_MET)
    veto = Item.objects.filter(section__version=version, is_veto=True).order_by("order").first()
    _answer(report, veto, Answer.NOT_MET)

    slippage = slippage_of(round_)
    rows = {row.code: row for row in slippage.items}
    assert slippage.has_baseline
    assert rows["1.2"].answer_slipped
    assert (rows["1.2"].answer_then, rows["1.2"].answer_now) == (
        Answer.MET,
        Answer.PARTLY_MET,
    )
    fell = rows["3.4"].indicators[0]
    assert fell.fell_below
    assert fell.then.status == "met"
    assert fell.now.status == "not_met"
    assert not rows["2.3.1"].slipped
    assert not rows["2.3.1"].indicators[0].fell_below
    assert rows[veto.code].veto_fails
    slipped_codes = {"1.2", "3.4", veto.code}
    assert {row.code for row in slippage.slipped} == slipped_codes
    # Slipped items first, each group in the criteria's order.
    assert [row.code for row in slippage.items[: len(slipped_codes)]] == [
        row.code for row in slippage.items if row.code in slipped_codes
    ]
    assert {row.code for row in slippage.items[: len(slipped_codes)]} == slipped_codes
    assert len(slippage.requirements()) == 3
    assert any("3.4-a" in line and "39" in line for line in slippage.requirements())


def test_a_rating_that_slipped_to_not_met(round_):
    reach_reinspection(round_.application, S.WRITTEN_FAILED)
    rows = slippage_of(round_).items
    # The naming was rated met throughout; the round is rated not met throughout.
    assert all(row.rating_then == "met" and row.rating_now == "not_met" for row in rows)
    assert all(row.rating_slipped and row.slipped for row in rows)


def test_a_title_from_the_paper_register_has_no_figures_at_naming(cycle, cast):
    on = add_years(timezone.localdate(), -settings.REINSPECTION_PERIOD_YEARS) - timedelta(days=1)
    designation = registered(cast.office, "230202", "黑司示〔2023〕9号", on)
    reinspection_jobs(today=timezone.localdate())
    round_ = reinspection_open(designation=designation, deadline=_deadline(), by=cast.office)
    application_fill_example(round_.application, by=cast.county_b_applicant)
    _set(round_.application, "3.4-a", value="10")
    slippage = slippage_of(round_)
    assert not slippage.has_baseline
    assert [row.code for row in slippage.slipped] == ["3.4"]
    assert slippage.slipped[0].indicators[0].then is None


def test_the_slippage_workbook(client, round_, cast):
    report = round_.application
    application_fill_example(report, by=cast.county_a_applicant)
    _set(report, "3.4-a", value="39")
    client.force_login(cast.office)
    response = client.get(reverse("reinspections:reinspection_xlsx", args=[round_.pk]))
    assert response.status_code == 200
    import openpyxl

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert "复查对照" in sheet["A1"].value
    assert round_.designation.bureau.name in sheet["A1"].value
    assert [c.value for c in sheet[2]][:3] == ["序号", "项目编号", "考评项目"]
    # The slipped item first, its indicator below it.
    assert (sheet["B3"].value, sheet["M3"].value) == ("3.4", "是")
    assert (sheet["B4"].value, sheet["K4"].value, sheet["L4"].value, sheet["M4"].value) == (
        "3.4-a",
        "40",
        "39",
        "是",
    )
    assert sheet["B5"].value != "3.4"
    assert sheet["M5"].value == "否"
    assert AuditEntry.objects.filter(action=AuditAction.REINSPECTION_XLSX_DOWNLOAD).count() == 1


@pytest.mark.parametrize("slipped", [1, 12])
def test_the_page_reads_in_a_fixed_number_of_queries(
    client, round_, cast, django_assert_num_queries, slipped
):
    report = round_.application
    application_fill_example(report, by=cast.county_a_applicant)
    items = Item.objects.filter(section__version=report.cycle.criteria_version, is_veto=False)
    for item in items.order_by("section__number", "order")[:slipped]:
        _answer(report, item, Answer.PARTLY_MET)
    client.force_login(cast.office)
    url = reverse("reinspections:reinspection", args=[round_.pk])
    client.get(url)
    with django_assert_num_queries(20):
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["slippage"].slipped) == slipped


def test_others_do_not_see_the_round_page(client, round_, cast):
    url = reverse("reinspections:reinspection", args=[round_.pk])
    for user in (cast.county_a_head, cast.city_a_head, cast.evaluator_publicity):
        client.force_login(user)
        assert client.get(url).status_code == 403
    client.force_login(cast.office)
    assert client.get(reverse("reinspections:reinspection", args=[round_.pk + 99])).status_code == (
        404
    )


# Reminders --------------------------------------------------------------------------------


def test_reminders_before_the_report_deadline_are_sent_once(due, cast):
    deadline = timezone.localdate() + timedelta(days=7)
    round_ = reinspection_open(designation=due, deadline=deadline, by=cast.office)
    today = timezone.localdate()
    done = deadline_jobs(now=timezone.now())
    assert done.get("reinspection") == 2  # the county's applicant and head
    again = deadline_jobs(now=timezone.now())
    assert "reinspection" not in again
    rows = Reminder.objects.filter(kind="reinspection_report")
    assert rows.count() == 2
    assert set(rows.values_list("object_key", "due_date")) == {
        (f"application:{round_.application_id}", today)
    }


def test_no_reminder_once_the_report_is_in(due, cast):
    deadline = timezone.localdate() + timedelta(days=7)
    round_ = reinspection_open(designation=due, deadline=deadline, by=cast.office)
    reach_reinspection(round_.application, S.FORWARDED)
    assert "reinspection" not in deadline_jobs(now=timezone.now())
    assert not Reminder.objects.filter(kind="reinspection_report").exists()


# The demo ---------------------------------------------------------------------------------


def test_the_demo_has_a_title_due_with_figures_from_its_naming_year(settings, tmp_path):
    import io as io_

    from django.core.management import call_command

    from portal.demo import DEMO_REINSPECTION_COUNTY

    settings.PRIVATE_STORAGE_ROOT = tmp_path
    call_command("load_demo", stdout=io_.StringIO())
    designation = Designation.objects.get(bureau__code=DEMO_REINSPECTION_COUNTY)
    assert designation.state == DesignationState.REINSPECTION_DUE
    naming = designation.application
    assert naming.cycle.year == designation.designated_on.year
    assert naming.cycle.state == "closed"
    assert (
        naming.figures.count()
        == Indicator.objects.filter(item__section__version=naming.cycle.criteria_version).count()
    )
    office_user = actor(Role.CAMPAIGN_OFFICE, bureau=designation.bureau.parent.parent)
    round_ = reinspection_open(designation=designation, deadline=_deadline(), by=office_user)
    assert round_.application.cycle.state == "open"
    assert slippage_of(round_).has_baseline


def test_the_designation_page_leads_to_the_open_round(client, round_, cast):
    client.force_login(cast.office)
    url = reverse("designations:detail", args=[round_.designation_id])
    page = client.get(url).content.decode()
    assert reverse("reinspections:reinspection", args=[round_.pk]) in page
    assert 'name="passed"' not in page


def test_the_one_click_result_is_refused_while_the_round_is_open(client, round_, cast):
    client.force_login(cast.office)
    url = reverse("designations:detail", args=[round_.designation_id])
    with nothing_moves():
        response = client.post(url, {"action": "reinspection", "passed": "1", "note": ""})
    assert response.status_code == 400
    assert round_.designation.state == DesignationState.REINSPECTION_DUE
