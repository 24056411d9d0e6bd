"""Rectification as a report (整改): ordered with requirements, reported on by the county,
judged by the office, concluded by the title kept or revoked.

The steps, each audited and written into the designation's history; the rectification's own
state moves only through ``reinspections.workflow.rectification_transition`` (its table), each
move one ``RectificationEvent``:

1. ``rectification_order`` — the office orders it when a re-inspection finds the bureau below
   the standard: the designation moves RECTIFY (deadline after today) and the requirements are
   written, in one transaction. The re-inspection round's decision page calls it with the
   slipped items pre-filled.
2. ``rectification_file_add`` / ``rectification_file_remove`` — the county (applicant or head
   of the designated bureau) uploads its report and evidence per requirement while the
   rectification is open and the deadline day has not ended (Beijing time).
3. ``rectification_submit`` — the county head submits: every requirement has a file.
4. ``rectification_judge`` — the office judges each requirement met or not (recording, if it
   consulted one, the provincial division's view). A requirement judged not met before the
   deadline has ended opens the report to the county again, to put right and submit again.
5. ``rectification_conclude`` — every requirement met: RECTIFICATION_PASS, the title is kept
   and the next re-inspection falls one period (``REINSPECTION_PERIOD_YEARS``) after the one
   that fell due (the workflow's effect). After the deadline with a requirement still not
   met, or nothing submitted: RECTIFICATION_FAIL on the office's revocation decision, the
   title revoked and the plaque removed that day (the existing revocation path); the place
   counts free for a supplement (``titles_held_count`` counts only holding states).
"""

from collections.abc import Sequence
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.evidence import discard, store_upload
from applications.workflow import TransitionError
from audit.enums import AuditAction
from audit.services import audit_act, audit_record
from designations.enums import DesignationAction, DesignationState
from designations.models import Designation
from designations.permissions import can_manage_designations
from designations.workflow import designation_event_record, designation_transition, due_day
from organizations.enums import Role
from organizations.models import Division, User
from organizations.notifications import notify
from organizations.selectors import campaign_office_users, users_with_role
from standards.models import Item

from .deadlines import deadline_passed
from .enums import RectificationAction, RectificationFileRole, RectificationState
from .models import Rectification, RectificationFile, RectificationRequirement
from .permissions import can_submit_rectification, can_work_on_rectification
from .workflow import rectification_event_record, rectification_transition

A = DesignationAction
R = RectificationState
RA = RectificationAction
MAX_REQUIREMENTS = 50
MAX_REQUIREMENT_LENGTH = 2000
COUNTY_ROLES = (Role.COUNTY_APPLICANT, Role.COUNTY_HEAD)


def _county_users(designation: Designation, roles=COUNTY_ROLES):
    return users_with_role(bureau=designation.bureau, roles=roles)


def _url(rectification: Rectification) -> str:
    return reverse("reinspections:rectification", args=[rectification.pk])


def _history(
    rectification: Rectification,
    *,
    action: str,
    by: User,
    note: str = "",
    ip: str | None = None,
    details: dict | None = None,
) -> None:
    """A step that leaves the designation's state as it is: its history row (the act's one
    audit entry is the caller's, ``workflow.HISTORY_ONLY``)."""
    designation = rectification.designation
    designation_event_record(
        designation=designation,
        by=by,
        action=action,
        from_state=designation.state,
        to_state=designation.state,
        note=note,
        ip=ip,
        changed={"rectification": rectification.pk, **(details or {})},
    )


def _clean_requirements(requirements: Sequence[str]) -> list[str]:
    texts = [text.strip() for text in requirements if text and text.strip()]
    if not texts:
        raise ValidationError(
            {"requirements": _("Write at least one rectification requirement, one a line.")}
        )
    if len(texts) > MAX_REQUIREMENTS:
        raise ValidationError(
            {
                "requirements": _("At most %(max)d requirements, one a line.")
                % {"max": MAX_REQUIREMENTS}
            }
        )
    if any(len(text) > MAX_REQUIREMENT_LENGTH for text in texts):
        raise ValidationError(
            {
                "requirements": _("A requirement is longer than %(max)d characters.")
                % {"max": MAX_REQUIREMENT_LENGTH}
            }
        )
    return texts


