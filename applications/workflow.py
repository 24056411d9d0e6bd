"""The application workflow: one table of transitions and the one service that performs them.

Read the table against the plan: each row says which action moves an application from which
states to which state, who may fire it (role, and whose application: the county's own, its
city's, or the province's), and what must hold first (guards). Views, tasks and admin actions
call ``application_transition``; nothing else assigns ``Application.state``.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.enums import AuditAction
from audit.services import audit_record
from core.dates import is_past
from core.hooks import HookPoint, hooks
from core.tasks import queue_after_commit
from organizations.enums import Role
from organizations.models import User
from organizations.selectors import memberships_of

from . import hooks as hooks_
from .completeness import completeness_of
from .deadlines import county_deadline
from .enums import Action, ApplicationKind, ApplicationState, CycleState
from .hooks import EVALUATOR_SCOPE
from .models import Application, ApplicationEvent, Evidence
from .tasks import notify_event

S = ApplicationState


@dataclass(frozen=True)
class Context:
    """What the user brings to a transition besides the application."""

    user: User
    note: str = ""
    ip: str | None = None
    pledge: bool = False
    acknowledged: bool = False
    now: datetime = field(default_factory=timezone.now)


# A guard returns None when the transition may go ahead, or the reason it may not.
Guard = Callable[[Application, Context], str | None]


def guard_cycle_open(application: Application, ctx: Context) -> str | None:
    if application.cycle.state != CycleState.OPEN:
        return _("The %(year)s cycle is not open.") % {"year": application.cycle.year}
    return None


def guard_before_county_deadline(application: Application, ctx: Context) -> str | None:
    deadline = county_deadline(application)
    if is_past(deadline, ctx.now):
        return _("The deadline for submissions, %(deadline)s, has passed.") % {
            "deadline": deadline.isoformat()
        }
    return None


def guard_pledge(application: Application, ctx: Context) -> str | None:
    if not ctx.pledge:
        return _("The county head must pledge that the materials are objective and true.")
    return None


def guard_complete(application: Application, ctx: Context) -> str | None:
    report = completeness_of(application)
    if report.blocking:
        return _("The application is not complete: %(missing)s") % {
            "missing": "；".join(report.blocking)
        }
    if report.warnings and not ctx.acknowledged:
        return _("Acknowledge the warnings (unmet indicators, veto items not met) first.")
    return None


def guard_form_scan(application: Application, ctx: Context) -> str | None:
    if not Evidence.objects.filter(
        application=application, item__isnull=True, removed_at__isnull=True
    ).exists():
        return _(
            "%(bureau)s has not uploaded its stamped, signed application form yet: it is "
            "needed before forwarding."
        ) % {"bureau": application.county.name}
    return None


def guard_note(application: Application, ctx: Context) -> str | None:
    if not ctx.note.strip():
        return _("Give the reasons.")
    return None


# Guards whose rules live in an app above this one (review: sign-offs, forwarding deadline;
# evaluation: the written review, the inspection, the decision; designations: the title). The
# table names them; the owning app registers the function in ``core.hooks`` at start-up. An
# unregistered hook fails ``manage.py check`` and raises if called, never a silent pass.
class HookGuard:
    """A guard the table names and another app implements."""

    def __init__(self, point: HookPoint) -> None:
        self.point = point
        self.__name__ = f"hook_{point.name}"

    def __call__(self, application: Application, ctx: Context) -> str | None:
        return hooks.one(self.point)(application, ctx)

    def __repr__(self) -> str:
        return f"hook({self.point.name!r})"


def hook(point: HookPoint) -> HookGuard:
    return HookGuard(point)


APPLICATION_ONLY = frozenset({ApplicationKind.APPLICATION})
REINSPECTION_ONLY = frozenset({ApplicationKind.REINSPECTION})
BOTH_KINDS = APPLICATION_ONLY | REINSPECTION_ONLY


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str
    roles: frozenset[str]
    # Whose application it must be: "county" (the user's own bureau), "city" (its counties'),
    # "province" (the campaign office's, or an evaluator's the scope hook admits).
    scope: str
    guards: tuple[Guard, ...] = ()
    # The kinds it applies to: an application's own steps, a re-inspection round's, or both.
    kinds: frozenset[str] = APPLICATION_ONLY


_SUBMIT_GUARDS: tuple[Guard, ...] = (
    guard_cycle_open,
    guard_before_county_deadline,
    guard_complete,
    guard_pledge,
)
# A re-inspection round: the same checks, by the office's deadline, whatever the cycle's state.
_REPORT_GUARDS: tuple[Guard, ...] = (
    guard_before_county_deadline,
    guard_complete,
    guard_pledge,
)

TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition(
            Action.SUBMIT,
            frozenset({S.DRAFT}),
            S.SUBMITTED,
            frozenset({Role.COUNTY_HEAD}),
            "county",
            _SUBMIT_GUARDS,
        ),
        Transition(
            Action.RESUBMIT,
            frozenset({S.RETURNED}),
            S.SUBMITTED,
            frozenset({Role.COUNTY_HEAD}),
            "county",
            _SUBMIT_GUARDS,
        ),
        Transition(
            Action.REPORT,
            frozenset({S.DRAFT}),
            S.FORWARDED,
            frozenset({Role.COUNTY_HEAD}),
            "county",
            _REPORT_GUARDS,
            REINSPECTION_ONLY,
        ),
        Transition(
            Action.WITHDRAW,
            frozenset({S.DRAFT, S.SUBMITTED, S.RETURNED}),
            S.WITHDRAWN,
            frozenset({Role.COUNTY_HEAD}),
            "county",
        ),
        Transition(
            Action.RETURN,
            frozenset({S.SUBMITTED}),
            S.RETURNED,
            frozenset({Role.CITY_REVIEWER}),
            "city",
            (guard_note,),
        ),
        Transition(
            Action.APPROVE,
            frozenset({S.SUBMITTED}),
            S.CITY_APPROVED,
            frozenset({Role.CITY_REVIEWER}),
            "city",
        ),
        Transition(
            Action.DECLINE,
            frozenset({S.SUBMITTED}),
            S.NOT_RECOMMENDED,
            frozenset({Role.CITY_REVIEWER}),
            "city",
            (guard_note,),
        ),
        Transition(
            Action.SIGN_OFF,
            frozenset({S.CITY_APPROVED}),
            S.SIGNED_OFF,
            frozenset({Role.CITY_HEAD}),
            "city",
            (hook(hooks_.PARTY_MEETING_APPROVED),),
        ),
        Transition(
            Action.SIGN_OFF_DECLINE,
            frozenset({S.CITY_APPROVED}),
            S.NOT_RECOMMENDED,
            frozenset({Role.CITY_HEAD}),
            "city",
            (hook(hooks_.PARTY_MEETING_DECLINED),),
        ),
        Transition(
            Action.WRITTEN_PASS,
            frozenset({S.FORWARDED}),
            S.WRITTEN_PASSED,
            frozenset({Role.CAMPAIGN_OFFICE}),
            "province",
            (hook(hooks_.WRITTEN_REVIEW_PASSED),),
            BOTH_KINDS,
        ),
        Transition(
            Action.WRITTEN_FAIL,
            frozenset({S.FORWARDED}),
            S.WRITTEN_FAILED,
            frozenset({Role.CAMPAIGN_OFFICE}),
            "province",
            (hook(hooks_.WRITTEN_REVIEW_COMPLETE), guard_note),
            BOTH_KINDS,
        ),
        Transition(
            Action.INSPECTION_PASS,
            frozenset({S.WRITTEN_PASSED}),
            S.INSPECTED_PASSED,
            frozenset({Role.CAMPAIGN_OFFICE, Role.EVALUATOR}),
            "province",
            (hook(hooks_.INSPECTION_PASSED),),
            BOTH_KINDS,
        ),
        Transition(
            Action.INSPECTION_FAIL,
            frozenset({S.WRITTEN_PASSED}),
            S.INSPECTED_FAILED,
            frozenset({Role.CAMPAIGN_OFFICE, Role.EVALUATOR}),
            "province",
            (hook(hooks_.INSPECTION_FAILED),),
            BOTH_KINDS,
        ),
        Transition(
            Action.DECIDE_APPROVE,
            frozenset({S.INSPECTED_PASSED}),
            S.APPROVED,
            frozenset({Role.CAMPAIGN_OFFICE}),
            "province",
            (hook(hooks_.DECISION_APPROVED),),
        ),
        Transition(
            Action.DECIDE_REJECT,
            frozenset({S.INSPECTED_PASSED, S.INSPECTED_FAILED}),
            S.NOT_APPROVED,
            frozenset({Role.CAMPAIGN_OFFICE}),
            "province",
            (hook(hooks_.DECISION_REJECTED),),
        ),
        Transition(
            Action.DESIGNATE,
            frozenset({S.APPROVED}),
            S.DESIGNATED,
            frozenset({Role.CAMPAIGN_OFFICE}),
            "province",
            (hook(hooks_.DESIGNATION_RECORDED),),
        ),
        Transition(
            Action.FORWARD,
            frozenset({S.SIGNED_OFF}),
            S.FORWARDED,
            frozenset({Role.CITY_HEAD}),
            "city",
            (hook(hooks_.PARTY_MEETING_APPROVED), hook(hooks_.FORWARDING_OPEN), guard_form_scan),
        ),
        # --- Undoing a slip: each move takes the application one step back, with its reason.
        # The city (reviewer or head) withdraws its preliminary approval until a Party meeting
        # has recorded its outcome; the application waits for the review again.
        Transition(
            Action.WITHDRAW_APPROVAL,
            frozenset({S.CITY_APPROVED}),
            S.SUBMITTED,
            frozenset({Role.CITY_REVIEWER, Role.CITY_HEAD}),
            "city",
            (guard_note, hook(hooks_.PARTY_MEETING_NOT_RECORDED)),
        ),
        # The office reopens a confirmed written result until a visit is scheduled; the signed
        # sheets stay signed (they are the evaluators' record) and the office confirms again.
        Transition(
            Action.REOPEN_WRITTEN,
            frozenset({S.WRITTEN_PASSED, S.WRITTEN_FAILED}),
            S.FORWARDED,
            frozenset({Role.CAMPAIGN_OFFICE}),
            "province",
            (guard_note, hook(hooks_.INSPECTION_NOT_SCHEDULED)),
        ),
        # --- End of the undo moves.
        # --- The public notice (公示) before naming: an objection verified and upheld sends
        # the approved bureau back to the Party committee or withdraws its approval
        # (notices.services.objection_handle fires these, with the office's note).
        Transition(
            Action.NOTICE_BACK,
            frozenset({S.APPROVED}),
            S.INSPECTED_PASSED,
            frozenset({Role.CAMPAIGN_OFFICE}),
            "province",
            (hook(hooks_.OBJECTION_UPHELD), guard_note),
        ),
        Transition(
            Action.APPROVAL_WITHDRAW,
            frozenset({S.APPROVED}),
            S.NOT_APPROVED,
            frozenset({Role.CAMPAIGN_OFFICE}),
            "province",
            (hook(hooks_.OBJECTION_UPHELD), guard_note),
        ),
        # --- end of the public notice's rows.
    )
}


class TransitionError(Exception):
    """A transition that may not happen; ``messages`` say why, for the user."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


