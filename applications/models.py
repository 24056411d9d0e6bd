from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from organizations.models import Bureau
from standards.models import CriteriaVersion, Indicator, Item

from .enums import Action, Answer, ApplicationKind, ApplicationState, CycleState, EvidenceKind


class Cycle(models.Model):
    """A yearly campaign (创建年度): criteria version, deadlines, quota; draft → open → closed."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    criteria_version = models.ForeignKey(
        CriteriaVersion, verbose_name=_("criteria version"), on_delete=models.PROTECT
    )
    # Deadlines are days: each ends at the next midnight, Beijing time (core.dates).
    city_deadline = models.DateField(_("deadline for cities to forward"))
    quota_ratio = models.DecimalField(
        _("quota ratio"),
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.10"),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))],
    )
    horizon_years = models.PositiveSmallIntegerField(_("horizon (years)"), default=3)
    parameters = models.JSONField(
        _("figures set for the cycle"),
        default=dict,
        blank=True,
        help_text=_("For example the provincial average of legal aid cases."),
    )
    state = models.CharField(
        _("state"), max_length=10, choices=CycleState.choices, default=CycleState.DRAFT
    )
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("cycle")
        verbose_name_plural = _("cycles")
        ordering = ["-year"]

    def __str__(self) -> str:
        return _("%(year)s cycle") % {"year": self.year}


class CountyDeadline(models.Model):
    """An earlier deadline a city sets for its own counties' submissions."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="county_deadlines")
    city = models.ForeignKey(Bureau, on_delete=models.PROTECT, related_name="county_deadlines")
    deadline = models.DateField(_("deadline for counties to submit"))
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    set_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("county deadline")
        verbose_name_plural = _("county deadlines")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "city"], name="county_deadline_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.city} · {self.deadline:%Y-%m-%d}"


# The application form's (申报表) bureau facts and summary, in the form's order: the fields the
# county fills in (``forms.ApplicationFormForm``, ``services.application_update_form``) and,
# every one of them, required before submission (``completeness.completeness_of``).
FORM_FIELDS = (
    "head_name",
    "contact_name",
    "contact_phone",
    "staff_authorized",
    "staff_actual",
    "judicial_office_count",
    "legal_service_office_count",
    "summary",
)


