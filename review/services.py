"""Writes of the city's review: comments, return/approve/decline, Party sign-off, forwarding,
deadline extensions. Every state change goes through ``application_transition``. Each service
asks its predicate (``permissions``) about ``by`` first and raises ``PermissionDenied`` when the
answer is no: these are a person's acts, never the system's."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.enums import MINUTES_KINDS, SCAN_KINDS, Action, ApplicationState
from applications.evidence import discard, store_upload
from applications.models import Application, Cycle, ReviewComment
from applications.workflow import application_transition
from audit.enums import AuditAction
from audit.services import audit_record
from core.dates import local_day
from organizations.enums import BureauLevel
from organizations.models import Bureau, User
from standards.models import Item

from .enums import SignOffOutcome
from .models import DeadlineExtension, ForwardingBatch, ForwardingScan, PartyMeeting, SignOff
from .permissions import (
    can_forward,
    can_grant_deadline_extension,
    can_record_party_meeting,
    can_review_application,
)
from .selectors import forwarding_deadline_for


def _comments_save(
    *, application: Application, by: User, comments: dict[int, str], general: str = ""
) -> list[ReviewComment]:
    items = Item.objects.select_related("section").in_bulk(
        [pk for pk, text in comments.items() if text.strip()]
    )
    rows = [
        ReviewComment(
            application=application,
            item=items[pk],
            round=application.round,
            author=by,
            text=text.strip(),
        )
        for pk, text in comments.items()
        if text.strip()
        and pk in items
        and items[pk].section.version_id == application.cycle.criteria_version_id
    ]
    if general.strip():
        rows.append(
            ReviewComment(
                application=application,
                item=None,
                round=application.round,
                author=by,
                text=general.strip(),
            )
        )
    return ReviewComment.objects.bulk_create(rows)


@transaction.atomic
def review_decide(
    *,
    application: Application,
    action: str,
    by: User,
    reasons: str = "",
    comments: dict[int, str] | None = None,
    ip: str | None = None,
) -> Application:
    """The reviewer's decision: return for revision, approve, or decline to recommend.

    Per-item comments are kept with the round they belong to; the county sees them item by
    item. Returning and declining need reasons (the workflow's guard says so). The reviewer or
    head of the application's city only (``PermissionDenied``, nothing written).
    """
    if not can_review_application(by, application):
        raise PermissionDenied(_("Only the application's city reviews it."))
    if action not in (Action.RETURN, Action.APPROVE, Action.DECLINE):
        raise ValueError(action)
    _comments_save(application=application, by=by, comments=comments or {}, general=reasons)
    return application_transition(
        application=application, action=action, by=by, note=reasons, ip=ip
    )


@transaction.atomic
def party_meeting_record(
    *,
    cycle: Cycle,
    city: Bureau,
    by: User,
    meeting_kind: str,
    held_on: date,
    minutes_number: str,
    minutes_upload,
    outcomes: dict[int, str],
    ip: str | None = None,
) -> PartyMeeting:
    """Record a Party meeting, its minutes and its outcome for each application, all at once.

    Each application must be one of ``city``'s, approved by the city's review. Approved ones
    move to ``signed_off``, the others to ``not_recommended``. Any failure stores nothing,
    not even the minutes file. The head of ``city`` only (``PermissionDenied``).
    """
    if not can_record_party_meeting(by, city):
        raise PermissionDenied(_("Only the city head records the Party meeting."))
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _("The meeting date cannot be in the future.")})
    if not outcomes:
        raise ValidationError(_("Give the meeting's outcome for at least one application."))
    applications = Application.objects.filter(
        pk__in=outcomes, cycle=cycle, county__parent=city, state=ApplicationState.CITY_APPROVED
    )
    if len(applications) != len(outcomes):
        raise ValidationError(
            _("Only applications of your counties approved by the review can be signed off.")
        )
    stored = store_upload(minutes_upload, kinds=MINUTES_KINDS)
    try:
        meeting = PartyMeeting.objects.create(
            cycle=cycle,
            city=city,
            meeting_kind=meeting_kind,
            held_on=held_on,
            minutes_number=minutes_number,
            recorded_by=by,
            **stored.fields(),
        )
        for application in applications:
            outcome = outcomes[application.pk]
            SignOff.objects.create(meeting=meeting, application=application, outcome=outcome)
            application_transition(
                application=application,
                action=Action.SIGN_OFF
                if outcome == SignOffOutcome.APPROVED
                else Action.SIGN_OFF_DECLINE,
                by=by,
                note=f"{meeting.get_meeting_kind_display()} {held_on:%Y-%m-%d} {minutes_number}",
                ip=ip,
            )
    except BaseException:
        discard(stored.stored_name)
        raise
    return meeting


@transaction.atomic
def forwarding_batch_create(
    *,
    cycle: Cycle,
    city: Bureau,
    by: User,
    applications: list[Application],
    letter_number: str,
    ip: str | None = None,
) -> ForwardingBatch:
    """Forward signed-off applications to the province as one batch: all of them or none.

    Refused after the cycle's deadline (Asia/Shanghai) unless the campaign office granted the
    city an extension that is still running; the batch records the extension it used. The
    cover letter's number (上报函文号) is required, and each county's stamped form (the
    workflow's guard). The head of ``city`` only (``PermissionDenied``).
    """
    if not can_forward(by, city):
        raise PermissionDenied(_("Only the city head forwards the city's applications."))
    if not applications:
        raise ValidationError(_("Choose at least one signed-off application to forward."))
    if not letter_number.strip():
        raise ValidationError({"letter_number": _("Give the cover letter's number.")})
    now = timezone.now()
    _deadline, extension = forwarding_deadline_for(cycle=cycle, city=city, now=now)
    batch = ForwardingBatch.objects.create(
        cycle=cycle, city=city, letter_number=letter_number, forwarded_by=by, extension=extension
    )
    for application in applications:
        if application.cycle_id != cycle.pk or application.county.parent_id != city.pk:
            raise ValidationError(_("Only applications of your counties can be forwarded."))
        application_transition(
            application=application,
            action=Action.FORWARD,
            by=by,
            note=letter_number,
            ip=ip,
        )
    batch.applications.set(applications)
    return batch


def forwarding_scan_add(
    *, batch: ForwardingBatch, upload, by: User, ip: str | None = None
) -> ForwardingScan:
    """The stamped scan of the cover letter (same file rules as evidence): the head of the
    batch's city only (``PermissionDenied``). Recorded in the audit trail in the same
    transaction; a failed write stores no file."""
    if not can_forward(by, batch.city):
        raise PermissionDenied(_("Only the city head uploads the stamped cover letter."))
    stored = store_upload(upload, kinds=SCAN_KINDS)
    try:
        with transaction.atomic():
            scan = ForwardingScan.objects.create(batch=batch, uploaded_by=by, **stored.fields())
            audit_record(
                action=AuditAction.FORWARDING_SCAN_ADD,
                actor=by,
                obj=scan,
                ip=ip,
                details={
                    "batch": batch.pk,
                    "letter_number": batch.letter_number,
                    "name": scan.original_name,
                    "sha256": scan.sha256,
                },
            )
    except BaseException:
        discard(stored.stored_name)
        raise
    return scan


@transaction.atomic
def deadline_extension_grant(
    *, cycle: Cycle, city: Bureau, by: User, until: date, reason: str, ip: str | None = None
) -> DeadlineExtension:
    """Let ``city`` forward after the deadline until ``until``; who, when, from where and why
    are recorded (the extension's row and its audit entry, in one transaction). The campaign
    office only (``PermissionDenied``)."""
    if not can_grant_deadline_extension(by):
        raise PermissionDenied(_("Only the campaign office grants an extension."))
    if city.level != BureauLevel.CITY:
        raise ValidationError(_("An extension is granted to a city bureau."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the extension.")})
    if until < local_day():
        raise ValidationError({"until": _("The extension must end today or later.")})
    extension = DeadlineExtension.objects.create(
        cycle=cycle, city=city, until=until, reason=reason.strip(), granted_by=by
    )
    audit_record(
        action=AuditAction.DEADLINE_EXTENSION_GRANT,
        actor=by,
        obj=extension,
        ip=ip,
        details={
            "cycle": cycle.year,
            "city": city.code,
            "until": until.isoformat(),
            "reason": extension.reason,
        },
    )
    return extension
