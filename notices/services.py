"""The public notice (公示) before naming: the writes — the holiday calendar entered by the
office, the window opened, the objections received and handled.

After the Party committee's decision the office opens a window for approved bureaus; it lasts
a number of working days (5 by default) counted by the holiday calendar kept as data
(``HolidayCalendarYear``: seeded from ``chinese-calendar``, extended by the office from the
State Council's annual notice; ``notices.holidays``). A window reaching into a year without a
calendar is refused. Anyone may object in their real name while the window is open (until
23:59:59 Beijing time of its last working day); the office handles each objection, and naming
waits until the window has closed and every objection about the bureau is handled
(``notices.guards.naming_blocked``).
"""

import datetime
import secrets
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.enums import Action, ApplicationState
from applications.evidence import discard, store_upload
from applications.models import Application, Cycle
from applications.workflow import application_transition
from audit.enums import AuditAction
from audit.services import audit_act, audit_record
from evaluation.decisions import decision_in_force
from organizations.models import User

from .holidays import CalendarMissing, working_day_add
from .models import (
    UPHELD_OUTCOMES,
    CalendarDay,
    CalendarSource,
    DayKind,
    HolidayCalendarYear,
    NoticeEvent,
    Objection,
    ObjectionOutcome,
    PublicNotice,
)
from .permissions import can_manage_notices
from .selectors import notice_is_open

# The attachment of an objection: what the upload rules accept for scans and documents.
OBJECTION_KINDS = ("pdf", "jpeg", "png", "docx")
FACTS_MAX_LENGTH = 2000
WORKING_DAYS_MAX = 30
# A reference: 16 characters of an alphabet without look-alikes (80 bits), grouped by four.
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


# The calendar --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScheduleLine:
    day: datetime.date
    kind: str
    name: str


def schedule_parse(text: str, *, year: int) -> list[ScheduleLine]:
    """The office's schedule, one day a line: ``2027-10-01 holiday 国庆节`` or
    ``2027-10-09 workday 国庆节`` (放假 / 上班 are accepted for the kind), also with commas
    (a CSV export). Every line must parse and fall in ``year``; a make-up working day must be
    a Saturday or Sunday; a day is listed once. Raises ``ValidationError`` naming each line."""
    kinds = {
        "holiday": DayKind.HOLIDAY,
        "放假": DayKind.HOLIDAY,
        "休": DayKind.HOLIDAY,
        "workday": DayKind.WORKDAY,
        "上班": DayKind.WORKDAY,
        "班": DayKind.WORKDAY,
    }
    lines, errors, seen = [], [], set()
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip().lstrip("\ufeff")
        if not line or line.startswith("#"):
            continue
        parts = [p.strip() for p in line.replace("，", ",").replace(",", " ").split()]
        if number == 1 and parts and parts[0].lower() == "date":
            continue  # a CSV header
        if len(parts) < 2:
            errors.append(_("Line %(n)d: give the date and the kind.") % {"n": number})
            continue
        try:
            day = datetime.date.fromisoformat(parts[0])
        except ValueError:
            errors.append(
                _("Line %(n)d: “%(value)s” is not a date (YYYY-MM-DD).")
                % {"n": number, "value": parts[0][:20]}
            )
            continue
        kind = kinds.get(parts[1].lower())
        if kind is None:
            errors.append(
                _("Line %(n)d: the kind is “holiday” (放假) or “workday” (上班).") % {"n": number}
            )
            continue
        if day.year != year:
            errors.append(
                _("Line %(n)d: %(day)s is not in %(year)s.")
                % {"n": number, "day": day.isoformat(), "year": year}
            )
            continue
        if kind == DayKind.WORKDAY and day.weekday() < 5:
            errors.append(
                _(
                    "Line %(n)d: %(day)s is a weekday; a make-up working day is a Saturday "
                    "or Sunday."
                )
                % {"n": number, "day": day.isoformat()}
            )
            continue
        if day in seen:
            errors.append(
                _("Line %(n)d: %(day)s is listed twice.") % {"n": number, "day": day.isoformat()}
            )
            continue
        seen.add(day)
        name = " ".join(parts[2:])[:40]
        lines.append(ScheduleLine(day=day, kind=kind, name=name))
    if errors:
        raise ValidationError(errors)
    if not any(line.kind == DayKind.HOLIDAY for line in lines):
        raise ValidationError(_("The schedule lists no holiday; enter the year's holidays."))
    return sorted(lines, key=lambda line: line.day)