class Application(models.Model):
    """A county's application (申报) for one cycle, with the form's bureau facts; or, of kind
    ``REINSPECTION``, its report for the re-inspection of a title it holds (复查), against the
    criteria of the cycle in force when the round opened (``reinspections.rounds``)."""

    cycle = models.ForeignKey(
        Cycle, verbose_name=_("cycle"), on_delete=models.PROTECT, related_name="applications"
    )
    county = models.ForeignKey(
        Bureau,
        verbose_name=_("county bureau"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    kind = models.CharField(
        _("kind"),
        max_length=12,
        choices=ApplicationKind.choices,
        default=ApplicationKind.APPLICATION,
    )
    # A re-inspection round's deadline for the county's report, set by the campaign office.
    report_deadline = models.DateField(_("report deadline"), null=True, blank=True)
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=ApplicationState.choices,
        default=ApplicationState.DRAFT,
    )
    # Submission round: 1 for the first submission, +1 after each return.
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    head_name = models.CharField(_("bureau head"), max_length=40, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=40, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    staff_authorized = models.PositiveIntegerField(_("authorised posts"), null=True, blank=True)
    staff_actual = models.PositiveIntegerField(_("staff in post"), null=True, blank=True)
    judicial_office_count = models.PositiveIntegerField(
        _("judicial offices"), null=True, blank=True
    )
    legal_service_office_count = models.PositiveIntegerField(
        _("legal service offices"), null=True, blank=True
    )
    summary = models.TextField(_("summary of the creation work"), blank=True)
    pledged_at = models.DateTimeField(_("pledge given at"), null=True, blank=True)
    pledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pledge given by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("first submitted at"), null=True, blank=True)
    forwarded_at = models.DateTimeField(_("forwarded at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["cycle", "county__code"]
        constraints = [
            # One application per county and cycle; re-inspection rounds are unique per
            # designation and due date (``reinspections.Reinspection``).
            models.UniqueConstraint(
                fields=["cycle", "county"],
                condition=Q(kind=ApplicationKind.APPLICATION),
                name="application_one_per_county",
            ),
        ]
        indexes = [
            # The city's and the office's lists filter by cycle and state.
            models.Index(fields=["cycle", "state"], name="application_cycle_state"),
        ]

    def __str__(self) -> str:
        return f"{self.county.name} · {self.cycle.year}"

    @property
    def is_reinspection(self) -> bool:
        return self.kind == ApplicationKind.REINSPECTION


class SelfAssessment(models.Model):
    """The county's answer for one criteria item, with its explanation."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="assessments"
    )
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    answer = models.CharField(
        _("self-assessment"), max_length=12, choices=Answer.choices, blank=True
    )
    explanation = models.TextField(_("explanation"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")
        constraints = [
            models.UniqueConstraint(fields=["application", "item"], name="assessment_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.application} · {self.item.code}"


class IndicatorFigure(models.Model):
    """What the county typed for an indicator, kept as typed; evaluated on display."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="figures")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    numerator = models.CharField(_("numerator"), max_length=40, blank=True)
    denominator = models.CharField(_("denominator"), max_length=40, blank=True)
    value = models.CharField(_("value"), max_length=40, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("indicator figure")
        verbose_name_plural = _("indicator figures")
        constraints = [
            models.UniqueConstraint(fields=["application", "indicator"], name="figure_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.application} · {self.indicator.code}"


class PrivateFile(models.Model):
    """A file kept in private storage under a random name (see ``applications.evidence``)."""

    original_name = models.CharField(_("file name"), max_length=200)
    stored_name = models.CharField(max_length=80, unique=True)
    kind = models.CharField(_("type"), max_length=8, choices=EvidenceKind.choices)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    # Stored after the content checks (images re-encoded, PDFs free of scripts): only such a
    # file is shown inline; files stored before the checks existed stay attachments.
    checked = models.BooleanField(_("content checked"), default=False)

    class Meta:
        abstract = True


class Evidence(PrivateFile):
    """A supporting file (佐证材料) for an item, or the stamped application form (no item).

    Stored privately under a random name. Frozen once submitted: never deleted afterwards,
    only superseded by a newer version or marked removed, both kept in the history.
    """

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="evidence")
    item = models.ForeignKey(
        Item, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    round = models.PositiveSmallIntegerField(_("round"))
    frozen = models.BooleanField(_("submitted"), default=False)
    replaces = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaced_by"
    )
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["item__code", "uploaded_at"]
        indexes = [
            # The section page lists an application's current files per item.
            models.Index(
                fields=["application", "item"],
                condition=Q(removed_at__isnull=True),
                name="evidence_current",
            ),
        ]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_current(self) -> bool:
        return self.removed_at is None


class ReviewComment(models.Model):
    """The city reviewer's comment on an item (or on the whole application) in a round."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="review_comments"
    )
    item = models.ForeignKey(
        Item, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    round = models.PositiveSmallIntegerField(_("round"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("review comment")
        verbose_name_plural = _("review comments")
        ordering = ["round", "created_at"]

    def __str__(self) -> str:
        return f"{self.application} · {self.item.code if self.item else '-'} · {self.round}"


class ApplicationEvent(models.Model):
    """One transition of an application: append-only, the application's history."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    from_state = models.CharField(
        _("from"), max_length=20, choices=ApplicationState.choices, blank=True
    )
    to_state = models.CharField(_("to"), max_length=20, choices=ApplicationState.choices)
    note = models.TextField(_("note"), blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    # Set once the users concerned were notified; a sweep picks up events the broker missed.
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("application event")
        verbose_name_plural = _("application events")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.application} · {self.action} · {self.created_at:%Y-%m-%d %H:%M}"
