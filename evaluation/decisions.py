"""The provincial Party committee's decision (厅党委会议审议) on the inspected applications."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.enums import MINUTES_KINDS, Action, ApplicationKind, ApplicationState
from applications.evidence import discard, store_upload
from applications.models import Application, Cycle
from applications.workflow import application_transition
from organizations.models import User

from .enums import Decision
from .models import ProvincialDecision, ProvincialMeeting
from .permissions import can_run_evaluation
from .quota import quota_for


def decision_in_force(application: Application) -> ProvincialDecision | None:
    """The committee's decision ``application`` stands on: the latest one recorded (an
    application sent back by an upheld objection is decided again)."""
    return (
        ProvincialDecision.objects.filter(application=application)
        .select_related("meeting")
        .order_by("-id")
        .first()
    )


def with_decision_in_force(applications: QuerySet) -> QuerySet:
    """``applications`` with the decision in force as ``decision`` (its value, or None) and
    ``decision_number`` (its meeting's number), in the same query."""
    latest = ProvincialDecision.objects.filter(application=OuterRef("pk")).order_by("-id")
    return applications.annotate(
        decision=Subquery(latest.values("decision")[:1]),
        decision_number=Subquery(latest.values("meeting__number")[:1]),
    )


@transaction.atomic
def provincial_meeting_record(
    *,
    cycle: Cycle,
    by: User,
    held_on: date,
    number: str,
    minutes_upload,
    decisions: dict[int, tuple[str, str]],
    ip: str | None = None,
) -> ProvincialMeeting:
    """Record the department's Party committee meeting and its decision on each inspected
    application. Approvals past the quota each need a recorded override reason. The campaign
    office's (``PermissionDenied`` first, nothing written)."""
    if not can_run_evaluation(by):
        raise PermissionDenied(_("Only the campaign office records the committee's decisions."))
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _("The meeting date cannot be in the future.")})
    if not decisions:
        raise ValidationError(_("Give the decision for at least one application."))
    applications = {
        a.pk: a
        for a in Application.objects.filter(
            pk__in=decisions,
            cycle=cycle,
            kind=ApplicationKind.APPLICATION,
            state__in=(ApplicationState.INSPECTED_PASSED, ApplicationState.INSPECTED_FAILED),
        ).select_related("county")
    }
    if len(applications) != len(decisions):
        raise ValidationError(_("Only inspected applications of the cycle are decided."))
    places = quota_for(cycle).places_left
    approvals = [
        pk for pk, (decision, _reason) in decisions.items() if decision == Decision.APPROVED
    ]
    for pk in approvals:
        if applications[pk].state != ApplicationState.INSPECTED_PASSED:
            raise ValidationError(
                _("Only an application that passed the inspection can be approved.")
            )
    over = approvals[places:] if len(approvals) > places else []
    missing = [applications[pk].county.name for pk in over if not decisions[pk][1].strip()]
    if missing:
        raise ValidationError(
            _("These approvals go past the quota and need a reason: %(list)s")
            % {"list": "、".join(missing)}
        )
    stored = store_upload(minutes_upload, kinds=MINUTES_KINDS)
    try:
        meeting = ProvincialMeeting.objects.create(
            cycle=cycle, held_on=held_on, number=number, recorded_by=by, **stored.fields()
        )
        for pk, (decision, reason) in decisions.items():
            ProvincialDecision.objects.create(
                meeting=meeting,
                application=applications[pk],
                decision=decision,
                quota_override_reason=reason.strip() if pk in over else "",
                decided_by=by,
            )
            application_transition(
                application=applications[pk],
                action=Action.DECIDE_APPROVE
                if decision == Decision.APPROVED
                else Action.DECIDE_REJECT,
                by=by,
                note=f"{number} {reason.strip()}".strip(),
                ip=ip,
            )
    except BaseException:
        discard(stored.stored_name)
        raise
    return meeting
