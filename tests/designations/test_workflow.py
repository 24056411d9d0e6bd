"""The designations' table: every action from every state, who may act, the guards."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.workflow import TransitionError
from core.actors import SystemActor
from designations.enums import DesignationAction, DesignationState, RevocationGround
from designations.models import Designation, DesignationEvent
from designations.workflow import (
    DAILY_JOB,
    TRANSITIONS,
    available_actions,
    designation_transition,
)
from organizations.enums import Role
from tests.states import stock

from . import factories
from .factories import DUE_ON

pytestmark = pytest.mark.django_db
D = DesignationState
A = DesignationAction

# (state, action) → the state it leads to; every pair not listed is refused.
ALLOWED = {
    (D.ACTIVE, A.REINSPECTION_DUE): D.REINSPECTION_DUE,
    (D.REINSPECTION_DUE, A.REINSPECTION_PASS): D.ACTIVE,
    (D.REINSPECTION_DUE, A.RECTIFY): D.RECTIFYING,
    (D.RECTIFYING, A.RECTIFICATION_PASS): D.ACTIVE,
    (D.RECTIFYING, A.RECTIFICATION_FAIL): D.REVOKED,
    (D.ACTIVE, A.REVOKE): D.REVOKED,
    (D.REINSPECTION_DUE, A.REVOKE): D.REVOKED,
    (D.RECTIFYING, A.REVOKE): D.REVOKED,
}
OFFICE_ACTIONS = [a for a in TRANSITIONS if a != A.REINSPECTION_DUE]


def at_state(cast, state: str, code: str = "230102") -> Designation:
    return factories.at_state(cast.office, state, code)


def fire(cast, designation: Designation, action: str, by="office") -> Designation:
    """``action`` with everything its guards ask for."""
    actor = SystemActor.JOB if action == A.REINSPECTION_DUE else getattr(cast, by)
    return designation_transition(
        designation=designation,
        action=action,
        by=actor,
        note="记录",
        today=DUE_ON if action == A.REINSPECTION_DUE else None,
        deadline=timezone.localdate() + timedelta(days=30),
        revoked_on=date(2026, 3, 1),
        plaque_removed_on=date(2026, 3, 2),
        ground=RevocationGround.MAJOR_ERROR,
        decision="黑司发〔2026〕9号",
    )


@pytest.mark.parametrize("action", list(TRANSITIONS))
@pytest.mark.parametrize("state", list(D))
def test_every_action_from_every_state(cast, state, action):
    designation = at_state(cast, state)
    assert designation.state == state
    before = stock()
    events = DesignationEvent.objects.filter(designation=designation).count()
    target = ALLOWED.get((state, action))
    if target is None:
        with pytest.raises(TransitionError) as error:
            fire(cast, designation, action)
        assert designation.get_state_display() in error.value.messages[0]
        assert stock() == before
        return
    moved = fire(cast, designation, action)
    designation.refresh_from_db()
    assert (moved.state, designation.state) == (target, target)
    event = DesignationEvent.objects.filter(designation=designation).latest("id")
    assert (event.action, event.from_state, event.to_state) == (action, state, target)
    assert DesignationEvent.objects.filter(designation=designation).count() == events + 1


def test_the_effects_record_what_each_move_says(cast):
    due = at_state(cast, D.REINSPECTION_DUE)
    passed = fire(cast, due, A.REINSPECTION_PASS)
    assert passed.reinspection_due == date(2029, 1, 10)

    rectifying = at_state(cast, D.RECTIFYING, code="230202")
    deadline = rectifying.rectification_deadline
    assert deadline == timezone.localdate() + timedelta(days=60)
    restored = fire(cast, rectifying, A.RECTIFICATION_PASS)
    assert (restored.reinspection_due, restored.rectification_deadline) == (
        date(2029, 1, 10),
        None,
    )


def test_a_failed_rectification_revokes_today_on_the_decision(cast):
    revoked = fire(cast, at_state(cast, D.RECTIFYING), A.RECTIFICATION_FAIL)
    today = timezone.localdate()
    assert (revoked.revoked_on, revoked.plaque_removed_on) == (today, today)
    assert revoked.revocation_ground == RevocationGround.REINSPECTION
    assert revoked.revocation_decision == "黑司发〔2026〕9号"


def test_an_immediate_revocation_records_ground_decision_and_dates(cast):
    revoked = fire(cast, at_state(cast, D.ACTIVE), A.REVOKE)
    assert (revoked.revoked_on, revoked.plaque_removed_on) == (date(2026, 3, 1), date(2026, 3, 2))
    assert revoked.revocation_ground == RevocationGround.MAJOR_ERROR
    assert revoked.revocation_decision == "黑司发〔2026〕9号"
    assert DesignationEvent.objects.filter(designation=revoked).latest("id").note == "记录"


def test_a_revocation_bumps_the_public_cache_after_commit(cast, django_capture_on_commit_callbacks):
    designation = at_state(cast, D.ACTIVE)
    with django_capture_on_commit_callbacks() as callbacks:
        fire(cast, designation, A.REVOKE)
    names = [c.__name__ for c in callbacks]
    assert names.count("public_cache_bump") == 1
    # The rest mail the county its notice of the revocation (designations.notifications).
    assert set(names) - {"public_cache_bump"} == {"send"}


@pytest.mark.parametrize("action", OFFICE_ACTIONS)
@pytest.mark.parametrize(
    "who", ["county_a_head", "city_a_head", "evaluator_publicity", "sysadmin", "nobody"]
)
def test_only_the_office_acts(cast, who, action):
    # In the state the action starts from, so that only the actor is wrong.
    state = next(s for (s, a) in ALLOWED if a == action)
    designation = at_state(cast, state)
    before = stock()
    with pytest.raises(PermissionDenied):
        fire(cast, designation, action, by=who)
    assert stock() == before


@pytest.mark.parametrize("action", OFFICE_ACTIONS)
def test_the_daily_job_only_marks_reinspections_due(cast, action):
    state = next(s for (s, a) in ALLOWED if a == action)
    designation = at_state(cast, state)
    before = stock()
    with pytest.raises(PermissionDenied):
        designation_transition(designation=designation, action=action, by=SystemActor.JOB, note="x")
    assert stock() == before


def test_the_office_does_not_mark_a_reinspection_due(cast):
    designation = at_state(cast, D.ACTIVE)
    before = stock()
    with pytest.raises(PermissionDenied):
        designation_transition(
            designation=designation, action=A.REINSPECTION_DUE, by=cast.office, today=DUE_ON
        )
    assert stock() == before


def test_the_role_is_checked_before_the_state(cast):
    designation = at_state(cast, D.REVOKED)
    with pytest.raises(PermissionDenied):
        fire(cast, designation, A.REVOKE, by="county_a_head")


def test_the_job_does_not_mark_a_reinspection_before_it_falls_due(cast):
    designation = at_state(cast, D.ACTIVE)
    before = stock()
    with pytest.raises(TransitionError) as error:
        designation_transition(
            designation=designation,
            action=A.REINSPECTION_DUE,
            by=SystemActor.JOB,
            today=DUE_ON - timedelta(days=1),
        )
    assert error.value.messages == [_("The re-inspection is not due yet.")]
    assert stock() == before


@pytest.mark.parametrize("deadline", [None, "today", "yesterday"])
def test_rectification_needs_a_deadline_in_the_future(cast, deadline):
    designation = at_state(cast, D.REINSPECTION_DUE)
    before = stock()
    day = {
        None: None,
        "today": timezone.localdate(),
        "yesterday": timezone.localdate() - timedelta(days=1),
    }[deadline]
    with pytest.raises(TransitionError) as error:
        designation_transition(
            designation=designation, action=A.RECTIFY, by=cast.office, deadline=day
        )
    assert len(error.value.messages) == 1
    assert stock() == before


def test_a_revocation_lacking_everything_gives_every_reason(cast):
    designation = at_state(cast, D.ACTIVE)
    before = stock()
    with pytest.raises(TransitionError) as error:
        designation_transition(
            designation=designation,
            action=A.REVOKE,
            by=cast.office,
            ground=RevocationGround.REINSPECTION,  # not a ground for an immediate revocation
            note=" ",
            decision="",
        )
    # Ground, incident, decision, dates: four reasons at once.
    assert len(error.value.messages) == 4
    assert stock() == before


def test_the_plaque_is_not_removed_before_the_revocation(cast):
    designation = at_state(cast, D.ACTIVE)
    before = stock()
    with pytest.raises(TransitionError):
        designation_transition(
            designation=designation,
            action=A.REVOKE,
            by=cast.office,
            ground=RevocationGround.VIOLATION,
            note="事件",
            decision="决定",
            revoked_on=date(2026, 3, 2),
            plaque_removed_on=date(2026, 3, 1),
        )
    assert stock() == before


def test_a_rectification_failure_needs_the_decision(cast):
    designation = at_state(cast, D.RECTIFYING)
    before = stock()
    with pytest.raises(TransitionError):
        designation_transition(
            designation=designation, action=A.RECTIFICATION_FAIL, by=cast.office, decision=" "
        )
    assert stock() == before


def test_the_table_names_its_actors():
    assert TRANSITIONS[A.REINSPECTION_DUE].roles == frozenset({DAILY_JOB})
    for action in OFFICE_ACTIONS:
        assert TRANSITIONS[action].roles == frozenset({Role.CAMPAIGN_OFFICE})


@pytest.mark.parametrize(
    ("state", "actions"),
    [
        (D.ACTIVE, [A.REVOKE]),
        (D.REINSPECTION_DUE, [A.REINSPECTION_PASS, A.RECTIFY, A.REVOKE]),
        (D.RECTIFYING, [A.RECTIFICATION_PASS, A.RECTIFICATION_FAIL, A.REVOKE]),
        (D.REVOKED, []),
    ],
)
def test_available_actions_of_the_office(cast, state, actions):
    designation = at_state(cast, state)
    assert available_actions(cast.office, designation) == actions
    assert available_actions(cast.city_a_head, designation) == []
    assert available_actions(SystemActor.JOB, designation) == (
        [A.REINSPECTION_DUE] if state == D.ACTIVE else []
    )
