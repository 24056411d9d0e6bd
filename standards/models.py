from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from organizations.models import Division

from .enums import IndicatorKind, Operator, Unit

_PERCENT = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]


class CriteriaVersion(models.Model):
    """A version of the criteria (创建标准) with its scoring rules.

    Editable until a cycle uses it; then ``frozen_at`` is set and it can only be cloned.
    """

    name = models.CharField(_("name"), max_length=60, unique=True)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    source = models.CharField(_("source document"), max_length=200, blank=True)
    pass_total_percent = models.DecimalField(
        # xgettext:no-python-format
        _("pass mark (% of the maximum)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(90),
        validators=_PERCENT,
    )
    section_min_percent = models.DecimalField(
        # xgettext:no-python-format
        _("section minimum (% of the section maximum)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(80),
        validators=_PERCENT,
    )
    met_percent = models.DecimalField(
        # xgettext:no-python-format
        _("points for 'met' (% of the item)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(100),
        validators=_PERCENT,
    )
    partly_met_percent = models.DecimalField(
        # xgettext:no-python-format
        _("points for 'partly met' (% of the item)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(50),
        validators=_PERCENT,
    )
    frozen_at = models.DateTimeField(_("frozen at"), null=True, blank=True)
    cloned_from = models.ForeignKey(
        "self",
        verbose_name=_("cloned from"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="clones",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("criteria version")
        verbose_name_plural = _("criteria versions")
        ordering = ["-year", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None


class Section(models.Model):
    """One of the seven parts of the criteria, owned by one or more provincial divisions."""

    version = models.ForeignKey(
        CriteriaVersion,
        verbose_name=_("criteria version"),
        on_delete=models.CASCADE,
        related_name="sections",
    )
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=60)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    weight = models.DecimalField(
        _("weight"),
        max_digits=6,
        decimal_places=2,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal(0))],
    )
    owners = models.ManyToManyField(
        Division, verbose_name=_("owning divisions"), related_name="sections", blank=True
    )

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["version", "number"]
        constraints = [
            models.UniqueConstraint(fields=["version", "number"], name="section_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class Item(models.Model):
    """A criteria item (考评项目), with the plan's text verbatim; veto items fail an application."""

    section = models.ForeignKey(
        Section, verbose_name=_("section"), on_delete=models.CASCADE, related_name="items"
    )
    code = models.CharField(_("code"), max_length=12)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    group = models.CharField(_("group"), max_length=40, blank=True)
    group_en = models.CharField(_("group (English)"), max_length=80, blank=True)
    title = models.CharField(_("title"), max_length=60)
    title_en = models.CharField(_("title (English)"), max_length=120, blank=True)
    text = models.TextField(_("text"))
    points = models.DecimalField(
        _("points"),
        max_digits=6,
        decimal_places=2,
        default=Decimal(10),
        validators=[MinValueValidator(Decimal(0))],
    )
    is_veto = models.BooleanField(_("veto item"), default=False)
    veto_note = models.CharField(_("prohibition"), max_length=200, blank=True)
    veto_note_en = models.CharField(_("prohibition (English)"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("criteria item")
        verbose_name_plural = _("criteria items")
        ordering = ["section__number", "order"]
        constraints = [
            models.UniqueConstraint(fields=["section", "code"], name="item_unique_code"),
            models.CheckConstraint(
                name="item_veto_has_note",
                condition=Q(is_veto=False) | ~Q(veto_note=""),
                violation_error_message=_("A veto item states its prohibition."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Indicator(models.Model):
    """A quantitative indicator (量化指标): what the county reports and the rule it must meet."""

    item = models.ForeignKey(
        Item, verbose_name=_("criteria item"), on_delete=models.CASCADE, related_name="indicators"
    )
    code = models.CharField(_("code"), max_length=16)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("name"), max_length=80)
    name_en = models.CharField(_("English name"), max_length=160, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=IndicatorKind.choices)
    numerator_label = models.CharField(_("numerator"), max_length=80, blank=True)
    numerator_label_en = models.CharField(_("numerator (English)"), max_length=160, blank=True)
    denominator_label = models.CharField(_("denominator"), max_length=80, blank=True)
    denominator_label_en = models.CharField(_("denominator (English)"), max_length=160, blank=True)
    value_label = models.CharField(_("reported figure"), max_length=80, blank=True)
    value_label_en = models.CharField(_("reported figure (English)"), max_length=160, blank=True)
    unit = models.CharField(_("unit"), max_length=12, choices=Unit.choices)
    operator = models.CharField(_("operator"), max_length=4, choices=Operator.choices)
    threshold = models.DecimalField(
        _("threshold"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    threshold_parameter = models.SlugField(
        _("threshold set per cycle"),
        max_length=60,
        blank=True,
        help_text=_("Name of a figure the campaign office enters for each cycle."),
    )
    rule_text = models.CharField(_("rule in the plan"), max_length=120)
    alternative_group = models.CharField(
        _("alternative group"),
        max_length=20,
        blank=True,
        help_text=_("Indicators of one item sharing a group: meeting any one suffices."),
    )
    vacuous_when_zero = models.BooleanField(
        _("zero denominator means not applicable"), default=False
    )
    allow_fraction = models.BooleanField(_("fractions allowed"), default=False)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["item", "order"]
        constraints = [
            models.UniqueConstraint(fields=["item", "code"], name="indicator_unique_code"),
            models.CheckConstraint(
                name="indicator_threshold_xor_parameter",
                condition=(Q(threshold__isnull=False) & Q(threshold_parameter=""))
                | (Q(threshold__isnull=True) & ~Q(threshold_parameter="")),
                violation_error_message=_(
                    "Give either a fixed threshold or the name of a per-cycle figure."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