@transaction.atomic
def calendar_year_enter(
    *,
    year: int,
    lines: list[ScheduleLine],
    by: User,
    notice_reference: str = "",
    source: str = CalendarSource.OFFICE,
    is_demo: bool = False,
    ip: str | None = None,
) -> HolidayCalendarYear:
    """Enter (or replace) a year's schedule from the State Council's notice. Windows already
    open keep the closing day they were counted with. Audited with the days entered."""
    if not can_manage_notices(by):
        raise PermissionDenied(_("Only the campaign office keeps the holiday calendar."))
    if any(line.day.year != year for line in lines):
        raise ValidationError(_("Every day must fall in %(year)s.") % {"year": year})
    calendar, created = HolidayCalendarYear.objects.select_for_update().get_or_create(
        year=year,
        defaults={
            "source": source,
            "notice_reference": notice_reference,
            "is_demo": is_demo,
            "entered_by": by,
        },
    )
    if not created:
        calendar.source, calendar.notice_reference = source, notice_reference
        calendar.is_demo, calendar.entered_by = is_demo, by
        calendar.save()
        calendar.days.all().delete()
    CalendarDay.objects.bulk_create(
        CalendarDay(calendar=calendar, date=line.day, kind=line.kind, name=line.name)
        for line in lines
    )
    audit_record(
        action=(
            AuditAction.CALENDAR_ENTER
            if source != CalendarSource.IMPORT
            else AuditAction.CALENDAR_IMPORT
        ),
        actor=by,
        obj=calendar,
        ip=ip,
        details={
            "year": year,
            "replaced": not created,
            "demo": is_demo,
            "holidays": sum(1 for line in lines if line.kind == DayKind.HOLIDAY),
            "workdays": sum(1 for line in lines if line.kind == DayKind.WORKDAY),
            "notice": notice_reference,
        },
    )
    return calendar


def calendar_year_import(
    *, year: int, content: bytes, by: User, notice_reference: str = "", ip: str | None = None
) -> HolidayCalendarYear:
    """A year's schedule from a CSV or text file (UTF-8 or GBK): the same lines as the entry
    form (``date,kind,name``)."""
    if not can_manage_notices(by):
        raise PermissionDenied(_("Only the campaign office keeps the holiday calendar."))
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes every byte string
        raise ValidationError(_("The file is not text (UTF-8 or GBK)."))
    return calendar_year_enter(
        year=year,
        lines=schedule_parse(text, year=year),
        by=by,
        notice_reference=notice_reference,
        source=CalendarSource.IMPORT,
        ip=ip,
    )


# The window ----------------------------------------------------------------------------------


@transaction.atomic
def public_notice_open(
    *,
    cycle: Cycle,
    applications: list[Application],
    starts_on: datetime.date,
    contact_office: str,
    contact_phone: str,
    by: User,
    working_days: int = 5,
    ip: str | None = None,
    today: datetime.date | None = None,
) -> PublicNotice:
    """Open a window for approved applications of ``cycle``: from ``starts_on`` (today or
    later, and not before the Party committee's meeting) for ``working_days`` working days.
    Refused for an application not approved by the Party committee, or already in a window
    not yet closed, and when the count reaches a year without a calendar. Audited; the
    window's history starts.

    ``today`` is the day the office opens the window, the real one unless a loader of past
    campaigns (the demo, the test factories) replays a window it held on an earlier day."""
    today = today or timezone.localdate()
    if not can_manage_notices(by):
        raise PermissionDenied(_("Only the campaign office opens a public notice."))
    if not applications:
        raise ValidationError({"applications": _("Choose the bureaus to put on notice.")})
    if starts_on < today:
        raise ValidationError({"starts_on": _("The window cannot start in the past.")})
    if not 1 <= working_days <= WORKING_DAYS_MAX:
        raise ValidationError(
            {
                "working_days": _("A window lasts 1 to %(max)d working days.")
                % {"max": WORKING_DAYS_MAX}
            }
        )
    if not contact_office.strip() or not contact_phone.strip():
        raise ValidationError(_("Give the contact office and its telephone."))
    locked = list(
        Application.objects.select_for_update(of=("self",))
        .filter(pk__in=[a.pk for a in applications])
        .select_related("county")
    )
    wrong = [
        a.county.name
        for a in locked
        if a.state != ApplicationState.APPROVED or a.cycle_id != cycle.pk
    ]
    if wrong or len(locked) != len({a.pk for a in applications}):
        raise ValidationError(
            {
                "applications": _(
                    "Only applications of this cycle approved by the Party committee are put on "
                    "notice: %(list)s"
                )
                % {"list": "、".join(wrong)}
            }
        )
    busy = sorted(
        {a.county.name for a in locked if a.public_notices.filter(closes_on__gte=today).exists()}
    )
    if busy:
        raise ValidationError(
            {
                "applications": _("Already in a window that has not closed: %(list)s")
                % {"list": "、".join(busy)}
            }
        )
    early = sorted(
        a.county.name
        for a in locked
        if (decision := decision_in_force(a)) is not None and starts_on < decision.meeting.held_on
    )
    if early:
        raise ValidationError(
            {
                "starts_on": _(
                    "A window starts on or after the day of the Party committee's meeting "
                    "that approved the bureau: %(list)s"
                )
                % {"list": "、".join(early)}
            }
        )
    try:
        closes_on = working_day_add(starts_on, working_days)
    except CalendarMissing as missing:
        raise ValidationError({"starts_on": missing.messages}) from None
    notice = PublicNotice.objects.create(
        cycle=cycle,
        starts_on=starts_on,
        working_days=working_days,
        closes_on=closes_on,
        contact_office=contact_office.strip(),
        contact_phone=contact_phone.strip(),
        opened_by=by,
    )
    notice.applications.set(locked)
    NoticeEvent.objects.create(
        notice=notice,
        kind=NoticeEvent.Kind.OPENED,
        actor=by,
        note="、".join(a.county.name for a in locked),
        ip=ip,
    )
    audit_record(
        action=AuditAction.NOTICE_OPEN,
        actor=by,
        obj=notice,
        ip=ip,
        details={
            "starts_on": starts_on.isoformat(),
            "closes_on": closes_on.isoformat(),
            "working_days": working_days,
            "applications": [a.pk for a in locked],
        },
    )
    return notice