def _in_scope(user: User, application: Application, transition: Transition) -> bool:
    for membership in memberships_of(user):
        if membership.role not in transition.roles or transition.scope != "province":
            continue
        if membership.role == Role.CAMPAIGN_OFFICE:
            return True
        if membership.role == Role.EVALUATOR and hooks.one(EVALUATOR_SCOPE)(user, application):
            return True
    for membership in memberships_of(user):
        if membership.role not in transition.roles or membership.bureau_id is None:
            continue
        if transition.scope == "county" and membership.bureau_id == application.county_id:
            return True
        if transition.scope == "city" and membership.bureau_id == application.county.parent_id:
            return True
    return False


def in_scope(user: User, application: Application, action: str) -> bool:
    """Whether ``action`` is ``user``'s to fire on ``application`` in some state (no guards)."""
    return _in_scope(user, application, TRANSITIONS[action])


def can_fire(user: User, application: Application, action: str) -> bool:
    """Whether ``user`` may fire ``action`` on ``application`` in its current state (no guards)."""
    transition = TRANSITIONS[action]
    return (
        application.kind in transition.kinds
        and application.state in transition.sources
        and _in_scope(user, application, transition)
    )


def submit_action(application: Application) -> str:
    """The county head's submission: a re-inspection report goes to the province, a returned
    application is resubmitted, a draft one submitted to the city."""
    if application.kind == ApplicationKind.REINSPECTION:
        return Action.REPORT
    return Action.RESUBMIT if application.state == ApplicationState.RETURNED else Action.SUBMIT


