"""Rectification as a report: ordered with requirements, the county's files and submission by
the end of the deadline day in Beijing time, the office's judgement, the conclusion (title kept
three years on from the re-inspection that fell due, or revoked with the plaque removed and the
place freed), reminders 30 and 7 days before the deadline to the county head and the office."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext

from applications.workflow import TransitionError
from audit.enums import AuditAction
from audit.models import AuditEntry
from core.dates import day_end
from designations.enums import DesignationState as D
from designations.selectors import titles_held_count
from designations.services import designation_revoke
from evaluation.quota import quota_for
from organizations.models import Division, Notification, Reminder
from reinspections.enums import RectificationState as R
from reinspections.jobs import rectification_jobs
from reinspections.models import Rectification, RectificationFile
from reinspections.rectifications import (
    rectification_conclude,
    rectification_file_add,
    rectification_file_remove,
    rectification_judge,
    rectification_order,
    rectification_submit,
)
from reinspections.selectors import rectifications_visible_to
from tests.applications.files import PDF
from tests.designations.factories import at_state
from tests.states import nothing_moves, stored_files

pytestmark = pytest.mark.django_db
BJ = ZoneInfo("Asia/Shanghai")
ORDERED = datetime(2026, 2, 1, 9, 0, tzinfo=BJ)
DEADLINE = date(2026, 3, 31)
LAST_SECOND = datetime(2026, 3, 31, 23, 59, 59, 999000, tzinfo=BJ)  # 23:59:59.999
ONE_SECOND_LATER = datetime(2026, 4, 1, 0, 0, 0, tzinfo=BJ)
IN_TIME = datetime(2026, 3, 1, 10, 0, tzinfo=BJ)
REQUIREMENTS = ["落实“谁执法谁普法”责任清单", "补齐村（社区）公共法律服务工作室"]


def _pdf(name: str = "整改报告.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF)


def ordered(cast, code: str = "230102", requirements=REQUIREMENTS) -> Rectification:
    """County ``code``'s title, due for re-inspection since 10 Jan 2026, ordered on 1 Feb 2026
    to rectify by 31 Mar 2026."""
    designation = at_state(cast.office, D.REINSPECTION_DUE, code=code)
    with time_machine.travel(ORDERED, tick=False):
        return rectification_order(
            designation=designation,
            deadline=DEADLINE,
            requirements=list(requirements),
            by=cast.office,
            note="普法工作滑坡",
        )


def reported(cast, rectification: Rectification, at: datetime = IN_TIME) -> Rectification:
    """A report for every requirement, submitted by the county head at ``at``."""
    with time_machine.travel(at, tick=False):
        for requirement in rectification.requirements.all():
            rectification_file_add(
                requirement=requirement, upload=_pdf(), role="report", by=cast.county_a_applicant
            )
        return rectification_submit(rectification=rectification, by=cast.county_a_head)


def judged(cast, rectification: Rectification, *met: bool, at: datetime = IN_TIME) -> None:
    with time_machine.travel(at, tick=False):
        for requirement, verdict in zip(
            rectification.requirements.order_by("position"), met, strict=True
        ):
            rectification_judge(
                requirement=requirement,
                met=verdict,
                note="" if verdict else "仍未覆盖全部村（社区）",
                by=cast.office,
            )


# Ordering ------------------------------------------------------------------------------


def test_ordering_moves_the_designation_and_writes_the_requirements(cast):
    rectification = ordered(cast, requirements=[" 甲 ", "", "乙"])
    designation = rectification.designation
    designation.refresh_from_db()
    assert (designation.state, designation.rectification_deadline) == (D.RECTIFYING, DEADLINE)
    assert (rectification.state, rectification.deadline, rectification.ordered_by) == (
        R.OPEN,
        DEADLINE,
        cast.office,
    )
    assert list(rectification.requirements.values_list("position", "text", "met")) == [
        (1, "甲", None),
        (2, "乙", None),
    ]
    assert designation.events.latest("id").action == "rectify"
    entry = AuditEntry.objects.get(action=AuditAction.RECTIFICATION_ORDER)
    assert entry.details["requirements"] == ["甲", "乙"]
    assert set(
        Notification.objects.filter(key=f"rectification:{rectification.pk}:ordered").values_list(
            "user", flat=True
        )
    ) == {cast.county_a_applicant.pk, cast.county_a_head.pk}


def test_ordering_links_requirements_to_criteria_items(cast, cycle):
    item = cycle.criteria_version.sections.get(number=5).items.first()
    designation = at_state(cast.office, D.REINSPECTION_DUE)
    rectification = rectification_order(
        designation=designation,
        deadline=date.today() + timedelta(days=30),
        requirements=["甲", "乙"],
        items=[item, None],
        by=cast.office,
    )
    assert list(rectification.requirements.values_list("text", "item")) == [
        ("甲", item.pk),
        ("乙", None),
    ]


@pytest.mark.parametrize(
    ("deadline", "requirements", "error"),
    [
        (date(2026, 2, 1), ["甲"], TransitionError),  # the deadline is today
        (date(2026, 1, 31), ["甲"], TransitionError),
        (date(2026, 3, 31), [" ", ""], ValidationError),
        (date(2026, 3, 31), ["长" * 2001], ValidationError),
    ],
)
def test_ordering_refused_writes_nothing(cast, deadline, requirements, error):
    designation = at_state(cast.office, D.REINSPECTION_DUE)
    with time_machine.travel(ORDERED, tick=False), nothing_moves(), pytest.raises(error):
        rectification_order(
            designation=designation, deadline=deadline, requirements=requirements, by=cast.office
        )


def test_the_deadline_must_lie_after_today_with_a_clear_message(cast):
    designation = at_state(cast.office, D.REINSPECTION_DUE)
    with time_machine.travel(ORDERED, tick=False), pytest.raises(TransitionError) as error:
        rectification_order(
            designation=designation, deadline=date(2026, 2, 1), requirements=["甲"], by=cast.office
        )
    assert error.value.messages == [gettext("Set a rectification deadline in the future.")]


def test_only_the_office_orders(cast):
    designation = at_state(cast.office, D.REINSPECTION_DUE)
    with nothing_moves(), pytest.raises(PermissionDenied):
        rectification_order(
            designation=designation,
            deadline=date.today() + timedelta(days=30),
            requirements=["甲"],
            by=cast.county_a_head,
        )


# The county's files ----------------------------------------------------------------------


def test_a_file_is_stored_per_requirement_with_its_history(cast):
    rectification = ordered(cast)
    requirement = rectification.requirements.get(position=2)
    with time_machine.travel(IN_TIME, tick=False):
        file = rectification_file_add(
            requirement=requirement, upload=_pdf("证据.pdf"), role="evidence", by=cast.county_a_head
        )
    assert (file.requirement, file.role, file.kind, file.original_name) == (
        requirement,
        "evidence",
        "pdf",
        "证据.pdf",
    )
    assert file.stored_name in stored_files()
    event = rectification.designation.events.latest("id")
    assert (event.action, event.note, event.from_state, event.to_state) == (
        "rectification_file",
        "证据.pdf",
        D.RECTIFYING,
        D.RECTIFYING,
    )
    assert AuditEntry.objects.filter(
        action=AuditAction.RECTIFICATION_FILE_ADD, actor=cast.county_a_head
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [("整改报告.pdf", b"not a pdf at all"), ("整改报告.exe", b"MZ\x90\x00"), ("空.pdf", b"")],
)
def test_a_refused_upload_stores_nothing(cast, name, content):
    rectification = ordered(cast)
    requirement = rectification.requirements.first()
    with (
        time_machine.travel(IN_TIME, tick=False),
        nothing_moves(),
        pytest.raises(ValidationError),
    ):
        rectification_file_add(
            requirement=requirement,
            upload=SimpleUploadedFile(name, content),
            role="report",
            by=cast.county_a_applicant,
        )


@pytest.mark.parametrize("who", ["county_b_head", "city_a_reviewer", "office"])
def test_only_the_designated_county_uploads(cast, who):
    rectification = ordered(cast)
    with (
        time_machine.travel(IN_TIME, tick=False),
        nothing_moves(),
        pytest.raises(PermissionDenied),
    ):
        rectification_file_add(
            requirement=rectification.requirements.first(),
            upload=_pdf(),
            role="report",
            by=getattr(cast, who),
        )


def test_uploads_end_with_the_deadline_day(cast):
    rectification = ordered(cast)
    requirement = rectification.requirements.first()
    with time_machine.travel(LAST_SECOND, tick=False):
        rectification_file_add(
            requirement=requirement, upload=_pdf(), role="report", by=cast.county_a_head
        )
    with (
        time_machine.travel(ONE_SECOND_LATER, tick=False),
        nothing_moves(),
        pytest.raises(ValidationError, match="2026-03-31"),
    ):
        rectification_file_add(
            requirement=requirement, upload=_pdf(), role="report", by=cast.county_a_head
        )


def test_a_file_is_removed_while_open_and_its_bytes_after_commit(
    cast, django_capture_on_commit_callbacks
):
    rectification = ordered(cast)
    with time_machine.travel(IN_TIME, tick=False):
        file = rectification_file_add(
            requirement=rectification.requirements.first(),
            upload=_pdf(),
            role="report",
            by=cast.county_a_head,
        )
        with django_capture_on_commit_callbacks(execute=True):
            rectification_file_remove(file=file, by=cast.county_a_applicant)
    assert not RectificationFile.objects.exists()
    assert f"evidence/{file.stored_name}" not in stored_files()


# Submission ------------------------------------------------------------------------------


def test_submission_needs_a_file_for_every_requirement(cast):
    rectification = ordered(cast)
    with time_machine.travel(IN_TIME, tick=False):
        rectification_file_add(
            requirement=rectification.requirements.get(position=1),
            upload=_pdf(),
            role="report",
            by=cast.county_a_head,
        )
        with nothing_moves(), pytest.raises(ValidationError, match="2"):
            rectification_submit(rectification=rectification, by=cast.county_a_head)


def test_the_county_head_submits_at_the_last_second_of_the_deadline_day(cast):
    rectification = reported(cast, ordered(cast), at=LAST_SECOND)
    assert (rectification.state, rectification.submitted_by, rectification.submitted_at) == (
        R.SUBMITTED,
        cast.county_a_head,
        LAST_SECOND,
    )
    assert rectification.designation.events.latest("id").action == "rectification_submit"
    assert AuditEntry.objects.filter(action=AuditAction.RECTIFICATION_SUBMIT).count() == 1
    assert Notification.objects.filter(user=cast.office, key__contains=":submitted:").exists()


def test_submission_one_second_after_the_deadline_day_is_refused(cast):
    rectification = ordered(cast)
    with time_machine.travel(LAST_SECOND, tick=False):
        for requirement in rectification.requirements.all():
            rectification_file_add(
                requirement=requirement, upload=_pdf(), role="report", by=cast.county_a_head
            )
    with (
        time_machine.travel(ONE_SECOND_LATER, tick=False),
        nothing_moves(),
        pytest.raises(ValidationError, match="2026-03-31"),
    ):
        rectification_submit(rectification=rectification, by=cast.county_a_head)


def test_the_deadline_ends_at_midnight_beijing_time():
    assert day_end(DEADLINE) == ONE_SECOND_LATER


@pytest.mark.parametrize("who", ["county_a_applicant", "county_b_head", "office"])
def test_only_the_county_head_submits(cast, who):
    rectification = ordered(cast)
    with time_machine.travel(IN_TIME, tick=False):
        for requirement in rectification.requirements.all():
            rectification_file_add(
                requirement=requirement, upload=_pdf(), role="report", by=cast.county_a_head
            )
        with nothing_moves(), pytest.raises(PermissionDenied):
            rectification_submit(rectification=rectification, by=getattr(cast, who))


def test_a_submitted_report_takes_no_more_files(cast):
    rectification = reported(cast, ordered(cast))
    with (
        time_machine.travel(IN_TIME, tick=False),
        nothing_moves(),
        pytest.raises(ValidationError),
    ):
        rectification_file_add(
            requirement=rectification.requirements.first(),
            upload=_pdf(),
            role="report",
            by=cast.county_a_head,
        )


# Judgement -------------------------------------------------------------------------------


def test_judging_records_the_division_view(cast):
    rectification = reported(cast, ordered(cast))
    division = Division.objects.first()
    with time_machine.travel(IN_TIME, tick=False):
        requirement = rectification_judge(
            requirement=rectification.requirements.get(position=1),
            met=True,
            note="已落实",
            division=division,
            division_view="普法与依法治理处认为已整改到位",
            by=cast.office,
        )
    requirement.refresh_from_db()
    assert (requirement.met, requirement.judgement_note, requirement.division) == (
        True,
        "已落实",
        division,
    )
    assert requirement.judged_by == cast.office
    entry = AuditEntry.objects.get(action=AuditAction.RECTIFICATION_JUDGE)
    assert entry.details["division"] == division.code
    assert rectification.designation.events.latest("id").action == "requirement_judge"


def test_a_judgement_is_one_entry(cast):
    rectification = reported(cast, ordered(cast))
    requirement = rectification.requirements.get(position=2)
    since = AuditEntry.objects.latest("id").pk
    with time_machine.travel(IN_TIME, tick=False):
        rectification_judge(
            requirement=requirement, met=False, note="仍未覆盖", by=cast.office, ip="203.0.113.4"
        )
    [entry] = AuditEntry.objects.filter(pk__gt=since)
    assert (entry.action, entry.actor, entry.ip) == (
        AuditAction.RECTIFICATION_JUDGE,
        cast.office,
        "203.0.113.4",
    )
    assert (entry.object_type, entry.object_id) == (
        "reinspections.rectificationrequirement",
        str(requirement.pk),
    )
    assert entry.details == {
        "requirement": 2,
        "met": False,
        "division": "",
        "division_view": "",
        "reopened": True,
    }
    # The designation's history still has the step; the trail has the act once.
    assert rectification.designation.events.latest("id").action == "requirement_judge"


def test_each_step_of_a_rectification_is_one_entry(cast):
    designation = at_state(cast.office, D.REINSPECTION_DUE)
    since = AuditEntry.objects.latest("id").pk
    with time_machine.travel(ORDERED, tick=False):
        rectification = rectification_order(
            designation=designation, deadline=DEADLINE, requirements=["甲"], by=cast.office
        )
    reported(cast, rectification)
    judged(cast, rectification, True)
    with time_machine.travel(IN_TIME, tick=False):
        rectification_conclude(rectification=rectification, by=cast.office)
    # The title reached its re-inspection through the daily job first (its own entries).
    entries = list(
        AuditEntry.objects.filter(pk__gt=since, action__startswith="rectification.").order_by("id")
    )
    assert [e.action for e in entries] == [
        AuditAction.RECTIFICATION_ORDER,
        AuditAction.RECTIFICATION_FILE_ADD,
        AuditAction.RECTIFICATION_SUBMIT,
        AuditAction.RECTIFICATION_JUDGE,
        AuditAction.RECTIFICATION_CONCLUDE,
    ]
    order, conclude = entries[0], entries[-1]
    designation = f"designations.designation:{rectification.designation_id}"
    # The designation's move is a step of the act's one entry.
    assert (order.object_type, order.object_id) == (
        "reinspections.rectification",
        str(rectification.pk),
    )
    assert [(s["action"], s["object"]) for s in order.details["steps"]] == [
        ("designation.rectify", designation)
    ]
    assert order.details["steps"][0]["details"]["to"] == D.RECTIFYING
    assert [(s["action"], s["object"]) for s in conclude.details["steps"]] == [
        ("designation.rectification_pass", designation)
    ]
    assert conclude.details["outcome"] == R.PASSED


@pytest.mark.parametrize(
    ("met", "note", "division", "view", "field"),
    [
        (False, " ", False, "", "note"),
        (True, "", True, "", "division_view"),
        (True, "", False, "有意见", "division_view"),
    ],
)
def test_a_judgement_refused_records_nothing(cast, met, note, division, view, field):
    rectification = reported(cast, ordered(cast))
    with nothing_moves(), pytest.raises(ValidationError) as error:
        rectification_judge(
            requirement=rectification.requirements.first(),
            met=met,
            note=note,
            division=Division.objects.first() if division else None,
            division_view=view,
            by=cast.office,
        )
    assert field in error.value.error_dict


def test_an_open_report_is_not_judged(cast):
    rectification = ordered(cast)
    with nothing_moves(), pytest.raises(ValidationError):
        rectification_judge(
            requirement=rectification.requirements.first(), met=True, note="", by=cast.office
        )


def test_only_the_office_judges(cast):
    rectification = reported(cast, ordered(cast))
    with nothing_moves(), pytest.raises(PermissionDenied):
        rectification_judge(
            requirement=rectification.requirements.first(),
            met=True,
            note="",
            by=cast.evaluator_publicity,
        )


def test_not_met_before_the_deadline_opens_the_report_again(cast):
    rectification = reported(cast, ordered(cast))
    judged(cast, rectification, True, False)
    rectification.refresh_from_db()
    assert rectification.state == R.OPEN
    assert Notification.objects.filter(user=cast.county_a_head, key__contains=":reopened:")
    # Put right and submitted again; judged met, the title is kept.
    with time_machine.travel(IN_TIME + timedelta(days=1), tick=False):
        rectification_file_add(
            requirement=rectification.requirements.get(position=2),
            upload=_pdf("补充证据.pdf"),
            role="evidence",
            by=cast.county_a_head,
        )
        rectification_submit(rectification=rectification, by=cast.county_a_head)
    judged(cast, rectification, True, True, at=IN_TIME + timedelta(days=2))
    with time_machine.travel(IN_TIME + timedelta(days=2), tick=False):
        concluded = rectification_conclude(rectification=rectification, by=cast.office)
    assert (concluded.state, concluded.designation.state) == (R.PASSED, D.ACTIVE)


def test_not_met_after_the_deadline_leaves_the_report_closed(cast):
    rectification = reported(cast, ordered(cast))
    judged(cast, rectification, True, False, at=ONE_SECOND_LATER)
    rectification.refresh_from_db()
    assert rectification.state == R.SUBMITTED


# Conclusion ------------------------------------------------------------------------------


def test_all_met_keeps_the_title_three_years_after_the_reinspection_that_fell_due(cast):
    rectification = reported(cast, ordered(cast))
    judged(cast, rectification, True, True)
    with time_machine.travel(IN_TIME, tick=False):
        concluded = rectification_conclude(rectification=rectification, by=cast.office, note="好")
    designation = concluded.designation
    designation.refresh_from_db()
    # Due 10 Jan 2026, concluded 1 Mar 2026: the next falls on 10 Jan 2029, not 1 Mar 2029.
    assert (
        designation.state,
        designation.reinspection_due,
        designation.rectification_deadline,
    ) == (
        D.ACTIVE,
        date(2029, 1, 10),
        None,
    )
    assert (concluded.state, concluded.concluded_by) == (R.PASSED, cast.office)
    assert designation.events.latest("id").action == "rectification_pass"
    assert (
        AuditEntry.objects.get(action=AuditAction.RECTIFICATION_CONCLUDE).details["outcome"]
        == "passed"
    )


def test_one_unmet_before_the_deadline_cannot_be_concluded(cast):
    rectification = reported(cast, ordered(cast))
    judged(cast, rectification, True, False)
    with (
        time_machine.travel(LAST_SECOND, tick=False),
        nothing_moves(),
        pytest.raises(ValidationError, match="2026-03-31"),
    ):
        rectification_conclude(rectification=rectification, by=cast.office, decision="黑司发1号")


def test_one_unmet_after_the_deadline_revokes_and_frees_the_place(cast, cycle):
    rectification = reported(cast, ordered(cast))
    # Judged not met on the deadline day: the report opens again, the county does nothing.
    judged(cast, rectification, True, False, at=LAST_SECOND - timedelta(hours=1))
    held, places_left = titles_held_count(), quota_for(None).places_left
    with time_machine.travel(ONE_SECOND_LATER, tick=False):
        with nothing_moves(), pytest.raises(ValidationError) as error:
            rectification_conclude(rectification=rectification, by=cast.office, decision=" ")
        assert "decision" in error.value.error_dict
        concluded = rectification_conclude(
            rectification=rectification, by=cast.office, decision="黑司发〔2026〕9号"
        )
    designation = concluded.designation
    designation.refresh_from_db()
    assert designation.state == D.REVOKED
    assert (designation.revoked_on, designation.plaque_removed_on) == (
        date(2026, 4, 1),
        date(2026, 4, 1),
    )
    assert (designation.revocation_ground, designation.revocation_decision) == (
        "reinspection",
        "黑司发〔2026〕9号",
    )
    assert concluded.state == R.FAILED
    assert designation.events.latest("id").action == "rectification_fail"
    # The place counts free for a supplement.
    assert titles_held_count() == held - 1
    assert quota_for(None).held == held - 1
    assert quota_for(None).places_left == places_left + 1


def test_nothing_submitted_by_the_deadline_revokes(cast):
    rectification = ordered(cast)
    with (
        time_machine.travel(LAST_SECOND, tick=False),
        nothing_moves(),
        pytest.raises(ValidationError),
    ):
        rectification_conclude(rectification=rectification, by=cast.office, decision="1号")
    with time_machine.travel(ONE_SECOND_LATER, tick=False):
        concluded = rectification_conclude(
            rectification=rectification, by=cast.office, decision="1号"
        )
    assert (concluded.state, concluded.designation.state) == (R.FAILED, D.REVOKED)


def test_a_submitted_report_is_judged_in_full_before_the_conclusion(cast):
    rectification = reported(cast, ordered(cast))
    with time_machine.travel(ONE_SECOND_LATER, tick=False):
        rectification_judge(
            requirement=rectification.requirements.get(position=1),
            met=False,
            note="未落实",
            by=cast.office,
        )
        with nothing_moves(), pytest.raises(ValidationError) as error:
            rectification_conclude(rectification=rectification, by=cast.office, decision="1号")
    assert error.value.messages == [
        gettext("Judge every requirement of the submitted report first.")
    ]


def test_a_concluded_rectification_is_not_concluded_again(cast):
    rectification = reported(cast, ordered(cast))
    judged(cast, rectification, True, True)
    rectification_conclude(rectification=rectification, by=cast.office)
    with nothing_moves(), pytest.raises(ValidationError):
        rectification_conclude(rectification=rectification, by=cast.office)


def test_only_the_office_concludes(cast):
    rectification = reported(cast, ordered(cast))
    judged(cast, rectification, True, True)
    with nothing_moves(), pytest.raises(PermissionDenied):
        rectification_conclude(rectification=rectification, by=cast.county_a_head)


def test_an_immediate_revocation_ends_the_rectification(cast):
    rectification = ordered(cast)
    designation_revoke(
        designation=rectification.designation,
        by=cast.office,
        ground="violation",
        decision="黑司发〔2026〕2号",
        revoked_on=date(2026, 2, 2),
        plaque_removed_on=date(2026, 2, 2),
        note="违法违纪",
    )
    rectification.refresh_from_db()
    assert rectification.state == R.FAILED


# Reminders -------------------------------------------------------------------------------


def test_reminders_30_and_7_days_before_go_to_the_county_head_and_the_office_once_each(
    cast, django_capture_on_commit_callbacks
):
    rectification = ordered(cast)
    key = f"rectification:{rectification.pk}"
    with django_capture_on_commit_callbacks(execute=True):
        assert rectification_jobs(today=DEADLINE - timedelta(days=31)) == {}
        assert rectification_jobs(today=DEADLINE - timedelta(days=30)) == {
            "rectification_reminders": 2
        }
        assert rectification_jobs(today=DEADLINE - timedelta(days=30)) == {}
        assert rectification_jobs(today=DEADLINE - timedelta(days=8)) == {}
        assert rectification_jobs(today=DEADLINE - timedelta(days=7)) == {
            "rectification_reminders": 2
        }
        assert rectification_jobs(today=DEADLINE - timedelta(days=7)) == {}
        assert rectification_jobs(today=DEADLINE - timedelta(days=6)) == {}
    rows = Reminder.objects.filter(kind="rectification", object_key=key)
    assert sorted(rows.values_list("recipient", "due_date")) == sorted(
        [
            (cast.county_a_head.pk, date(2026, 3, 1)),
            (cast.office.pk, date(2026, 3, 1)),
            (cast.county_a_head.pk, date(2026, 3, 24)),
            (cast.office.pk, date(2026, 3, 24)),
        ]
    )
    assert not Notification.objects.filter(
        user=cast.county_a_applicant, key__startswith="reminder:"
    ).exists()
    assert Notification.objects.filter(user=cast.county_a_head, key__startswith="reminder:").count()


def test_the_office_is_told_once_the_day_after_the_deadline(cast):
    rectification = ordered(cast)
    assert rectification_jobs(today=DEADLINE) == {}
    assert rectification_jobs(today=DEADLINE + timedelta(days=1)) == {"rectification_overdue": 1}
    assert rectification_jobs(today=DEADLINE + timedelta(days=1)) == {}
    assert list(
        Reminder.objects.filter(kind="rectification_overdue").values_list("recipient", "object_key")
    ) == [(cast.office.pk, f"rectification:{rectification.pk}")]


def test_no_reminder_for_a_concluded_rectification(cast):
    rectification = reported(cast, ordered(cast))
    judged(cast, rectification, True, True)
    with time_machine.travel(IN_TIME, tick=False):
        rectification_conclude(rectification=rectification, by=cast.office)
    assert rectification_jobs(today=DEADLINE - timedelta(days=7)) == {}


# Scope -----------------------------------------------------------------------------------


def test_each_sees_the_rectifications_of_its_own_bureau(cast):
    own = ordered(cast)
    other = ordered(cast, code="230202")
    assert set(rectifications_visible_to(user=cast.office)) == {own, other}
    assert set(rectifications_visible_to(user=cast.county_a_applicant)) == {own}
    assert set(rectifications_visible_to(user=cast.county_b_head)) == {other}
    assert not rectifications_visible_to(user=cast.city_a_reviewer).exists()
    assert not rectifications_visible_to(user=cast.evaluator_publicity).exists()
