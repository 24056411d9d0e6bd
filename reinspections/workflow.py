"""The rectification's workflow: one table of moves and the one service that performs them.

Read the table against the plan (§三(六), rectification as a report): each row says which action
moves a rectification from which states to which state, who may fire it (a predicate on the
actor and the rectification), what must hold first (guards, each returning the reason it may
not) and what the move records (its effect). ``rectification_order`` creates a rectification
(open, its ``ORDER`` history row); after that nothing but ``rectification_transition`` assigns
``Rectification.state``, and every move appends a ``RectificationEvent``. The services of
``reinspections.rectifications`` call it inside their own act (its audit entry is theirs); the
designation's own moves stay ``designations.workflow``'s.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.workflow import TransitionError
from core.actors import SystemActor, user_or_none
from designations.enums import DesignationState
from designations.permissions import can_manage_designations
from organizations.models import User

from .deadlines import deadline_passed
from .enums import RectificationAction, RectificationState
from .models import Rectification, RectificationEvent
from .permissions import can_submit_rectification

R = RectificationState
A = RectificationAction


@dataclass(frozen=True)
class Context:
    """What the actor brings to a move besides the rectification."""

    by: User | SystemActor
    note: str = ""
    now: datetime = field(default_factory=timezone.now)
    decision: str = ""


# A guard returns None when the move may go ahead, or the reason it may not.
Guard = Callable[[Rectification, Context], str | None]
# An effect records the move's data on the locked rectification and names the fields it set.
Effect = Callable[[Rectification, Context], tuple[str, ...]]
# Whether the actor may fire the move on this rectification (its permission predicate).
May = Callable[[User | SystemActor, Rectification], bool]


def guard_in_time(rectification: Rectification, ctx: Context) -> str | None:
    if deadline_passed(rectification, now=ctx.now):
        return _("The rectification deadline, %(deadline)s, has passed.") % {
            "deadline": rectification.deadline.isoformat()
        }
    return None


def guard_deadline_passed(rectification: Rectification, ctx: Context) -> str | None:
    if not deadline_passed(rectification, now=ctx.now):
        return _(
            "Not every requirement is met, and the deadline, %(deadline)s, has not "
            "passed: the county may still put them right."
        ) % {"deadline": rectification.deadline.isoformat()}
    return None


def guard_every_requirement_has_a_file(rectification: Rectification, ctx: Context) -> str | None:
    missing = list(
        rectification.requirements.filter(files__isnull=True)
        .order_by("position")
        .values_list("position", flat=True)
    )
    if missing:
        return _("Upload the report or evidence for requirement(s) %(numbers)s first.") % {
            "numbers": _(", ").join(str(n) for n in missing)
        }
    return None


def guard_a_requirement_not_met(rectification: Rectification, ctx: Context) -> str | None:
    if not rectification.requirements.filter(met=False).exists():
        return _("No requirement is judged not met.")
    return None


def guard_every_requirement_met(rectification: Rectification, ctx: Context) -> str | None:
    if rectification.requirements.exclude(met=True).exists():
        return _("Not every requirement is judged met.")
    return None


def guard_every_requirement_judged(rectification: Rectification, ctx: Context) -> str | None:
    """A submitted report is judged in full before it fails (an open one failed for want of
    a report: nothing to judge)."""
    if rectification.state == R.SUBMITTED and rectification.requirements.filter(met=None).exists():
        return _("Judge every requirement of the submitted report first.")
    return None


def guard_decision(rectification: Rectification, ctx: Context) -> str | None:
    if not ctx.decision.strip():
        return _("Record the revocation decision.")
    return None


def guard_title_revoked(rectification: Rectification, ctx: Context) -> str | None:
    if rectification.designation.state != DesignationState.REVOKED:
        return _("The title is not revoked.")
    return None


def effect_none(rectification: Rectification, ctx: Context) -> tuple[str, ...]:
    return ()


def effect_submitted(rectification: Rectification, ctx: Context) -> tuple[str, ...]:
    rectification.submitted_by = user_or_none(ctx.by)
    rectification.submitted_at = ctx.now
    return ("submitted_by", "submitted_at")


def effect_concluded(rectification: Rectification, ctx: Context) -> tuple[str, ...]:
    rectification.concluded_by = user_or_none(ctx.by)
    rectification.concluded_at = ctx.now
    return ("concluded_by", "concluded_at")


def _office(by: User | SystemActor, rectification: Rectification) -> bool:
    return can_manage_designations(by)


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str
    may: May
    guards: tuple[Guard, ...]
    effect: Effect


RUNNING = frozenset({R.OPEN, R.SUBMITTED})

TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        # The county head submits the report: in time, a file for every requirement.
        Transition(
            A.SUBMIT,
            frozenset({R.OPEN}),
            R.SUBMITTED,
            can_submit_rectification,
            (guard_in_time, guard_every_requirement_has_a_file),
            effect_submitted,
        ),
        # The office judged a requirement not met while the deadline day lasts: the county
        # puts it right and submits again.
        Transition(
            A.REOPEN,
            frozenset({R.SUBMITTED}),
            R.OPEN,
            _office,
            (guard_in_time, guard_a_requirement_not_met),
            effect_none,
        ),
        # Every requirement judged met, whenever: the title is kept.
        Transition(
            A.PASS,
            frozenset({R.SUBMITTED}),
            R.PASSED,
            _office,
            (guard_every_requirement_met,),
            effect_concluded,
        ),
        # After the deadline, a requirement not met or nothing submitted: revoked on the
        # office's decision.
        Transition(
            A.FAIL,
            RUNNING,
            R.FAILED,
            _office,
            (guard_deadline_passed, guard_every_requirement_judged, guard_decision),
            effect_concluded,
        ),
        # The title revoked at once while the rectification runs: it ends with the title.
        Transition(
            A.END,
            RUNNING,
            R.FAILED,
            _office,
            (guard_title_revoked,),
            effect_concluded,
        ),
    )
}


def rectification_event_record(
    *,
    rectification: Rectification,
    by: User | SystemActor,
    action: str,
    to_state: str,
    from_state: str = "",
    note: str = "",
    ip: str | None = None,
) -> RectificationEvent:
    """Append the rectification's history row, in the caller's transaction (the act's audit
    entry is the calling service's). The system leaves the row's actor empty."""
    return RectificationEvent.objects.create(
        rectification=rectification,
        actor=user_or_none(by),
        action=action,
        from_state=from_state,
        to_state=to_state,
        note=note,
        ip=ip,
    )


def rectification_transition(
    *,
    rectification: Rectification,
    action: str,
    by: User | SystemActor,
    note: str = "",
    decision: str = "",
    now: datetime | None = None,
    ip: str | None = None,
) -> Rectification:
    """Move ``rectification`` by ``action``: the only place a rectification's state changes.

    Who acts is checked first (the row's predicate: ``PermissionDenied`` in any state); then,
    on the row locked with ``select_for_update``, the state and the guards (``TransitionError``
    with every reason; nothing is written). The move's effect records its data and one
    ``RectificationEvent`` is appended in the same transaction. No audit entry of its own: the
    calling service's act holds it.
    """
    transition = TRANSITIONS[action]
    if not transition.may(by, rectification):
        raise PermissionDenied(_("You may not do this to the rectification."))
    ctx = Context(by=by, note=note, now=now or timezone.now(), decision=decision)
    with transaction.atomic():
        locked = (
            Rectification.objects.select_for_update(of=("self",))
            .select_related("designation__bureau")
            .get(pk=rectification.pk)
        )
        if locked.state not in transition.sources:
            raise TransitionError(
                [
                    _("The rectification is “%(state)s”: “%(action)s” is not possible now.")
                    % {
                        "state": locked.get_state_display(),
                        "action": RectificationAction(action).label,
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
        rectification_event_record(
            rectification=locked,
            by=by,
            action=action,
            from_state=from_state,
            to_state=transition.target,
            note=note,
            ip=ip,
        )
    return locked