# Objections ----------------------------------------------------------------------------------


def _reference() -> str:
    raw = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(16))
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


@transaction.atomic
def objection_submit(
    *,
    notice: PublicNotice,
    application: Application,
    name: str,
    phone: str,
    facts: str,
    attachment=None,
    ip: str | None = None,
    now: datetime.datetime | None = None,
) -> Objection:
    """Record an objection while the window is open (until 23:59:59 Beijing time of its last
    working day): the objector's real name and telephone, the bureau (one on this notice),
    the facts, an optional attachment checked by the upload rules. Returns it with its
    reference. Audited without the content (an anonymous act, with the address)."""
    now = now or timezone.now()
    if not notice_is_open(notice, now):
        raise ValidationError(
            _(
                "This public notice is not open: objections are taken from %(start)s to the "
                "end of %(end)s."
            )
            % {"start": notice.starts_on.isoformat(), "end": notice.closes_on.isoformat()}
        )
    if not notice.applications.filter(pk=application.pk).exists():
        raise ValidationError({"application": _("Choose a bureau on this notice.")})
    if not name.strip() or not phone.strip() or not facts.strip():
        raise ValidationError(_("Give your real name, your telephone and the facts."))
    if len(facts) > FACTS_MAX_LENGTH:
        raise ValidationError(
            {"facts": _("Keep the facts within %(max)d characters.") % {"max": FACTS_MAX_LENGTH}}
        )
    stored = store_upload(attachment, kinds=OBJECTION_KINDS) if attachment else None
    try:
        objection = Objection.objects.create(
            notice=notice,
            application=application,
            reference=_reference(),
            name=name.strip(),
            phone=phone.strip(),
            facts=facts.strip(),
            ip=ip,
            **(stored.fields() if stored else {}),
        )
        NoticeEvent.objects.create(
            notice=notice,
            objection=objection,
            kind=NoticeEvent.Kind.OBJECTION,
            note=objection.reference,
            ip=ip,
        )
        audit_record(
            action=AuditAction.OBJECTION_SUBMIT,
            obj=objection,
            ip=ip,
            actor_name=_("the public"),
            details={"notice": notice.pk, "application": application.pk},
        )
    except BaseException:
        if stored:
            discard(stored.stored_name)
        raise
    return objection


@transaction.atomic
def objection_handle(
    *,
    objection: Objection,
    outcome: str,
    note: str,
    by: User,
    ip: str | None = None,
) -> Objection:
    """The office's handling of one objection, with its note (the reasons): dismissed, or
    verified and upheld — the bureau goes back to the Party committee (approved → inspected
    and passed) or its approval is withdrawn (approved → not approved), through the
    application workflow. Handled once; one audit entry (the application's move is a step of
    it); the window's history and (for an upheld objection) the application's history record
    it."""
    if not can_manage_notices(by):
        raise PermissionDenied(_("Only the campaign office handles objections."))
    locked = (
        Objection.objects.select_for_update().select_related("application").get(pk=objection.pk)
    )
    if locked.is_handled:
        raise ValidationError(_("This objection has been handled already."))
    if outcome not in ObjectionOutcome.values or outcome == ObjectionOutcome.WAITING:
        raise ValidationError({"outcome": _("Choose how the objection is handled.")})
    if not note.strip():
        raise ValidationError({"note": _("Give the reasons.")})
    details = {"outcome": outcome, "application": locked.application_id}
    # One act, one entry: an upheld objection's move of the application is a step of it.
    with audit_act(
        action=AuditAction.OBJECTION_HANDLE, actor=by, obj=locked, ip=ip, details=details
    ):
        locked.outcome, locked.handling_note = outcome, note.strip()
        locked.handled_by, locked.handled_at = by, timezone.now()
        locked.save(update_fields=["outcome", "handling_note", "handled_by", "handled_at"])
        if outcome in UPHELD_OUTCOMES and locked.application.state == ApplicationState.APPROVED:
            application_transition(
                application=locked.application,
                action=Action.NOTICE_BACK
                if outcome == ObjectionOutcome.UPHELD_BACK
                else Action.APPROVAL_WITHDRAW,
                by=by,
                note=f"{locked.reference} {note.strip()}",
                ip=ip,
            )
        NoticeEvent.objects.create(
            notice=locked.notice,
            objection=locked,
            kind=NoticeEvent.Kind.HANDLED,
            actor=by,
            note=f"{locked.get_outcome_display()}：{note.strip()}",
            ip=ip,
        )
    return locked
