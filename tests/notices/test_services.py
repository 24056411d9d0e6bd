"""The public notice (公示) before naming: working days by the holiday calendar, the window,
objections and their handling, and naming held until the window is settled."""

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from applications.enums import Action
from applications.enums import ApplicationState as S
from applications.models import ApplicationEvent
from applications.workflow import TransitionError, application_transition
from audit.enums import AuditAction
from audit.models import AuditEntry
from designations.models import Designation
from designations.services import designation_grant
from evaluation.decisions import decision_in_force, provincial_meeting_record
from evaluation.models import ProvincialDecision
from notices.guards import naming_blocked
from notices.holidays import CalendarMissing, package_schedule, working_day_add
from notices.models import (
    CalendarDay,
    HolidayCalendarYear,
    NoticeEvent,
    Objection,
    ObjectionOutcome,
    PublicNotice,
)
from notices.selectors import naming_counts, objection_lookup, objections_waiting_count
from notices.services import (
    calendar_year_enter,
    calendar_year_import,
    objection_handle,
    objection_submit,
    public_notice_open,
    schedule_parse,
)
from tests.applications.files import PDF
from tests.i18n import zh
from tests.states import nothing_moves, notice_closed, reach

pytestmark = pytest.mark.django_db
BEIJING = ZoneInfo("Asia/Shanghai")
D = datetime.date


def _at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=BEIJING)


@pytest.fixture
def approved(application):
    """Approved by the Party committee before the windows these tests open on 2026-09-29
    (the committee met two weeks before, ``tests.states.DECIDED_DAYS_AGO``)."""
    with time_machine.travel(_at(2026, 9, 28, 10), tick=False):
        return reach(application, S.APPROVED)


NATIONAL_DAY_EVE = datetime.date(2026, 9, 30)


def _open(approved, office, starts_on=NATIONAL_DAY_EVE, **kwargs):
    return public_notice_open(
        cycle=approved.cycle,
        applications=[approved],
        starts_on=starts_on,
        contact_office="省司法厅示范创建领导小组办公室",
        contact_phone="0451-12345678",
        by=office,
        **kwargs,
    )


def _object(notice, application, **kwargs):
    return objection_submit(
        notice=notice,
        application=application,
        name=kwargs.pop("name", "张三"),
        phone=kwargs.pop("phone", "13800000001"),
        facts=kwargs.pop("facts", "该局台账系补做，现场核查所见与实际不符。"),
        **kwargs,
    )


# The calendar ------------------------------------------------------------------------------


def test_the_seed_holds_every_year_the_package_knows():
    schedule = package_schedule()
    assert set(HolidayCalendarYear.objects.values_list("year", flat=True)) >= set(schedule)
    assert max(schedule) == 2026
    national_day = CalendarDay.objects.filter(date__range=(D(2026, 9, 20), D(2026, 10, 10)))
    assert list(national_day.filter(kind="workday").values_list("date", flat=True)) == [
        D(2026, 9, 20),
        D(2026, 10, 10),
    ]
    assert national_day.filter(kind="holiday").count() == 7 + 3  # 国庆 7 days, 中秋 3


def test_seeding_again_adds_nothing_and_keeps_what_the_office_entered(cast):
    calendar_year_enter(
        year=2026,
        lines=schedule_parse("2026-01-01 holiday 元旦", year=2026),
        by=cast.office,
    )
    out = io.StringIO()
    call_command("holiday_calendar_seed", stdout=out)
    assert out.getvalue().startswith("0 year(s)")
    assert HolidayCalendarYear.objects.get(year=2026).source == "office"
    assert CalendarDay.objects.filter(date__year=2026).count() == 1


def test_the_fifth_working_day_from_national_day_eve_is_october_12():
    # 09-30 (1); 10-01..10-07 National Day off; 10-08 (2), 10-09 (3); 10-10 a Saturday worked
    # in exchange (4); 10-11 Sunday off; 10-12 (5).
    assert working_day_add(D(2026, 9, 30), 5) == D(2026, 10, 12)
    assert working_day_add(D(2026, 9, 30), 4) == D(2026, 10, 10)
    assert working_day_add(D(2026, 9, 30), 6) == D(2026, 10, 13)


def test_a_start_on_a_day_off_counts_from_the_next_working_day():
    assert working_day_add(D(2026, 10, 1), 1) == D(2026, 10, 8)