def available_actions(user: User, application: Application) -> list[str]:
    return [action for action in TRANSITIONS if can_fire(user, application, action)]


# The trail's member for each move; built when the module loads, so a move without its
# member (``audit.enums.AuditAction``) fails at start rather than at the move.
AUDIT_ACTIONS: dict[str, AuditAction] = {
    action: AuditAction(f"application.{action}") for action in Action
}


def application_transition(
    *,
    application: Application,
    action: str,
    by: User,
    note: str = "",
    ip: str | None = None,
    pledge: bool = False,
    acknowledged: bool = False,
) -> Application:
    """Move ``application`` by ``action``: the only place an application's state changes.

    In one transaction, with the row locked (``select_for_update``): checks the state and the
    user's role and scope (``PermissionDenied``), runs the guards (``TransitionError`` with
    every reason), changes the state, and appends an ``ApplicationEvent``. After commit the
    notification task is queued. Submission freezes the current evidence and records the
    pledge; a return opens a new round.
    """
    transition = TRANSITIONS[action]
    ctx = Context(user=by, note=note, ip=ip, pledge=pledge, acknowledged=acknowledged)
    with transaction.atomic():
        locked = (
            Application.objects.select_for_update(of=("self",))
            .select_related("cycle", "county")
            .get(pk=application.pk)
        )
        # Whose action it is comes first: someone without the role gets 403 in any state.
        if not _in_scope(by, locked, transition):
            raise PermissionDenied(_("You may not do this."))
        if locked.kind not in transition.kinds:
            raise TransitionError(
                [
                    _("“%(action)s” is not a step of a %(kind)s.")
                    % {"action": Action(action).label, "kind": locked.get_kind_display()}
                ]
            )
        if locked.state not in transition.sources:
            raise TransitionError(
                [
                    _("The application is “%(state)s”: “%(action)s” is not possible now.")
                    % {"state": locked.get_state_display(), "action": Action(action).label}
                ]
            )
        reasons = [reason for guard in transition.guards if (reason := guard(locked, ctx))]
        if reasons:
            raise TransitionError(reasons)

        from_state = locked.state
        locked.state = transition.target
        fields = ["state", "updated_at"]
        if action in (Action.SUBMIT, Action.RESUBMIT, Action.REPORT):
            locked.pledged_at, locked.pledged_by = ctx.now, by
            fields += ["pledged_at", "pledged_by"]
            if locked.submitted_at is None:
                locked.submitted_at = ctx.now
                fields.append("submitted_at")
            Evidence.objects.filter(application=locked, frozen=False).update(frozen=True)
        if action == Action.RETURN:
            locked.round += 1
            fields.append("round")
        if action in (Action.FORWARD, Action.REPORT):
            locked.forwarded_at = ctx.now
            fields.append("forwarded_at")
        locked.save(update_fields=fields)
        event = ApplicationEvent.objects.create(
            application=locked,
            actor=by,
            action=action,
            from_state=from_state,
            to_state=transition.target,
            note=note,
            ip=ip,
        )
        audit_record(
            action=AUDIT_ACTIONS[action],
            actor=by,
            obj=locked,
            ip=ip,
            details={"from": from_state, "to": transition.target, "note": note},
        )
        queue_after_commit(notify_event, event.pk)
    return locked
