"""The transition table and the one service that performs it."""

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.utils import timezone

from applications.enums import Action, ApplicationState
from applications.models import Application, ApplicationEvent, Cycle, Evidence
from applications.services import application_create, county_deadline_set, cycle_close
from applications.workflow import TRANSITIONS, TransitionError, application_transition
from designations.models import Designation
from organizations.models import Bureau

pytestmark = pytest.mark.django_db

S = ApplicationState
ACTOR = {
    Action.SUBMIT: "county_a_head",
    Action.RESUBMIT: "county_a_head",
    Action.WITHDRAW: "county_a_head",
    Action.RETURN: "city_a_reviewer",
    Action.APPROVE: "city_a_reviewer",
    Action.DECLINE: "city_a_reviewer",
    Action.SIGN_OFF: "city_a_head",
    Action.SIGN_OFF_DECLINE: "city_a_head",
    Action.FORWARD: "city_a_head",
    Action.WRITTEN_PASS: "office",
    Action.WRITTEN_FAIL: "office",
    Action.INSPECTION_PASS: "office",
    Action.INSPECTION_FAIL: "office",
    Action.DECIDE_APPROVE: "office",
    Action.DECIDE_REJECT: "office",
    Action.DESIGNATE: "office",
}
# The Party meeting outcome each action's guard looks for.
SIGN_OFF_NEEDED = {
    Action.SIGN_OFF: "approved",
    Action.FORWARD: "approved",
    Action.SIGN_OFF_DECLINE: "declined",
}


INSPECTION_NEEDED = {Action.INSPECTION_PASS: "passed", Action.INSPECTION_FAIL: "failed"}
DECISION_NEEDED = {Action.DECIDE_APPROVE: "approved", Action.DECIDE_REJECT: "not_approved"}


def record_written_review(application, by, rating="met"):
    """Every section scored and signed, as the evaluators would leave it."""
    from evaluation.models import ItemScore, ScoreSheet

    for section in application.cycle.criteria_version.sections.all():
        sheet = ScoreSheet.objects.create(
            application=application, section=section, signed_by=by, signed_at=timezone.now()
        )
        ItemScore.objects.bulk_create(
            ItemScore(sheet=sheet, item=item, rating=rating, updated_by=by)
            for item in section.items.all()
        )


def record_inspection(application, result, by):
    from evaluation.models import Inspection

    return Inspection.objects.create(
        application=application, visit_date="2026-09-01", scheduled_by=by, result=result
    )


def record_decision(application, decision, by):
    import secrets

    from evaluation.models import ProvincialDecision, ProvincialMeeting

    meeting = ProvincialMeeting.objects.create(
        cycle=application.cycle,
        held_on="2026-10-10",
        number="厅党委〔2026〕8号",
        recorded_by=by,
        original_name="纪要.pdf",
        stored_name=secrets.token_hex(20),
        kind="pdf",
        size=1,
        sha256="0" * 64,
    )
    return ProvincialDecision.objects.create(
        meeting=meeting, application=application, decision=decision, decided_by=by
    )


def record_sign_off(application, outcome, by):
    """A Party meeting's outcome for ``application``, as the review records it."""
    import secrets

    from review.models import PartyMeeting, SignOff

    meeting = PartyMeeting.objects.create(
        cycle=application.cycle,
        city=application.county.parent,
        meeting_kind="party_group",
        held_on="2026-06-30",
        minutes_number="会议纪要〔2026〕5号",
        recorded_by=by,
        original_name="纪要.pdf",
        stored_name=secrets.token_hex(20),
        kind="pdf",
        size=1,
        sha256="0" * 64,
    )
    return SignOff.objects.create(meeting=meeting, application=application, outcome=outcome)


def _fire(application, action, user, **kwargs):
    kwargs.setdefault("pledge", True)
    kwargs.setdefault("acknowledged", True)
    kwargs.setdefault("note", "第3.2项佐证材料不全")
    return application_transition(application=application, action=action, by=user, **kwargs)


