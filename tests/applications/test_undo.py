"""Undoing a slip: the city withdraws its preliminary approval until the Party meeting is
recorded; the office reopens a confirmed written result until the visit is scheduled. Each
from every state it may and may not start from, by every role, through the real services."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from applications.enums import Action, ApplicationState
from applications.models import ApplicationEvent
from applications.workflow import TRANSITIONS, TransitionError, application_transition
from audit.models import AuditEntry
from evaluation.enums import Rating
from evaluation.inspections import inspection_schedule
from evaluation.models import ScoreSheet
from organizations.enums import Role
from organizations.models import Division, Notification
from review.guards import party_meeting_not_recorded
from review.services import review_decide
from tests.states import actor, evaluator_of, nothing_moves, office, reach

pytestmark = pytest.mark.django_db

S = ApplicationState
A = Action
REASON = "误点了通过，第3.2项佐证材料尚未核实"

UNDO = {
    A.WITHDRAW_APPROVAL: ({S.CITY_APPROVED}, S.SUBMITTED),
    A.REOPEN_WRITTEN: ({S.WRITTEN_PASSED, S.WRITTEN_FAILED}, S.FORWARDED),
}


def _undoer(application, action):
    if action == A.WITHDRAW_APPROVAL:
        return actor(Role.CITY_REVIEWER, bureau=application.county.parent)
    return office()


def test_the_table_holds_the_undo_rows_as_the_plan_says():
    for action, (sources, target) in UNDO.items():
        transition = TRANSITIONS[action]
        assert (set(transition.sources), transition.target) == (sources, target)
    assert set(TRANSITIONS[A.WITHDRAW_APPROVAL].roles) == {Role.CITY_REVIEWER, Role.CITY_HEAD}
    assert set(TRANSITIONS[A.REOPEN_WRITTEN].roles) == {Role.CAMPAIGN_OFFICE}


@pytest.mark.parametrize("state", list(S))
@pytest.mark.parametrize("action", list(UNDO))
def test_undo_from_every_state(complete_application, action, state):
    application = reach(complete_application, state)
    sources, target = UNDO[action]
    by = _undoer(application, action)
    if state in sources:
        with_audit = AuditEntry.objects.count()
        moved = application_transition(application=application, action=action, by=by, note=REASON)
        assert moved.state == target
        application.refresh_from_db()
        assert application.state == target
        event = application.events.latest("id")
        assert (event.action, event.from_state, event.to_state, event.actor, event.note) == (
            action,
            state,
            target,
            by,
            REASON,
        )
        entry = AuditEntry.objects.latest("id")
        assert AuditEntry.objects.count() == with_audit + 1
        assert (entry.action, entry.details["note"], entry.details["from"]) == (
            f"application.{action}",
            REASON,
            state,
        )
    else:
        with nothing_moves(), pytest.raises(TransitionError) as error:
            application_transition(application=application, action=action, by=by, note=REASON)
        assert "不能" in error.value.messages[0]


@pytest.mark.parametrize("action", list(UNDO))
@pytest.mark.parametrize("note", ["", "   "])
def test_undo_needs_a_reason(complete_application, action, note):
    state = min(UNDO[action][0])
    application = reach(complete_application, state)
    with nothing_moves(), pytest.raises(TransitionError) as error:
        application_transition(
            application=application, action=action, by=_undoer(application, action), note=note
        )
    assert error.value.messages == ["请填写理由。"]


def test_the_city_head_may_withdraw_the_approval_too(complete_application):
    application = reach(complete_application, S.CITY_APPROVED)
    head = actor(Role.CITY_HEAD, bureau=application.county.parent)
    moved = application_transition(
        application=application, action=A.WITHDRAW_APPROVAL, by=head, note=REASON
    )
    assert moved.state == S.SUBMITTED
    assert application.events.latest("id").actor == head


@pytest.mark.parametrize(
    "who",
    ["county_a_head", "county_a_applicant", "city_b_reviewer", "office", "evaluator_publicity"],
)
def test_others_may_not_withdraw_the_approval(complete_application, cast, who):
    application = reach(complete_application, S.CITY_APPROVED)
    with nothing_moves(), pytest.raises(PermissionDenied):
        application_transition(
            application=application, action=A.WITHDRAW_APPROVAL, by=getattr(cast, who), note=REASON
        )


@pytest.mark.parametrize(
    "who", ["county_a_head", "city_a_reviewer", "city_a_head", "evaluator_publicity"]
)
def test_only_the_office_reopens_the_written_result(complete_application, cast, who):
    application = reach(complete_application, S.WRITTEN_PASSED)
    with nothing_moves(), pytest.raises(PermissionDenied):
        application_transition(
            application=application, action=A.REOPEN_WRITTEN, by=getattr(cast, who), note=REASON
        )


def test_once_the_party_meeting_recorded_its_outcome_the_approval_stands(complete_application):
    application = reach(complete_application, S.SIGNED_OFF)
    # The state refuses it, and so does the review's own rule, should the state ever lag.
    assert party_meeting_not_recorded(application, None) == (
        "党委（党组）会议已登记审议结论，不能再撤回初审通过。"
    )
    with nothing_moves(), pytest.raises(TransitionError):
        application_transition(
            application=application,
            action=A.WITHDRAW_APPROVAL,
            by=_undoer(application, A.WITHDRAW_APPROVAL),
            note=REASON,
        )


def test_once_the_visit_is_scheduled_the_written_result_stands(complete_application):
    application = reach(complete_application, S.WRITTEN_PASSED)
    inspection_schedule(
        application=application,
        visit_date=timezone.localdate() + datetime.timedelta(days=10),
        team=[evaluator_of(Division.objects.order_by("order").first())],
        itinerary="",
        by=office(),
    )
    with nothing_moves(), pytest.raises(TransitionError) as error:
        application_transition(
            application=application, action=A.REOPEN_WRITTEN, by=office(), note=REASON
        )
    assert error.value.messages == ["考核验收已安排，不能再重新打开书面审查结果。"]


def test_withdrawn_approval_waits_for_the_review_again(complete_application):
    application = reach(complete_application, S.CITY_APPROVED)
    reviewer = actor(Role.CITY_REVIEWER, bureau=application.county.parent)
    application_transition(
        application=application, action=A.WITHDRAW_APPROVAL, by=reviewer, note=REASON
    )
    returned = review_decide(
        application=application, action=A.RETURN, by=reviewer, reasons="请补充第3.2项材料"
    )
    assert (returned.state, returned.round) == (S.RETURNED, 2)


def test_reopened_result_keeps_the_signed_sheets_and_is_confirmed_again(complete_application):
    application = reach(complete_application, S.WRITTEN_FAILED)
    signed = set(ScoreSheet.objects.filter(application=application).values_list("pk", "signed_at"))
    application_transition(
        application=application, action=A.REOPEN_WRITTEN, by=office(), note=REASON
    )
    application.refresh_from_db()
    assert application.state == S.FORWARDED
    assert (
        set(ScoreSheet.objects.filter(application=application).values_list("pk", "signed_at"))
        == signed
    )
    # Confirmed again, this time as it should have been.
    again = application_transition(
        application=application, action=A.WRITTEN_FAIL, by=office(), note="未达合格线（复核）"
    )
    assert again.state == S.WRITTEN_FAILED
    assert list(application.events.values_list("action", flat=True))[-3:] == [
        A.WRITTEN_FAIL,
        A.REOPEN_WRITTEN,
        A.WRITTEN_FAIL,
    ]


def test_a_reopened_pass_may_become_a_failure(complete_application):
    application = reach(complete_application, S.WRITTEN_PASSED)
    assert {s.rating for sheet in application.score_sheets.all() for s in sheet.scores.all()} == {
        Rating.MET
    }
    application_transition(
        application=application, action=A.REOPEN_WRITTEN, by=office(), note=REASON
    )
    failed = application_transition(
        application=application, action=A.WRITTEN_FAIL, by=office(), note="现场外核实发现问题"
    )
    assert failed.state == S.WRITTEN_FAILED


# The page: a form on the application's page, POST only, the reason required.


def _post(client, application, action, note=REASON):
    return client.post(
        reverse("applications:undo", args=[application.pk]), {"action": action, "note": note}
    )


def test_the_reviewer_withdraws_the_approval_on_the_page(client, cast, complete_application):
    application = reach(complete_application, S.CITY_APPROVED)
    client.force_login(cast.city_a_reviewer)
    page = client.get(reverse("applications:detail", args=[application.pk]))
    assert "撤回初审通过" in page.content.decode()
    assert f"确认对{application.county.name}执行“撤回初审通过”？" in page.content.decode()
    response = _post(client, application, A.WITHDRAW_APPROVAL)
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == S.SUBMITTED
    history = client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert REASON in history


def test_the_office_reopens_the_result_on_the_page(client, cast, complete_application):
    application = reach(complete_application, S.WRITTEN_PASSED)
    client.force_login(cast.office)
    assert "重新打开书面审查结果" in (
        client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    )
    assert _post(client, application, A.REOPEN_WRITTEN).status_code == 302
    application.refresh_from_db()
    assert application.state == S.FORWARDED


def test_the_page_refuses_an_undo_without_a_reason(client, cast, complete_application):
    application = reach(complete_application, S.CITY_APPROVED)
    client.force_login(cast.city_a_reviewer)
    with nothing_moves():
        response = _post(client, application, A.WITHDRAW_APPROVAL, note="  ")
    assert response.status_code == 400
    assert "请说明撤销的理由。" in response.content.decode()


def test_the_page_says_why_an_undo_is_too_late(client, cast, complete_application):
    application = reach(complete_application, S.SIGNED_OFF)
    client.force_login(cast.city_a_reviewer)
    with nothing_moves():
        response = _post(client, application, A.WITHDRAW_APPROVAL)
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "不能“撤回初审通过”" in page
    assert "<summary>撤回初审通过</summary>" not in page


def test_the_page_refuses_other_roles_and_bureaus(client, cast, complete_application):
    application = reach(complete_application, S.CITY_APPROVED)
    with nothing_moves():
        client.force_login(cast.county_a_head)
        assert _post(client, application, A.WITHDRAW_APPROVAL).status_code == 403
        client.force_login(cast.city_b_reviewer)
        assert _post(client, application, A.WITHDRAW_APPROVAL).status_code == 404
        client.force_login(cast.city_a_reviewer)
        assert _post(client, application, "approve").status_code == 400
        assert client.get(reverse("applications:undo", args=[application.pk])).status_code == 405


def test_the_county_hears_of_the_withdrawn_approval(
    cast, complete_application, django_capture_on_commit_callbacks
):
    application = reach(complete_application, S.CITY_APPROVED)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        application_transition(
            application=application,
            action=A.WITHDRAW_APPROVAL,
            by=cast.city_a_reviewer,
            note=REASON,
        )
    event = ApplicationEvent.objects.latest("id")
    recipients = set(
        Notification.objects.filter(key=f"event:{event.pk}").values_list("user", flat=True)
    )
    assert {cast.county_a_head.pk, cast.county_a_applicant.pk} <= recipients
    assert any(REASON in message.body for message in mail.outbox)