def rectification_order(
    *,
    designation: Designation,
    deadline: date,
    requirements: list[str],
    by: User,
    note: str = "",
    items: Sequence[Item | None] | None = None,
    ip: str | None = None,
) -> Rectification:
    """Order the rectification of a designation found below the standard at re-inspection.

    ``requirements`` are the texts the county must put right, in order (blank ones dropped,
    at least one); ``items``, when given, runs alongside them and links a requirement to the
    criteria item it comes from (None for a requirement of the office's own wording). The
    designation moves RECTIFY (``designation_transition``: the office only, from
    ``reinspection_due``, a deadline after today — ``TransitionError`` otherwise) and the
    requirements are written in the same transaction; nothing is written when anything is
    refused. The county's users are told after commit. The campaign office's
    (``PermissionDenied`` first).
    """
    if not can_manage_designations(by):
        raise PermissionDenied(_("Only the campaign office orders a rectification."))
    texts = _clean_requirements(requirements)
    if items is not None and len(items) != len(requirements):
        raise ValueError("items must run alongside requirements")
    linked = (
        [item for text, item in zip(requirements, items, strict=True) if text and text.strip()]
        if items is not None
        else [None] * len(texts)
    )
    with (
        transaction.atomic(),
        audit_act(action=AuditAction.RECTIFICATION_ORDER, actor=by, ip=ip) as act,
    ):
        # The designation's move is a step of this one entry.
        moved = designation_transition(
            designation=designation,
            action=A.RECTIFY,
            by=by,
            note=note,
            deadline=deadline,
            ip=ip,
        )
        rectification = Rectification.objects.create(
            designation=moved, deadline=deadline, note=note.strip(), ordered_by=by
        )
        rectification_event_record(
            rectification=rectification,
            by=by,
            action=RA.ORDER,
            to_state=R.OPEN,
            note=rectification.note,
            ip=ip,
        )
        RectificationRequirement.objects.bulk_create(
            RectificationRequirement(
                rectification=rectification, position=position, text=text, item=item
            )
            for position, (text, item) in enumerate(zip(texts, linked, strict=True), start=1)
        )
        act.obj = rectification
        act.details = {
            "designation": moved.number,
            "deadline": deadline.isoformat(),
            "requirements": texts,
        }
        notify(
            users=_county_users(moved),
            key=f"rectification:{rectification.pk}:ordered",
            subject=_("Rectification ordered for %(bureau)s") % {"bureau": moved.bureau.name},
            body=_(
                "Upload the rectification report and evidence for each of the %(n)d "
                "requirements and submit them by %(deadline)s."
            )
            % {"n": len(texts), "deadline": deadline.isoformat()},
            url=_url(rectification),
        )
    return rectification


def _lock(rectification: Rectification) -> Rectification:
    return (
        Rectification.objects.select_for_update(of=("self",))
        .select_related("designation__bureau")
        .get(pk=rectification.pk)
    )


def _ensure_open_to_county(rectification: Rectification, now: datetime) -> None:
    if rectification.state != R.OPEN:
        raise ValidationError(
            _("The rectification report is “%(state)s”: it cannot be changed now.")
            % {"state": rectification.get_state_display()}
        )
    if deadline_passed(rectification, now=now):
        raise ValidationError(
            _("The rectification deadline, %(deadline)s, has passed.")
            % {"deadline": rectification.deadline.isoformat()}
        )


def rectification_file_add(
    *,
    requirement: RectificationRequirement,
    upload,
    role: str,
    by: User,
    now: datetime | None = None,
    ip: str | None = None,
) -> RectificationFile:
    """Check and store the county's report or evidence for ``requirement``.

    The county's applicant or head, while the report is open and the deadline day has not
    ended. The upload checks are the evidence's (``applications.evidence.store_upload``): a
    refused file, a refused user or a failed write stores nothing.
    """
    rectification = requirement.rectification
    if not can_work_on_rectification(by, rectification):
        raise PermissionDenied(_("Only the designated county reports on its rectification."))
    if role not in RectificationFileRole.values:
        raise ValidationError({"role": _("Say whether the file is the report or evidence.")})
    now = now or timezone.now()
    _ensure_open_to_county(rectification, now)
    stored = store_upload(upload)
    try:
        with transaction.atomic():
            locked = _lock(rectification)
            _ensure_open_to_county(locked, now)
            file = RectificationFile.objects.create(
                requirement=requirement, role=role, uploaded_by=by, **stored.fields()
            )
            _history(
                locked,
                action=A.RECTIFICATION_FILE,
                by=by,
                note=file.original_name,
                ip=ip,
                details={"requirement": requirement.position, "role": role},
            )
            audit_record(
                action=AuditAction.RECTIFICATION_FILE_ADD,
                actor=by,
                obj=file,
                ip=ip,
                details={
                    "rectification": locked.pk,
                    "requirement": requirement.position,
                    "role": role,
                    "name": file.original_name,
                    "sha256": file.sha256,
                },
            )
    except BaseException:
        discard(stored.stored_name)
        raise
    return file