def test_counting_into_a_year_without_a_calendar_is_refused():
    assert not HolidayCalendarYear.objects.filter(year=2027).exists()
    # 12-28..12-31 are four working days; the fifth would be in 2027.
    assert working_day_add(D(2026, 12, 28), 4) == D(2026, 12, 31)
    with pytest.raises(CalendarMissing) as refused:
        working_day_add(D(2026, 12, 28), 5)
    assert refused.value.year == 2027
    assert "2027" in refused.value.messages[0]


def test_a_window_reaching_into_a_year_without_a_calendar_is_refused(approved, cast):
    with (
        time_machine.travel(_at(2026, 12, 1, 9), tick=False),
        nothing_moves(),
        pytest.raises(ValidationError) as refused,
    ):
        _open(approved, cast.office, starts_on=D(2026, 12, 28))
    assert "2027" in str(refused.value)
    assert not PublicNotice.objects.exists()
    # Once the office enters 2027, the same window opens (2027-01-01 a holiday here).
    calendar_year_enter(
        year=2027,
        lines=schedule_parse("2027-01-01 holiday 元旦", year=2027),
        by=cast.office,
    )
    with time_machine.travel(_at(2026, 12, 1, 9), tick=False):
        notice = _open(approved, cast.office, starts_on=D(2026, 12, 28))
    assert notice.closes_on == D(2027, 1, 4)


def test_the_schedule_refuses_what_does_not_parse_and_stores_nothing(cast):
    text = "\n".join(
        [
            "2027-02-30 holiday 春节",  # no such day
            "2027-02-10 off 春节",  # no such kind
            "2028-01-01 holiday 元旦",  # another year
            "2027-02-08 workday 春节",  # a Monday cannot be a make-up day
            "2027-10-01 holiday 国庆节",
            "2027-10-01 holiday 国庆节",  # twice
        ]
    )
    with pytest.raises(ValidationError) as refused:
        schedule_parse(text, year=2027)
    assert len(refused.value.messages) == 5
    assert not HolidayCalendarYear.objects.filter(year=2027).exists()


def test_entering_a_year_is_the_offices_and_audited(cast):
    lines = schedule_parse("2027-10-01 放假 国庆节\n2027-10-09 上班 国庆节", year=2027)
    with pytest.raises(PermissionDenied):
        calendar_year_enter(year=2027, lines=lines, by=cast.county_a_head)
    calendar = calendar_year_enter(
        year=2027, lines=lines, by=cast.office, notice_reference="国办发明电〔2026〕1号"
    )
    assert list(calendar.days.values_list("date", "kind")) == [
        (D(2027, 10, 1), "holiday"),
        (D(2027, 10, 9), "workday"),
    ]
    entry = AuditEntry.objects.get(action=AuditAction.CALENDAR_ENTER)
    assert entry.details["year"] == 2027
    assert entry.details["workdays"] == 1


def test_a_year_is_imported_from_a_gbk_csv(cast):
    content = "date,kind,name\n2027-01-01,放假,元旦\n2027-01-02,holiday,元旦\n".encode("gbk")
    calendar_year_import(year=2027, content=content, by=cast.office)
    assert HolidayCalendarYear.objects.get(year=2027).source == "import"
    assert list(CalendarDay.objects.filter(date__year=2027).values_list("name", flat=True)) == [
        "元旦",
        "元旦",
    ]
    assert AuditEntry.objects.filter(action=AuditAction.CALENDAR_IMPORT).count() == 1


# The window --------------------------------------------------------------------------------


def test_a_window_opened_on_national_day_eve_closes_at_the_end_of_october_12(approved, cast):
    with time_machine.travel(_at(2026, 9, 29, 10), tick=False):
        notice = _open(approved, cast.office)
    assert (notice.starts_on, notice.closes_on, notice.working_days) == (
        D(2026, 9, 30),
        D(2026, 10, 12),
        5,
    )
    assert list(notice.applications.all()) == [approved]
    assert NoticeEvent.objects.get(notice=notice).kind == "opened"
    assert (
        AuditEntry.objects.get(action=AuditAction.NOTICE_OPEN).details["closes_on"] == "2026-10-12"
    )


def test_only_approved_applications_are_put_on_notice(application, cast):
    reached = reach(application, S.INSPECTED_PASSED)
    with (
        time_machine.travel(_at(2026, 9, 29, 10), tick=False),
        nothing_moves(),
        pytest.raises(ValidationError),
    ):
        _open(reached, cast.office)
    assert not PublicNotice.objects.exists()


