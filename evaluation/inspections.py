"""On-site inspections (实地考核验收): scheduling the visit and recording it."""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from applications.enums import PHOTO_KINDS, Action, ApplicationState
from applications.evidence import discard, store_upload
from applications.models import Application
from applications.workflow import application_transition
from audit.enums import AuditAction
from audit.services import audit_record
from organizations.enums import Role
from organizations.models import User
from organizations.notifications import notify
from organizations.selectors import has_role, users_with_role

from .enums import InspectionResult
from .models import Inspection, InspectionFinding, InspectionMember, InspectionPhoto
from .permissions import can_record_inspection, can_run_evaluation


@transaction.atomic
def inspection_schedule(
    *, application: Application, visit_date: date, team: list[User], itinerary: str, by: User
) -> Inspection:
    """Schedule the visit of an application that passed the written review.

    The campaign office's (``PermissionDenied`` first). Refused when an evaluator of the team
    is already booked on another visit that day.
    """
    if not can_run_evaluation(by):
        raise PermissionDenied(_("Only the campaign office schedules the visits."))
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
    audit_record(
        action=AuditAction.INSPECTION_SCHEDULE,
        actor=by,
        obj=application,
        details={"visit_date": visit_date.isoformat(), "team": [m.get_username() for m in team]},
    )
    _visit_notify(inspection=inspection, team=team)
    return inspection


def _visit_notify(*, inspection: Inspection, team: list[User]) -> None:
    """The county hears of its visit: the date, the team and the itinerary."""
    application = inspection.application
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("[Model bureau portal] %(bureau)s: the on-site inspection is scheduled") % {
            "bureau": application.county.name
        }
        body = _(
            "The on-site inspection of %(bureau)s is scheduled for %(date)s. Team: %(team)s."
        ) % {
            "bureau": application.county.name,
            "date": inspection.visit_date.strftime("%Y-%m-%d"),
            "team": "、".join(member.get_full_name() for member in team),
        }
        if inspection.itinerary:
            body += "\n" + _("Itinerary: %(itinerary)s") % {"itinerary": inspection.itinerary}
    notify(
        users=users_with_role(
            bureau=application.county, roles=(Role.COUNTY_APPLICANT, Role.COUNTY_HEAD)
        ),
        key=f"inspection-scheduled:{inspection.pk}",
        subject=subject,
        body=body,
        url=reverse("applications:detail", args=[application.pk]),
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

    Moves the application to ``inspected_passed`` or ``inspected_failed``. Refused before the
    visit's date (Asia/Shanghai). A photo that fails
    the file checks stores nothing and nothing else is recorded either.
    """
    if not can_record_inspection(by, inspection):
        raise PermissionDenied(_("Only the inspection team records the visit."))
    if inspection.visit_date > timezone.localdate():
        raise ValidationError(
            _("The visit is on %(date)s: its result can be recorded from that day on.")
            % {"date": inspection.visit_date.strftime("%Y-%m-%d")}
        )
    if result not in InspectionResult.values:
        raise ValidationError({"result": _("Choose the result.")})
    if not summary.strip():
        raise ValidationError({"summary": _("Write the summary of the visit.")})
    stored = []
    try:
        for upload in photos:
            stored.append(store_upload(upload, kinds=PHOTO_KINDS))
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
