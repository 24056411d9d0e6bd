"""On-site inspections (实地考核验收) and the provincial Party committee's decision."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.enums import Action, ApplicationState
from applications.evidence import discard, store_upload
from applications.models import Application, Cycle
from applications.workflow import application_transition
from designations.enums import HOLDING_STATES
from designations.models import Designation
from organizations.enums import BureauLevel, Role
from organizations.models import Bureau, User
from organizations.selectors import has_role

from .enums import Decision, InspectionResult
from .evaluation import quota_target
from .models import (
    Inspection,
    InspectionFinding,
    InspectionMember,
    InspectionPhoto,
    ProvincialDecision,
    ProvincialMeeting,
)


@transaction.atomic
def inspection_schedule(
    *, application: Application, visit_date: date, team: list[User], itinerary: str, by: User
) -> Inspection:
    """Schedule the visit of an application that passed the written review.

    Refused when an evaluator of the team is already booked on another visit that day.
    """
    if application.state != ApplicationState.WRITTEN_PASSED:
        raise ValidationError(_("Only applications that passed the written review are inspected."))
    if not team:
        raise ValidationError(_("Choose the inspection team."))
    if any(not has_role(member, Role.EVALUATOR) for member in team):
        raise ValidationError(_("The team is made of evaluators."))
    if Inspection.objects.filter(application=application).exists():
        raise ValidationError(_("This application's visit is already scheduled."))
    booked = InspectionMember.objects.filter(
        evaluator__in=team, visit_date=visit_date
    ).select_related("evaluator", "inspection__application__county")
    if booked:
        raise ValidationError(
            _("Already on a visit that day: %(list)s")
            % {
                "list": "、".join(
                    f"{m.evaluator.get_full_name()}（{m.inspection.application.county.name}）"
                    for m in booked
                )
            }
        )
    inspection = Inspection.objects.create(
        application=application, visit_date=visit_date, itinerary=itinerary, scheduled_by=by
    )
    try:
        with transaction.atomic():
            InspectionMember.objects.bulk_create(
                InspectionMember(inspection=inspection, evaluator=member, visit_date=visit_date)
                for member in {m.pk: m for m in team}.values()
            )
    except IntegrityError:
        # Two schedulers at once: the database refuses the double booking.
        raise ValidationError(
            _("An evaluator of the team was booked on another visit that day.")
        ) from None
    return inspection


def may_record(user: User, inspection: Inspection) -> bool:
    return (
        has_role(user, Role.CAMPAIGN_OFFICE) or inspection.members.filter(evaluator=user).exists()
    )


@transaction.atomic
def inspection_record(
    *,
    inspection: Inspection,
    by: User,
    findings: dict[int, tuple[str, bool, Decimal | None]],
    result: str,
    summary: str,
    photos=(),
    ip: str | None = None,
) -> Inspection:
    """Record the visit: findings per section, photos, the result and its summary.

    Moves the application to ``inspected_passed`` or ``inspected_failed``. A photo that fails
    the file checks stores nothing and nothing else is recorded either.
    """
    if not may_record(by, inspection):
        raise PermissionDenied(_("Only the inspection team records the visit."))
    if result not in InspectionResult.values:
        raise ValidationError({"result": _("Choose the result.")})
    if not summary.strip():
        raise ValidationError({"summary": _("Write the summary of the visit.")})
    stored = []
    try:
        for upload in photos:
            stored.append(store_upload(upload))
        for section_id, (text, confirmed, adjusted) in findings.items():
            InspectionFinding.objects.update_or_create(
                inspection=inspection,
                section_id=section_id,
                defaults={"findings": text, "confirmed": confirmed, "adjusted_percent": adjusted},
            )
        for file in stored:
            InspectionPhoto.objects.create(inspection=inspection, uploaded_by=by, **file.fields())
        inspection.result, inspection.summary = result, summary.strip()
        inspection.recorded_by, inspection.recorded_at = by, timezone.now()
        inspection.save(update_fields=["result", "summary", "recorded_by", "recorded_at"])
        application_transition(
            application=inspection.application,
            action=Action.INSPECTION_PASS
            if result == InspectionResult.PASSED
            else Action.INSPECTION_FAIL,
            by=by,
            note=summary.strip(),
            ip=ip,
        )
    except BaseException:
        for file in stored:
            discard(file.stored_name)
        raise
    return inspection


@dataclass(frozen=True)
class Quota:
    """The 10 % target and where the province stands (rounded up: 121 → 13)."""

    counties: int
    ratio: Decimal
    target: int
    active: int
    approved: int

    @property
    def places_left(self) -> int:
        return max(0, self.target - self.active - self.approved)


def quota_for(cycle: Cycle) -> Quota:
    counties = Bureau.objects.filter(level=BureauLevel.COUNTY, is_active=True).count()
    active = Designation.objects.filter(state__in=HOLDING_STATES).count()
    # Approved by the committee but not yet designated: they take a place already.
    approved = Application.objects.filter(state=ApplicationState.APPROVED).count()
    return Quota(
        counties, cycle.quota_ratio, quota_target(counties, cycle.quota_ratio), active, approved
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
    application. Approvals past the quota each need a recorded override reason."""
    if not decisions:
        raise ValidationError(_("Give the decision for at least one application."))
    applications = {
        a.pk: a
        for a in Application.objects.filter(
            pk__in=decisions,
            cycle=cycle,
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
    stored = store_upload(minutes_upload)
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