def rectification_file_remove(
    *, file: RectificationFile, by: User, now: datetime | None = None, ip: str | None = None
) -> None:
    """Remove a file the county uploaded, while its report is still open (before submission)."""
    rectification = file.requirement.rectification
    if not can_work_on_rectification(by, rectification):
        raise PermissionDenied(_("Only the designated county reports on its rectification."))
    with transaction.atomic():
        locked = _lock(rectification)
        _ensure_open_to_county(locked, now or timezone.now())
        stored_name, name = file.stored_name, file.original_name
        audit_record(
            action=AuditAction.RECTIFICATION_FILE_REMOVE,
            actor=by,
            obj=file,
            ip=ip,
            details={"rectification": locked.pk, "name": name},
        )
        file.delete()
        transaction.on_commit(lambda: discard(stored_name))


def rectification_submit(
    *,
    rectification: Rectification,
    by: User,
    now: datetime | None = None,
    ip: str | None = None,
) -> Rectification:
    """The county head submits the rectification report.

    Refused (``ValidationError``, nothing written) unless the report is open, the deadline day
    has not ended in Beijing time (23:59:59 is in time, a second later is not) and every
    requirement has its report or evidence. The office is told after commit.
    """
    if not can_submit_rectification(by, rectification):
        raise PermissionDenied(_("Only the county head submits the rectification report."))
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock(rectification)
        _ensure_open_to_county(locked, now)
        # Every requirement has its report or evidence: the table's guard.
        try:
            locked = rectification_transition(
                rectification=locked, action=RA.SUBMIT, by=by, now=now, ip=ip
            )
        except TransitionError as error:
            raise ValidationError(error.messages) from None
        _history(locked, action=A.RECTIFICATION_SUBMIT, by=by, ip=ip)
        audit_record(
            action=AuditAction.RECTIFICATION_SUBMIT,
            actor=by,
            obj=locked,
            ip=ip,
            details={"designation": locked.designation.number},
        )
        notify(
            users=campaign_office_users(),
            key=f"rectification:{locked.pk}:submitted:{now:%Y%m%d%H%M%S}",
            subject=_("Rectification report of %(bureau)s submitted")
            % {"bureau": locked.designation.bureau.name},
            body=_("Judge each requirement met or not."),
            url=_url(locked),
        )
    return locked


def rectification_judge(
    *,
    requirement: RectificationRequirement,
    met: bool,
    note: str,
    by: User,
    division: Division | None = None,
    division_view: str = "",
    now: datetime | None = None,
    ip: str | None = None,
) -> RectificationRequirement:
    """The office judges one requirement of a submitted report met or not met.

    A judgement of not met needs the reason (``note``). ``division`` and ``division_view``
    record the view of the provincial division consulted (both or neither). Judged not met
    while the deadline day has not ended, the report opens to the county again (to put the
    requirement right and submit again); after the deadline it stays closed and the
    conclusion is revocation. A requirement may be judged again until the conclusion.
    """
    if not can_manage_designations(by):
        raise PermissionDenied(_("Only the campaign office judges the rectification."))
    note, division_view = note.strip(), division_view.strip()
    if not met and not note:
        raise ValidationError({"note": _("Say what is still not put right.")})
    if (division is None) != (not division_view):
        raise ValidationError(
            {"division_view": _("Name the division consulted together with its view.")}
        )
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock(requirement.rectification)
        if locked.state != R.SUBMITTED:
            raise ValidationError(_("Only a submitted rectification report is judged."))
        requirement = RectificationRequirement.objects.select_for_update().get(pk=requirement.pk)
        requirement.met = met
        requirement.judgement_note = note
        requirement.division = division
        requirement.division_view = division_view
        requirement.judged_by = by
        requirement.judged_at = now
        requirement.save(
            update_fields=[
                "met",
                "judgement_note",
                "division",
                "division_view",
                "judged_by",
                "judged_at",
            ]
        )
        reopened = not met and not deadline_passed(locked, now=now)
        if reopened:
            locked = rectification_transition(
                rectification=locked, action=RA.REOPEN, by=by, note=note, now=now, ip=ip
            )
        details = {
            "requirement": requirement.position,
            "met": met,
            "division": division.code if division else "",
            "division_view": division_view,
            "reopened": reopened,
        }
        _history(locked, action=A.REQUIREMENT_JUDGE, by=by, note=note, ip=ip, details=details)
        audit_record(
            action=AuditAction.RECTIFICATION_JUDGE,
            actor=by,
            obj=requirement,
            ip=ip,
            details=details,
        )
        if reopened:
            notify(
                users=_county_users(locked.designation),
                key=f"rectification:{locked.pk}:reopened:{requirement.pk}:{now:%Y%m%d%H%M%S}",
                subject=_("Rectification requirement %(n)d not met yet")
                % {"n": requirement.position},
                body=_("%(note)s Put it right and submit the report again by %(deadline)s.")
                % {"note": note, "deadline": locked.deadline.isoformat()},
                url=_url(locked),
            )
    return requirement