def test_a_window_is_the_offices_and_not_in_the_past(approved, cast):
    with time_machine.travel(_at(2026, 9, 29, 10), tick=False):
        with pytest.raises(PermissionDenied):
            _open(approved, cast.city_a_head)
        with pytest.raises(ValidationError):
            _open(approved, cast.office, starts_on=D(2026, 9, 28))
    assert not PublicNotice.objects.exists()


def test_a_bureau_is_not_put_on_two_windows_at_once(approved, cast):
    with time_machine.travel(_at(2026, 9, 29, 10), tick=False):
        _open(approved, cast.office)
        with pytest.raises(ValidationError):
            _open(approved, cast.office, starts_on=D(2026, 10, 8))
    assert PublicNotice.objects.count() == 1


# Objections --------------------------------------------------------------------------------


@pytest.fixture
def notice(approved, cast):
    with time_machine.travel(_at(2026, 9, 29, 10), tick=False):
        return _open(approved, cast.office)


def test_an_objection_at_235959_of_the_closing_day_is_taken(notice, approved):
    with time_machine.travel(_at(2026, 10, 12, 23, 59, 59, 999000), tick=False):
        objection = _object(notice, approved)
    assert objection.outcome == ObjectionOutcome.WAITING
    assert len(objection.reference) == 19
    entry = AuditEntry.objects.get(action=AuditAction.OBJECTION_SUBMIT)
    assert "facts" not in entry.details
    assert entry.actor is None


def test_an_objection_one_second_later_is_refused(notice, approved):
    with (
        time_machine.travel(_at(2026, 10, 13, 0, 0, 0), tick=False),
        nothing_moves(),
        pytest.raises(ValidationError) as refused,
    ):
        _object(notice, approved)
    assert "2026-10-12" in str(refused.value)
    assert not Objection.objects.exists()


def test_an_objection_before_the_window_opens_is_refused(notice, approved):
    with (
        time_machine.travel(_at(2026, 9, 29, 23, 59, 59), tick=False),
        pytest.raises(ValidationError),
    ):
        _object(notice, approved)
    assert not Objection.objects.exists()


def test_an_objection_about_a_bureau_not_on_the_notice_is_refused(notice, application_b):
    with time_machine.travel(_at(2026, 10, 8, 9), tick=False), pytest.raises(ValidationError):
        _object(notice, application_b)
    assert not Objection.objects.exists()


def test_the_attachment_goes_through_the_upload_checks(notice, approved):
    with time_machine.travel(_at(2026, 10, 8, 9), tick=False):
        with pytest.raises(ValidationError):
            _object(
                notice, approved, attachment=SimpleUploadedFile("材料.pdf", b"not a pdf at all")
            )
        assert not Objection.objects.exists()
        objection = _object(notice, approved, attachment=SimpleUploadedFile("材料.pdf", PDF))
    assert objection.has_attachment
    assert objection.kind == "pdf"


def test_the_facts_are_length_limited(notice, approved):
    with time_machine.travel(_at(2026, 10, 8, 9), tick=False), pytest.raises(ValidationError):
        _object(notice, approved, facts="很" * 2001)
    assert not Objection.objects.exists()


def test_dismissing_needs_reasons_and_is_recorded_once(notice, approved, cast):
    with time_machine.travel(_at(2026, 10, 8, 9), tick=False):
        objection = _object(notice, approved)
    with pytest.raises(ValidationError):
        objection_handle(objection=objection, outcome="dismissed", note=" ", by=cast.office)
    with pytest.raises(PermissionDenied):
        objection_handle(objection=objection, outcome="dismissed", note="经核", by=cast.city_a_head)
    handled = objection_handle(
        objection=objection, outcome="dismissed", note="经核查，反映情况不属实。", by=cast.office
    )
    assert (handled.outcome, handled.handled_by) == ("dismissed", cast.office)
    approved.refresh_from_db()
    assert approved.state == S.APPROVED
    with pytest.raises(ValidationError):
        objection_handle(objection=objection, outcome="upheld_back", note="再议", by=cast.office)
    assert AuditEntry.objects.filter(action=AuditAction.OBJECTION_HANDLE).count() == 1
    assert NoticeEvent.objects.filter(objection=objection, kind="handled").count() == 1


