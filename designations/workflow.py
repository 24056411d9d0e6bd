"""The designations' workflow: one table of moves and the one service that performs them.

Read the table against the plan (§三(六), dynamic management): each row says which action
moves a designation from which states to which state, who may fire it (the daily job,
``SystemActor.JOB``, or the campaign office), what must hold first (guards, each returning the
reason it may not) and what the move records (its effect, from a typed context).
``designation_grant`` creates a designation; after that nothing but ``designation_transition``
assigns ``Designation.state``.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.workflow import TransitionError
from audit.enums import AuditAction
from audit.services import audit_record
from core.actors import SystemActor, user_or_none
from core.dates import add_years
from organizations.enums import Role
from organizations.models import User
from organizations.selectors import has_role

from .caching import public_cache_bump
from .enums import (
    HOLDING_STATES,
    IMMEDIATE_GROUNDS,
    DesignationAction,
    DesignationState,
    RevocationGround,
)
from .models import Designation, DesignationEvent
from .notifications import designation_event_notify

D = DesignationState
A = DesignationAction
# The actor of the moves the daily job makes (``designations.jobs``).
DAILY_JOB = SystemActor.JOB


def due_day(designation: Designation) -> date:
    """The day the title's re-inspection falls due, which every title has from its naming."""
    if designation.reinspection_due is None:
        raise ValueError(f"designation {designation.pk} has no re-inspection due date")
    return designation.reinspection_due


def reinspection_due_after(day: date) -> date:
    """The day a title named (or last re-inspected) on ``day`` falls due for re-inspection:
    ``REINSPECTION_PERIOD_YEARS`` later (plan: every 3 years), by the calendar."""
    return add_years(day, settings.REINSPECTION_PERIOD_YEARS)


@dataclass(frozen=True)
class Context:
    """What the actor brings to a move besides the designation."""

    by: User | SystemActor
    note: str = ""
    # The day of the move: today, or the day the daily job runs for.
    today: date = field(default_factory=timezone.localdate)
    deadline: date | None = None
    revoked_on: date | None = None
    plaque_removed_on: date | None = None
    ground: RevocationGround | None = None
    decision: str = ""


# A guard returns None when the move may go ahead, or the reason it may not.
Guard = Callable[[Designation, Context], str | None]
# An effect records the move's data on the locked designation and names the fields it set.
Effect = Callable[[Designation, Context], tuple[str, ...]]


def guard_reinspection_fallen_due(designation: Designation, ctx: Context) -> str | None:
    if designation.reinspection_due is None or designation.reinspection_due > ctx.today:
        return _("The re-inspection is not due yet.")
    return None


def guard_deadline_ahead(designation: Designation, ctx: Context) -> str | None:
    if ctx.deadline is None or ctx.deadline <= ctx.today:
        return _("Set a rectification deadline in the future.")
    return None


def guard_immediate_ground(designation: Designation, ctx: Context) -> str | None:
    if ctx.ground not in IMMEDIATE_GROUNDS:
        return _("Choose the ground for the revocation.")
    return None


def guard_decision(designation: Designation, ctx: Context) -> str | None:
    if not ctx.decision.strip():
        return _("Record the revocation decision.")
    return None


def guard_incident(designation: Designation, ctx: Context) -> str | None:
    if not ctx.note.strip():
        return _("Record the incident.")
    return None


def guard_revocation_dates(designation: Designation, ctx: Context) -> str | None:
    if ctx.revoked_on is None or ctx.plaque_removed_on is None:
        return _("Give the date of the revocation and the date the plaque was removed.")
    if ctx.plaque_removed_on < ctx.revoked_on:
        return _("The plaque cannot be removed before the title is revoked.")
    return None


def effect_none(designation: Designation, ctx: Context) -> tuple[str, ...]:
    return ()


def effect_next_reinspection(designation: Designation, ctx: Context) -> tuple[str, ...]:
    """The title stands: the next re-inspection falls one period after the one due."""
    designation.reinspection_due = reinspection_due_after(due_day(designation))
    return ("reinspection_due",)


def effect_rectification_ordered(designation: Designation, ctx: Context) -> tuple[str, ...]:
    designation.rectification_deadline = ctx.deadline
    return ("rectification_deadline",)


def effect_rectification_accepted(designation: Designation, ctx: Context) -> tuple[str, ...]:
    designation.reinspection_due = reinspection_due_after(due_day(designation))
    designation.rectification_deadline = None
    return ("reinspection_due", "rectification_deadline")


def effect_revoked_after_rectification(designation: Designation, ctx: Context) -> tuple[str, ...]:
    """Still below the standard: revoked and the plaque removed on the day it is recorded."""
    designation.revoked_on = ctx.today
    designation.plaque_removed_on = ctx.today
    designation.revocation_ground = RevocationGround.REINSPECTION
    designation.revocation_decision = ctx.decision.strip()
    return ("revoked_on", "plaque_removed_on", "revocation_ground", "revocation_decision")


def effect_revoked_at_once(designation: Designation, ctx: Context) -> tuple[str, ...]:
    designation.revoked_on = ctx.revoked_on
    designation.plaque_removed_on = ctx.plaque_removed_on
    designation.revocation_ground = ctx.ground or ""
    designation.revocation_decision = ctx.decision.strip()
    return ("revoked_on", "plaque_removed_on", "revocation_ground", "revocation_decision")


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str
    # Role names, or DAILY_JOB (``SystemActor.JOB``) for the moves the daily job makes.
    roles: frozenset[str | SystemActor]
    guards: tuple[Guard, ...]
    effect: Effect


OFFICE = frozenset({Role.CAMPAIGN_OFFICE})
HOLDING = frozenset(HOLDING_STATES)

TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition(
            A.REINSPECTION_DUE,
            frozenset({D.ACTIVE}),
            D.REINSPECTION_DUE,
            frozenset({DAILY_JOB}),
            (guard_reinspection_fallen_due,),
            effect_none,
        ),
        Transition(
            A.REINSPECTION_PASS,
            frozenset({D.REINSPECTION_DUE}),
            D.ACTIVE,
            OFFICE,
            (),
            effect_next_reinspection,
        ),
        Transition(
            A.RECTIFY,
            frozenset({D.REINSPECTION_DUE}),
            D.RECTIFYING,
            OFFICE,
            (guard_deadline_ahead,),
            effect_rectification_ordered,
        ),
        Transition(
            A.RECTIFICATION_PASS,
            frozenset({D.RECTIFYING}),
            D.ACTIVE,
            OFFICE,
            (),
            effect_rectification_accepted,
        ),
        Transition(
            A.RECTIFICATION_FAIL,
            frozenset({D.RECTIFYING}),
            D.REVOKED,
            OFFICE,
            (guard_decision,),
            effect_revoked_after_rectification,
        ),
        Transition(
            A.REVOKE,
            HOLDING,
            D.REVOKED,
            OFFICE,
            (guard_immediate_ground, guard_incident, guard_decision, guard_revocation_dates),
            effect_revoked_at_once,
        ),
    )
}


def _may_act(by: User | SystemActor, transition: Transition) -> bool:
    if isinstance(by, SystemActor):
        return by in transition.roles
    return has_role(by, *(role for role in transition.roles if isinstance(role, str)))


def can_fire(user: User | SystemActor, designation: Designation, action: str) -> bool:
    """Whether ``user`` may fire ``action`` on ``designation`` in its current state (no guards)."""
    transition = TRANSITIONS[action]
    return designation.state in transition.sources and _may_act(user, transition)


def available_actions(user: User | SystemActor, designation: Designation) -> list[str]:
    return [action for action in TRANSITIONS if can_fire(user, designation, action)]


# Steps of a rectification that leave the state as it is: the designation's history rows only,
# the act is the rectification service's own entry (``reinspections.rectifications``).
HISTORY_ONLY = (A.RECTIFICATION_FILE, A.RECTIFICATION_SUBMIT, A.REQUIREMENT_JUDGE)
# The trail's member for each move; built when the module loads, so a move without its member
# (``audit.enums.AuditAction``) fails at start rather than at the move.
AUDIT_ACTIONS: dict[str, AuditAction] = {
    action: AuditAction(f"designation.{action}") for action in A if action not in HISTORY_ONLY
}


def designation_event_record(
    *,
    designation: Designation,
    by: User | SystemActor,
    action: str,
    to_state: str,
    from_state: str = "",
    note: str = "",
    ip: str | None = None,
    changed: dict | None = None,
) -> DesignationEvent:
    """Append the designation's history row and, for a move (not ``HISTORY_ONLY``), its audit
    entry, in the caller's transaction. The system (the daily job) leaves the row's actor
    empty and is named in the trail."""
    event = DesignationEvent.objects.create(
        designation=designation,
        actor=user_or_none(by),
        action=action,
        from_state=from_state,
        to_state=to_state,
        note=note,
        ip=ip,
    )
    if action not in HISTORY_ONLY:
        audit_record(
            action=AUDIT_ACTIONS[action],
            actor=by,
            obj=designation,
            ip=ip,
            details={"from": from_state, "to": to_state, "note": note, **(changed or {})},
        )
    return event


def designation_transition(
    *,
    designation: Designation,
    action: str,
    by: User | SystemActor,
    note: str = "",
    today: date | None = None,
    deadline: date | None = None,
    revoked_on: date | None = None,
    plaque_removed_on: date | None = None,
    ground: RevocationGround | None = None,
    decision: str = "",
    ip: str | None = None,
) -> Designation:
    """Move ``designation`` by ``action``: the only place a designation's state changes.

    ``by`` ``SystemActor.JOB`` is the daily job, which only marks re-inspections due; every
    other move is the campaign office's. Who acts is checked first (``PermissionDenied`` in
    any state); then, on the row locked with ``select_for_update``, the state and the guards
    (``TransitionError`` with every reason; nothing is written). The move's effect records its
    data, and a ``DesignationEvent`` is appended in the same transaction. A revocation takes
    the bureau off the cached public list after commit.
    """
    transition = TRANSITIONS[action]
    if not _may_act(by, transition):
        raise PermissionDenied(_("Only the campaign office changes a designation."))
    ctx = Context(
        by=by,
        note=note,
        today=today or timezone.localdate(),
        deadline=deadline,
        revoked_on=revoked_on,
        plaque_removed_on=plaque_removed_on,
        ground=ground,
        decision=decision,
    )
    with transaction.atomic():
        locked = Designation.objects.select_for_update().get(pk=designation.pk)
        if locked.state not in transition.sources:
            raise TransitionError(
                [
                    _("The designation is “%(state)s”: “%(action)s” is not possible now.")
                    % {
                        "state": locked.get_state_display(),
                        "action": DesignationAction(action).label,
                    }
                ]
            )
        reasons = [reason for guard in transition.guards if (reason := guard(locked, ctx))]
        if reasons:
            raise TransitionError(reasons)
        from_state = locked.state
        locked.state = transition.target
        changed = transition.effect(locked, ctx)
        locked.save(update_fields=["state", *changed])
        event = designation_event_record(
            designation=locked,
            by=by,
            action=action,
            from_state=from_state,
            to_state=transition.target,
            note=note,
            ip=ip,
            changed={name: getattr(locked, name) for name in changed},
        )
        designation_event_notify(designation=locked, event=event)
        if transition.target == D.REVOKED:
            transaction.on_commit(public_cache_bump)
    return locked
