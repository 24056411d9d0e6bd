"""The public notice (公示) before naming, its objections, and the holiday calendar it counts
working days by. The writes are in ``notices.services``, the reads in ``notices.selectors``."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from applications.models import Application, Cycle, PrivateFile


class CalendarSource(models.TextChoices):
    PACKAGE = "package", _("chinese-calendar package")
    OFFICE = "office", _("Entered by the office")
    IMPORT = "import", _("Imported by the office")


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Statutory holiday (day off)")
    WORKDAY = "workday", _("Make-up working day (调休)")


class HolidayCalendarYear(models.Model):
    """One year's schedule of statutory holidays and make-up working days, from the State
    Council's annual notice. A year without a row has no calendar: no window is counted in it."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    source = models.CharField(_("source"), max_length=10, choices=CalendarSource.choices)
    notice_reference = models.CharField(_("State Council notice"), max_length=120, blank=True)
    # Entered for the demonstration only, not from a real notice.
    is_demo = models.BooleanField(_("demo data"), default=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    entered_at = models.DateTimeField(_("entered at"), auto_now=True)

    class Meta:
        verbose_name = _("holiday calendar year")
        verbose_name_plural = _("holiday calendar years")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(models.Model):
    """A day that differs from the plain week: a holiday on a weekday (or within the holiday
    on a weekend), or a weekend day worked in exchange (调休)."""

    calendar = models.ForeignKey(HolidayCalendarYear, on_delete=models.CASCADE, related_name="days")
    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=DayKind.choices)
    name = models.CharField(_("holiday"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"


class PublicNotice(models.Model):
    """A public-notice window (公示) for bureaus the Party committee approved: from the start
    date to the end (23:59:59 Beijing time) of its last working day."""

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="public_notices")
    applications = models.ManyToManyField(
        Application, related_name="public_notices", verbose_name=_("bureaus")
    )
    starts_on = models.DateField(_("starts on"))
    working_days = models.PositiveSmallIntegerField(_("working days"), default=5)
    # The last working day, counted when the window opened (the calendar it was counted by is
    # kept; a later correction of the calendar does not move an open window).
    closes_on = models.DateField(_("closes on"))
    contact_office = models.CharField(_("contact office"), max_length=80)
    contact_phone = models.CharField(_("contact telephone"), max_length=40)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)

    class Meta:
        verbose_name = _("public notice")
        verbose_name_plural = _("public notices")
        ordering = ["-starts_on", "-id"]
        indexes = [
            # The public page: open windows first, by their last day.
            models.Index(fields=["closes_on"], name="public_notice_closes"),
        ]

    def __str__(self) -> str:
        return f"{self.cycle} · {self.starts_on}–{self.closes_on}"


class ObjectionOutcome(models.TextChoices):
    WAITING = "waiting", _("Waiting to be handled")
    UPHELD_BACK = "upheld_back", _("Verified and upheld: back to the Party committee")
    UPHELD_WITHDRAWN = "upheld_withdrawn", _("Verified and upheld: approval withdrawn")
    DISMISSED = "dismissed", _("Dismissed")


UPHELD_OUTCOMES = (ObjectionOutcome.UPHELD_BACK, ObjectionOutcome.UPHELD_WITHDRAWN)


class Objection(PrivateFile):
    """An objection in the objector's real name during a window. Never public: only its
    handling result is shown, to whoever holds its reference. The attachment is optional
    (the file fields are empty without one)."""

    notice = models.ForeignKey(PublicNotice, on_delete=models.PROTECT, related_name="objections")
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="objections", verbose_name=_("bureau")
    )
    reference = models.CharField(_("reference number"), max_length=20, unique=True)
    name = models.CharField(_("real name"), max_length=40)
    phone = models.CharField(_("telephone"), max_length=20)
    facts = models.TextField(_("facts"))
    ip = models.GenericIPAddressField(_("address"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    outcome = models.CharField(
        _("handling"),
        max_length=20,
        choices=ObjectionOutcome.choices,
        default=ObjectionOutcome.WAITING,
    )
    handling_note = models.TextField(_("handling note"), blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["submitted_at", "id"]
        indexes = [
            # The office's to-do count and the naming guard: objections still waiting.
            models.Index(fields=["outcome", "application"], name="objection_waiting"),
        ]

    def __str__(self) -> str:
        return self.reference

    # The abstract file's fields are required there; an objection may come without a file.
    original_name = models.CharField(_("file name"), max_length=200, blank=True)
    stored_name = models.CharField(max_length=80, blank=True)
    kind = models.CharField(_("type"), max_length=8, blank=True)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    sha256 = models.CharField(max_length=64, blank=True)

    @property
    def has_attachment(self) -> bool:
        return bool(self.stored_name)

    @property
    def is_handled(self) -> bool:
        return self.outcome != ObjectionOutcome.WAITING


class NoticeEvent(models.Model):
    """One step of a window: opened, an objection received or handled. Append-only, the
    window's history."""

    class Kind(models.TextChoices):
        OPENED = "opened", _("Window opened")
        OBJECTION = "objection", _("Objection received")
        HANDLED = "handled", _("Objection handled")

    notice = models.ForeignKey(PublicNotice, on_delete=models.PROTECT, related_name="events")
    objection = models.ForeignKey(
        Objection, on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    kind = models.CharField(_("action"), max_length=12, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)
    ip = models.GenericIPAddressField(_("address"), null=True, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.notice_id} · {self.kind}"