def test_upheld_sends_the_bureau_back_to_the_party_committee(notice, approved, cast):
    with time_machine.travel(_at(2026, 10, 8, 9), tick=False):
        objection = _object(notice, approved)
    since = AuditEntry.objects.latest("id").pk
    objection_handle(objection=objection, outcome="upheld_back", note="情况属实", by=cast.office)
    approved.refresh_from_db()
    assert approved.state == S.INSPECTED_PASSED
    event = ApplicationEvent.objects.filter(application=approved).last()
    assert (event.action, event.from_state, event.to_state) == (
        Action.NOTICE_BACK,
        S.APPROVED,
        S.INSPECTED_PASSED,
    )
    assert objection.reference in event.note
    # One act, one entry: the application's move back is a step of the handling's entry.
    [entry] = AuditEntry.objects.filter(pk__gt=since)
    assert (entry.action, entry.object_id, entry.details["outcome"]) == (
        AuditAction.OBJECTION_HANDLE,
        str(objection.pk),
        "upheld_back",
    )
    assert [step["action"] for step in entry.details["steps"]] == [
        AuditAction.APPLICATION_NOTICE_BACK
    ]


def test_upheld_can_withdraw_the_approval(notice, approved, cast):
    with time_machine.travel(_at(2026, 10, 8, 9), tick=False):
        objection = _object(notice, approved)
    objection_handle(
        objection=objection, outcome="upheld_withdrawn", note="情况属实", by=cast.office
    )
    approved.refresh_from_db()
    assert approved.state == S.NOT_APPROVED


def test_the_objection_moves_need_an_upheld_objection(approved, cast):
    with nothing_moves(), pytest.raises(TransitionError) as refused:
        application_transition(
            application=approved, action=Action.APPROVAL_WITHDRAW, by=cast.office, note="x"
        )
    assert refused.value.messages == [
        zh("Only an objection verified and upheld sends an approved bureau back.")
    ]


def test_the_lookup_gives_the_result_by_reference(notice, approved, cast):
    with time_machine.travel(_at(2026, 10, 8, 9), tick=False):
        objection = _object(notice, approved)
    typed = objection.reference.lower().replace("-", " ")
    assert objection_lookup(typed) == objection
    assert objection_lookup("AAAA-BBBB-CCCC-DDDD") is None
    assert objection_lookup("") is None


def test_waiting_objections_are_counted_in_one_query(
    notice, approved, cast, django_assert_num_queries
):
    with time_machine.travel(_at(2026, 10, 8, 9), tick=False):
        first = _object(notice, approved)
        _object(notice, approved, phone="13800000002")
    with django_assert_num_queries(1):
        assert objections_waiting_count() == 2
    objection_handle(objection=first, outcome="dismissed", note="不属实", by=cast.office)
    assert objections_waiting_count() == 1


# Naming ------------------------------------------------------------------------------------


def _grant(application, office):
    return designation_grant(
        application=application,
        by=office,
        designated_on=D(2026, 10, 20),
        reward="collective",
    )


def test_naming_waits_for_the_window_to_close(notice, approved, cast):
    with time_machine.travel(_at(2026, 10, 12, 23, 59, 59, 999000), tick=False):
        assert "2026-10-12" in naming_blocked(approved)
        with nothing_moves(), pytest.raises(ValidationError):
            _grant(approved, cast.office)
    with time_machine.travel(_at(2026, 10, 13, 0, 0, 0), tick=False):
        assert naming_blocked(approved) is None
        designation = _grant(approved, cast.office)
    approved.refresh_from_db()
    assert approved.state == S.DESIGNATED
    assert designation.application == approved


def test_naming_waits_for_every_objection_about_the_bureau(notice, approved, cast):
    with time_machine.travel(_at(2026, 10, 9, 9), tick=False):
        objection = _object(notice, approved)
    with time_machine.travel(_at(2026, 10, 14, 9), tick=False):
        with nothing_moves(), pytest.raises(ValidationError) as refused:
            _grant(approved, cast.office)
        assert refused.value.messages == [
            zh("An objection about %(bureau)s is still waiting to be handled.")
            % {"bureau": approved.county.name}
        ]
        objection_handle(objection=objection, outcome="dismissed", note="不属实", by=cast.office)
        _grant(approved, cast.office)
    assert Designation.objects.filter(application=approved).exists()