@pytest.mark.parametrize("state", list(S))
@pytest.mark.parametrize("action", list(TRANSITIONS))
def test_every_action_from_every_state(complete_application, cast, state, action):
    Application.objects.filter(pk=complete_application.pk).update(state=state)
    complete_application.refresh_from_db()
    transition = TRANSITIONS[action]
    before = ApplicationEvent.objects.count()
    user = getattr(cast, ACTOR[action])
    if action in SIGN_OFF_NEEDED:
        record_sign_off(complete_application, SIGN_OFF_NEEDED[action], cast.city_a_head)
    if action in (Action.WRITTEN_PASS, Action.WRITTEN_FAIL):
        record_written_review(complete_application, cast.office)
    if action in INSPECTION_NEEDED:
        record_inspection(complete_application, INSPECTION_NEEDED[action], cast.office)
    if action in DECISION_NEEDED:
        record_decision(complete_application, DECISION_NEEDED[action], cast.office)
    if action == Action.DESIGNATE:
        Designation.objects.create(
            bureau=complete_application.county,
            number="黑司示〔2026〕99号",
            designated_on="2026-12-01",
            application=complete_application,
        )
    if state in transition.sources:
        result = _fire(complete_application, action, user)
        assert result.state == transition.target
        complete_application.refresh_from_db()
        assert complete_application.state == transition.target
        event = ApplicationEvent.objects.latest("id")
        assert (event.action, event.from_state, event.to_state, event.actor) == (
            action,
            state,
            transition.target,
            user,
        )
        assert ApplicationEvent.objects.count() == before + 1
    else:
        with pytest.raises(TransitionError) as error:
            _fire(complete_application, action, user)
        assert "不能" in error.value.messages[0]
        complete_application.refresh_from_db()
        assert complete_application.state == state
        assert ApplicationEvent.objects.count() == before


def test_create_writes_the_create_event(application, cast):
    event = application.events.get()
    assert (event.action, event.from_state, event.to_state) == ("create", "", "draft")
    assert event.actor == cast.county_a_applicant


def test_one_application_per_county_per_cycle(application, cycle, cast):
    with pytest.raises(TransitionError) as error:
        application_create(cycle=cycle, county=application.county, by=cast.county_a_head)
    assert "已有" in error.value.messages[0]
    assert Application.objects.filter(cycle=cycle, county=application.county).count() == 1


def test_a_county_holding_the_title_cannot_apply(cycle, cast):
    county = Bureau.objects.get(code="230202")
    Designation.objects.create(
        bureau=county, number="黑司示〔2025〕1号", designated_on="2025-12-01"
    )
    with pytest.raises(TransitionError) as error:
        application_create(cycle=cycle, county=county, by=cast.county_b_applicant)
    assert "复检" in error.value.messages[0]
    assert not Application.objects.filter(county=county).exists()


def test_no_application_when_the_cycle_is_closed(cycle, cast):
    cycle_close(cycle=cycle)
    with pytest.raises(TransitionError):
        application_create(
            cycle=cycle, county=Bureau.objects.get(code="230102"), by=cast.county_a_head
        )
    assert not Application.objects.exists()


def test_applicant_cannot_submit_only_the_head_can(complete_application, cast):
    with pytest.raises(PermissionDenied):
        _fire(complete_application, Action.SUBMIT, cast.county_a_applicant)
    complete_application.refresh_from_db()
    assert complete_application.state == S.DRAFT


def test_another_countys_head_cannot_submit(complete_application, cast):
    with pytest.raises(PermissionDenied):
        _fire(complete_application, Action.SUBMIT, cast.county_b_head)
    assert complete_application.events.count() == 1


def test_another_citys_reviewer_cannot_return(complete_application, cast):
    _fire(complete_application, Action.SUBMIT, cast.county_a_head)
    with pytest.raises(PermissionDenied):
        _fire(complete_application, Action.RETURN, cast.city_b_reviewer)
    complete_application.refresh_from_db()
    assert complete_application.state == S.SUBMITTED


def test_submission_needs_the_pledge(complete_application, cast):
    with pytest.raises(TransitionError) as error:
        _fire(complete_application, Action.SUBMIT, cast.county_a_head, pledge=False)
    assert any("承诺" in message for message in error.value.messages)
    complete_application.refresh_from_db()
    assert complete_application.state == S.DRAFT
    assert complete_application.pledged_at is None


