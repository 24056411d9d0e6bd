"""Re-inspection rounds (复查): opened by the campaign office for a designation fallen due, the
county's report in an ``Application`` of kind ``REINSPECTION``, the office's decision.

The round reuses the application's code end to end: the form, answers, figures, evidence,
completeness, the head's submission with the pledge (``Action.REPORT``, straight to the
province: re-inspections skip the city step), the divisions' score sheets and pass rule, the
on-site inspection. It ends not in the Party committee's decision and a designation (the
application workflow refuses those steps for this kind) but in ``reinspection_decide``: the
title kept (designation ``REINSPECTION_PASS``) or rectification by a date (``RECTIFY``).
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.enums import Action, ApplicationKind, ApplicationState
from applications.models import Application, ApplicationEvent
from applications.selectors import current_cycle
from audit.enums import AuditAction
from audit.services import audit_act, audit_record
from core.dates import local_day
from designations.enums import DesignationAction, DesignationState
from designations.models import Designation
from designations.permissions import can_manage_designations
from designations.workflow import designation_transition, due_day
from organizations.enums import Role
from organizations.models import User
from organizations.notifications import notify
from organizations.selectors import users_with_role

from .models import Reinspection
from .rectifications import rectification_order

S = ApplicationState
# The round's states in which the office may decide: the written review confirmed (passed or
# failed), or the on-site check recorded.
DECIDABLE_STATES = frozenset(
    {S.WRITTEN_PASSED, S.WRITTEN_FAILED, S.INSPECTED_PASSED, S.INSPECTED_FAILED}
)


@transaction.atomic
def reinspection_open(
    *, designation: Designation, deadline: date, by: User, ip: str | None = None
) -> Reinspection:
    """Open the re-inspection round of a designation fallen due, with the county's deadline.

    The county reports against the criteria version in force now: the open cycle's
    (``current_cycle``; the evaluation's pages work on it, so the round is scored there with
    the cycle's applications). Refused (``ValidationError``, nothing written) unless the
    designation is due for re-inspection, the deadline lies ahead and no round is open for this
    due date. The county's applicant and head
    are told in their inbox.
    """
    if not can_manage_designations(by):
        raise PermissionDenied(_("Only the campaign office opens a re-inspection."))
    locked = Designation.objects.select_for_update().select_related("bureau").get(pk=designation.pk)
    if locked.state != DesignationState.REINSPECTION_DUE:
        raise ValidationError(_("Only a designation due for re-inspection can be re-inspected."))
    if deadline <= local_day():
        raise ValidationError({"deadline": _("Set a deadline in the future.")})
    if Reinspection.objects.filter(designation=locked, due=due_day(locked)).exists():
        raise ValidationError(_("The re-inspection round of this designation is open already."))
    cycle = current_cycle()
    if cycle is None:
        raise ValidationError(
            _("No cycle is open to set the criteria in force: open the cycle first.")
        )
    application = Application.objects.create(
        cycle=cycle,
        county=locked.bureau,
        kind=ApplicationKind.REINSPECTION,
        report_deadline=deadline,
        created_by=by,
    )
    ApplicationEvent.objects.create(
        application=application,
        actor=by,
        action=Action.CREATE,
        from_state="",
        to_state=S.DRAFT,
        note=locked.number,
        ip=ip,
    )
    reinspection = Reinspection.objects.create(
        designation=locked, due=due_day(locked), application=application, opened_by=by
    )
    stamp = deadline.isoformat()
    audit_record(
        action=AuditAction.REINSPECTION_OPEN,
        actor=by,
        obj=locked,
        ip=ip,
        details={
            "application": application.pk,
            "cycle": cycle.year,
            "criteria_version": cycle.criteria_version.name,
            "deadline": deadline,
        },
    )
    notify(
        users=users_with_role(
            bureau=locked.bureau, roles=(Role.COUNTY_APPLICANT, Role.COUNTY_HEAD)
        ),
        key=f"reinspection:{reinspection.pk}:open",
        subject=_("Re-inspection of your model bureau title: report by %(deadline)s")
        % {"deadline": stamp},
        body=_(
            "The campaign office has opened the re-inspection of %(number)s. Report against "
            "the criteria in force (self-assessment, indicator figures, evidence) and have your "
            "head submit it with the pledge by %(deadline)s (Beijing time)."
        )
        % {"number": locked.number, "deadline": stamp},
        url=reverse("applications:detail", args=[application.pk]),
    )
    return reinspection


def _rectification_requirements(
    *,
    designation: Designation,
    requirements: list[str],
    deadline: date | None,
    note: str,
    by: User,
    ip: str | None,
) -> Designation:
    """Order rectification with its requirements: the one place the rectify decision is made.
    Each non-empty line becomes a requirement the county reports on
    (``reinspections.rectifications.rectification_order``)."""
    lines = [line.strip() for line in requirements if line.strip()]
    if deadline is None:
        raise ValidationError({"deadline": _("Set a rectification deadline in the future.")})
    rectification_order(
        designation=designation,
        deadline=deadline,
        requirements=lines,
        by=by,
        note=note.strip(),
        ip=ip,
    )
    designation.refresh_from_db()
    return designation


@transaction.atomic
def reinspection_decide(
    *,
    reinspection: Reinspection,
    by: User,
    kept: bool,
    deadline: date | None = None,
    requirements: list[str] | None = None,
    note: str = "",
    ip: str | None = None,
) -> Reinspection:
    """The office's decision on the round: the title kept (next re-inspection three years
    after the one due), or rectification by ``deadline`` (after today) with ``requirements``.

    Refused until the round's written review is confirmed (or its on-site check recorded),
    and once decided. The designation's move is its workflow's (``TransitionError``)."""
    if not can_manage_designations(by):
        raise PermissionDenied(_("Only the campaign office decides on a re-inspection."))
    locked = (
        Reinspection.objects.select_for_update(of=("self",))
        .select_related("application", "designation")
        .get(pk=reinspection.pk)
    )
    if locked.outcome:
        raise ValidationError(_("This re-inspection is decided already."))
    if locked.application.state not in DECIDABLE_STATES:
        raise ValidationError(
            _("Decide once the written review of the re-inspection is confirmed.")
        )
    # One act, one entry: the decision's, with the designation's move (or the rectification
    # ordered) as its step.
    with audit_act(
        action=AuditAction.REINSPECTION_DECIDE, actor=by, obj=locked.designation, ip=ip
    ) as act:
        if kept:
            designation_transition(
                designation=locked.designation,
                action=DesignationAction.REINSPECTION_PASS,
                by=by,
                note=note.strip(),
                ip=ip,
            )
        else:
            if not [line for line in requirements or [] if line.strip()]:
                raise ValidationError({"requirements": _("State the rectification requirements.")})
            _rectification_requirements(
                designation=locked.designation,
                requirements=list(requirements or []),
                deadline=deadline,
                note=note,
                by=by,
                ip=ip,
            )
        locked.outcome = Reinspection.Outcome.KEPT if kept else Reinspection.Outcome.RECTIFY
        locked.decided_by, locked.decided_at = by, timezone.now()
        locked.save(update_fields=["outcome", "decided_by", "decided_at"])
        act.details = {"reinspection": locked.pk, "outcome": locked.outcome}
    return locked
