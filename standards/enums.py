from django.db import models
from django.utils.translation import gettext_lazy as _


class IndicatorKind(models.TextChoices):
    RATE = "rate", _("Rate (part of a whole)")
    RATIO = "ratio", _("Ratio (per head)")
    COUNT = "count", _("Single figure")


class Unit(models.TextChoices):
    PERCENT = "percent", "%"
    PERMILLE = "permille", "‰"
    PER_MYRIAD = "per_myriad", "‱"
    RATIO = "ratio", _("ratio")
    COUNT = "count", _("count")
    HOURS = "hours", _("hours")
    TIMES = "times", _("times")


# How many units one whole makes, for rates and ratios.
UNIT_SCALE = {
    Unit.PERCENT: 100,
    Unit.PERMILLE: 1000,
    Unit.PER_MYRIAD: 10000,
    Unit.RATIO: 1,
    Unit.COUNT: 1,
    Unit.HOURS: 1,
    Unit.TIMES: 1,
}


class Operator(models.TextChoices):
    """Comparison of the reported value with the threshold.

    Read by the Civil Code rule (art. 1259): 以上/以下/以内 include the number,
    超过/低于/高于/不满 exclude it; 不低于/不少于/至少 include it.
    """

    GTE = "gte", "≥"
    GT = "gt", ">"
    LTE = "lte", "≤"
    LT = "lt", "<"
    EQ = "eq", "="


class EvaluationStatus(models.TextChoices):
    MET = "met", _("Met")
    NOT_MET = "not_met", _("Not met")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")
    PENDING = "pending", _("Awaiting the provincial figure")
    INVALID = "invalid", _("Invalid figures")
    MISSING = "missing", _("Not reported")