def test_submission_records_the_pledge_and_freezes_evidence(complete_application, cast):
    Evidence.objects.create(
        application=complete_application, original_name="a.pdf", stored_name="x" * 40,
        kind="pdf", size=10, sha256="0" * 64, round=1, uploaded_by=cast.county_a_applicant,
    )  # fmt: skip
    _fire(complete_application, Action.SUBMIT, cast.county_a_head)
    complete_application.refresh_from_db()
    assert complete_application.pledged_by == cast.county_a_head
    assert complete_application.submitted_at is not None
    assert Evidence.objects.get(application=complete_application).frozen


def test_incomplete_application_is_refused_with_what_is_missing(application, cast):
    with pytest.raises(TransitionError) as error:
        _fire(application, Action.SUBMIT, cast.county_a_head)
    text = " ".join(error.value.messages)
    assert "未填写" in text or "尚未" in text
    assert "1.1" in text
    application.refresh_from_db()
    assert application.state == S.DRAFT


def test_warnings_must_be_acknowledged(complete_application, cast):
    # No evidence uploaded: a warning the head must acknowledge.
    with pytest.raises(TransitionError):
        _fire(complete_application, Action.SUBMIT, cast.county_a_head, acknowledged=False)
    _fire(complete_application, Action.SUBMIT, cast.county_a_head, acknowledged=True)
    complete_application.refresh_from_db()
    assert complete_application.state == S.SUBMITTED


def test_submission_after_the_citys_county_deadline_is_refused(complete_application, cast):
    cycle: Cycle = complete_application.cycle
    county_deadline_set(
        cycle=cycle,
        city=Bureau.objects.get(code="230100"),
        deadline=timezone.now() - timedelta(seconds=1),
        by=cast.city_a_head,
    )
    with pytest.raises(TransitionError) as error:
        _fire(complete_application, Action.SUBMIT, cast.county_a_head)
    assert any("截止" in message for message in error.value.messages)


def test_return_needs_reasons_and_opens_a_new_round(complete_application, cast):
    _fire(complete_application, Action.SUBMIT, cast.county_a_head)
    with pytest.raises(TransitionError):
        _fire(complete_application, Action.RETURN, cast.city_a_reviewer, note="  ")
    _fire(complete_application, Action.RETURN, cast.city_a_reviewer, note="请补充3.2佐证")
    complete_application.refresh_from_db()
    assert complete_application.state == S.RETURNED
    assert complete_application.round == 2
    _fire(complete_application, Action.RESUBMIT, cast.county_a_head)
    complete_application.refresh_from_db()
    assert complete_application.state == S.SUBMITTED
    actions = list(complete_application.events.values_list("action", flat=True))
    assert actions == ["create", "submit", "return", "resubmit"]


def test_submission_mails_the_city_reviewers_after_commit(
    complete_application, cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _fire(complete_application, Action.SUBMIT, cast.county_a_head)
        assert mail.outbox == []  # nothing before the commit
    assert len(mail.outbox) == 1
    inbox = cast.city_a_reviewer.notifications.get()
    assert inbox.read_at is None
    assert inbox.url == f"/applications/{complete_application.pk}/"
    message = mail.outbox[0]
    assert message.to == [cast.city_a_reviewer.email]
    assert "哈尔滨市道里区司法局" in message.subject
    assert "提交" in message.subject


def test_refused_transition_sends_nothing(complete_application, cast):
    with pytest.raises(TransitionError):
        _fire(complete_application, Action.SUBMIT, cast.county_a_head, pledge=False)
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_submits_make_one_change(cast, django_db_blocker):
    from applications.services import cycle_create, cycle_open
    from portal.demo import application_fill_example
    from standards.models import CriteriaVersion

    cycle = cycle_open(
        cycle=cycle_create(
            year=2099,
            criteria_version=CriteriaVersion.objects.get(name="2017年试行版"),
            city_deadline=timezone.now() + timedelta(days=30),
            parameters={"legal_aid_provincial_average": "120"},
        )
    )
    app = application_create(
        cycle=cycle, county=Bureau.objects.get(code="230102"), by=cast.county_a_head
    )
    application_fill_example(app, by=cast.county_a_head)

    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def submit():
        try:
            barrier.wait()
            _fire(Application.objects.get(pk=app.pk), Action.SUBMIT, cast.county_a_head)
            outcomes.append("ok")
        except TransitionError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ok", "refused"]
    assert ApplicationEvent.objects.filter(application=app, action=Action.SUBMIT).count() == 1
    assert Application.objects.get(pk=app.pk).state == S.SUBMITTED