def test_a_bureau_never_on_notice_is_not_named(application, cast):
    approved = reach(application, S.APPROVED)
    assert "public notice" in naming_blocked(approved) or "公示" in naming_blocked(approved)
    with nothing_moves(), pytest.raises(ValidationError):
        _grant(approved, cast.office)
    approved.refresh_from_db()
    assert approved.state == S.APPROVED
    assert not Designation.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="designation.").exists()


def test_a_window_does_not_start_before_the_committee_met(application, cast):
    approved = reach(application, S.APPROVED)
    held_on = decision_in_force(approved).meeting.held_on
    day_before = held_on - datetime.timedelta(days=1)
    with nothing_moves(), pytest.raises(ValidationError) as refused:
        _open(approved, cast.office, starts_on=day_before, today=day_before)
    assert "starts_on" in refused.value.message_dict
    assert not PublicNotice.objects.exists()
    notice = _open(approved, cast.office, starts_on=held_on, today=held_on)
    assert notice.starts_on == held_on


def _decide_again(application, office, held_on):
    return provincial_meeting_record(
        cycle=application.cycle,
        by=office,
        held_on=held_on,
        number="厅党委〔2026〕9号",
        minutes_upload=SimpleUploadedFile("纪要.pdf", PDF),
        decisions={application.pk: ("approved", "复议后同意")},
    )


def test_a_bureau_sent_back_is_decided_again_and_goes_on_notice_again(notice, approved, cast):
    with time_machine.travel(_at(2026, 10, 8, 9), tick=False):
        objection = _object(notice, approved)
    with time_machine.travel(_at(2026, 10, 14, 9), tick=False):
        objection_handle(
            objection=objection, outcome="upheld_back", note="情况属实，提请复议", by=cast.office
        )
        first = decision_in_force(approved)
        meeting = _decide_again(approved, cast.office, held_on=D(2026, 10, 14))
    approved.refresh_from_db()
    assert approved.state == S.APPROVED
    assert ProvincialDecision.objects.filter(application=approved).count() == 2
    assert decision_in_force(approved).meeting == meeting != first.meeting
    # The first window was before this approval: the bureau goes on notice again.
    with time_machine.travel(_at(2026, 10, 20, 9), tick=False):
        assert "公示" in naming_blocked(approved) or "public notice" in naming_blocked(approved)
        with nothing_moves(), pytest.raises(ValidationError):
            _grant(approved, cast.office)
    again = notice_closed(approved, starts_on=D(2026, 10, 15))
    assert again.closes_on == D(2026, 10, 15)
    assert naming_blocked(approved) is None
    _grant(approved, cast.office)
    approved.refresh_from_db()
    assert approved.state == S.DESIGNATED
    assert Designation.objects.filter(application=approved).count() == 1


def test_an_approved_bureau_is_not_decided_again(application, cast):
    inspected = reach(application, S.INSPECTED_PASSED)
    meeting = _decide_again(inspected, cast.office, held_on=D(2026, 11, 2))
    assert ProvincialDecision.objects.filter(meeting=meeting).count() == 1
    with nothing_moves(), pytest.raises(ValidationError):
        _decide_again(inspected, cast.office, held_on=D(2026, 11, 3))
    assert ProvincialDecision.objects.filter(application=inspected).count() == 1


def test_the_offices_naming_counts_follow_the_window(
    notice, approved, cast, django_assert_num_queries
):
    """The approved bureau: to put on notice before its window, in neither count while it is
    open or an objection waits, to name once it has closed with every objection handled."""
    with time_machine.travel(_at(2026, 9, 29, 10), tick=False), django_assert_num_queries(1):
        assert naming_counts() == {"to_notice": 0, "to_name": 0}
    with time_machine.travel(_at(2026, 10, 9, 9), tick=False):
        objection = _object(notice, approved)
    with time_machine.travel(_at(2026, 10, 13, 9), tick=False):
        assert naming_counts() == {"to_notice": 0, "to_name": 0}
        objection_handle(objection=objection, outcome="dismissed", note="不属实", by=cast.office)
        assert naming_counts() == {"to_notice": 0, "to_name": 1}


def test_an_approved_bureau_never_on_notice_is_counted_to_put_on_notice(application):
    reach(application, S.APPROVED)
    assert naming_counts() == {"to_notice": 1, "to_name": 0}