def rectification_conclude(
    *,
    rectification: Rectification,
    by: User,
    decision: str = "",
    note: str = "",
    now: datetime | None = None,
    ip: str | None = None,
) -> Rectification:
    """Close the rectification with its outcome; the designation moves by the workflow.

    - every requirement judged met: RECTIFICATION_PASS, whenever that is (the title kept, the
      next re-inspection one period after the one that fell due);
    - the deadline day has ended and a requirement is judged not met or the report was never
      submitted: RECTIFICATION_FAIL on ``decision`` (required), revoked and the plaque removed
      that day;
    - otherwise refused (``ValidationError``): before the deadline the county may still put a
      requirement right; a submitted report is judged in full first.
    """
    if not can_manage_designations(by):
        raise PermissionDenied(_("Only the campaign office concludes the rectification."))
    now = now or timezone.now()
    with (
        transaction.atomic(),
        audit_act(action=AuditAction.RECTIFICATION_CONCLUDE, actor=by, ip=ip) as act,
    ):
        locked = _lock(rectification)
        if not locked.is_running:
            raise ValidationError(_("This rectification is concluded already."))
        judgements = list(locked.requirements.values_list("met", flat=True))
        all_met = locked.state == R.SUBMITTED and all(met is True for met in judgements)
        if all_met:
            action, outcome = A.RECTIFICATION_PASS, R.PASSED
        elif not deadline_passed(locked, now=now):
            raise ValidationError(
                _(
                    "Not every requirement is met, and the deadline, %(deadline)s, has not "
                    "passed: the county may still put them right."
                )
                % {"deadline": locked.deadline.isoformat()}
            )
        elif locked.state == R.SUBMITTED and None in judgements:
            raise ValidationError(_("Judge every requirement of the submitted report first."))
        else:
            action, outcome = A.RECTIFICATION_FAIL, R.FAILED
            if not decision.strip():
                raise ValidationError({"decision": _("Record the revocation decision.")})
        try:
            designation_transition(
                designation=locked.designation,
                action=action,
                by=by,
                note=note,
                decision=decision if outcome == R.FAILED else "",
                today=timezone.localdate(now),
                ip=ip,
            )
            locked = rectification_transition(
                rectification=locked,
                action=RA.PASS if outcome == R.PASSED else RA.FAIL,
                by=by,
                note=note,
                decision=decision,
                now=now,
                ip=ip,
            )
        except TransitionError as error:
            raise ValidationError(error.messages) from None
        # The designation's move above is a step of this one entry.
        act.obj = locked
        act.details = {"outcome": outcome, "decision": decision.strip(), "note": note}
        designation = Designation.objects.select_related("bureau").get(pk=locked.designation_id)
        notify(
            users=_county_users(designation),
            key=f"rectification:{locked.pk}:concluded",
            subject=(
                _("Rectification accepted: %(bureau)s keeps the title")
                if outcome == R.PASSED
                else _("Rectification failed: the title of %(bureau)s is revoked")
            )
            % {"bureau": designation.bureau.name},
            body=(
                _("The next re-inspection is due on %(due)s.")
                % {"due": due_day(designation).isoformat()}
                if designation.state == DesignationState.ACTIVE
                else _("Revoked on %(day)s by %(decision)s; the plaque is removed.")
                % {"day": f"{designation.revoked_on or ''}", "decision": decision.strip()}
            ),
            url=_url(locked),
        )
    locked.designation = designation
    return locked


def rectification_running(designation: Designation) -> Rectification | None:
    """The designation's rectification under way, if any."""
    return (
        Rectification.objects.filter(designation=designation, state__in=(R.OPEN, R.SUBMITTED))
        .order_by("-pk")
        .first()
    )


def rectification_end_by_revocation(
    *, designation: Designation, by: User, ip: str | None = None
) -> list[Rectification]:
    """A designation revoked at once (``designations.services.designation_revoke``, through
    ``designations.hooks.DESIGNATION_REVOKED``): the rectification under way ends, failed,
    through its transition (``END``, one history row) and one audit entry, in the
    revocation's transaction. Returns the rectifications ended (none, or the one running)."""
    ended = []
    running = Rectification.objects.filter(designation=designation, state__in=(R.OPEN, R.SUBMITTED))
    for rectification in running.order_by("pk"):
        ended.append(
            rectification_transition(
                rectification=rectification,
                action=RA.END,
                by=by,
                note=designation.revocation_decision,
                ip=ip,
            )
        )
        audit_record(
            action=AuditAction.RECTIFICATION_END,
            actor=by,
            obj=rectification,
            ip=ip,
            details={
                "designation": designation.number,
                "decision": designation.revocation_decision,
            },
        )
    return ended
