"""Evaluating reported figures against an indicator's rule.

One function, ``indicator_evaluate``, serves the county's self-check and the evaluators' pages.
It never raises on bad input and never turns bad input into 0: invalid figures come back as
``EvaluationStatus.INVALID`` with a reason the user can act on.
"""

import operator as op
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from django.utils.translation import gettext as _

from .enums import UNIT_SCALE, EvaluationStatus, IndicatorKind, Operator, Unit
from .models import Indicator

# No county reports a billion of anything: larger figures are typing errors.
MAX_FIGURE = Decimal(1_000_000_000)

_COMPARE = {
    Operator.GTE: op.ge,
    Operator.GT: op.gt,
    Operator.LTE: op.le,
    Operator.LT: op.lt,
    Operator.EQ: op.eq,
}
_THOUSANDS = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$")


class FigureError(ValueError):
    """A reported figure that cannot be used; ``str(error)`` is the reason for the user."""


@dataclass(frozen=True)
class Evaluation:
    status: str
    value: Decimal | None
    reason: str

    @property
    def is_met(self) -> bool:
        return self.status in (EvaluationStatus.MET, EvaluationStatus.NOT_APPLICABLE)


def parse_figure(raw: object, *, label: str, allow_fraction: bool) -> Decimal | None:
    """Turn what the user typed into a Decimal; ``None`` when nothing was entered.

    Accepts full-width digits and thousands separators; refuses words, NaN, infinities,
    negative numbers, fractions where a whole number is expected and absurd sizes.
    """
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise FigureError(_("%(label)s is not a number.") % {"label": label})
    if isinstance(raw, int | Decimal | float):
        text = str(raw)
    else:
        text = unicodedata.normalize("NFKC", str(raw)).strip().replace(" ", "")
        if text == "":
            return None
        if _THOUSANDS.match(text):
            text = text.replace(",", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise FigureError(
            _("%(label)s: “%(raw)s” is not a number.") % {"label": label, "raw": str(raw)[:30]}
        ) from None
    if not number.is_finite():
        raise FigureError(_("%(label)s is not a number.") % {"label": label})
    if number < 0:
        raise FigureError(_("%(label)s cannot be negative.") % {"label": label})
    if number > MAX_FIGURE:
        raise FigureError(
            _("%(label)s is implausibly large (more than %(max)s).")
            % {"label": label, "max": f"{MAX_FIGURE:,}"}
        )
    if not allow_fraction and number != number.to_integral_value():
        raise FigureError(_("%(label)s must be a whole number.") % {"label": label})
    return number


def format_value(value: Decimal | Fraction | None, unit: str) -> str:
    """A value with its unit for display: ``82.5%``, ``0.8‱``, ``0.05``, ``3``."""
    if value is None:
        return "—"
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    value = value.quantize(Decimal("0.0001")).normalize()
    text = f"{value:f}"
    symbol = {Unit.PERCENT: "%", Unit.PERMILLE: "‰", Unit.PER_MYRIAD: "‱"}.get(unit, "")
    return f"{text}{symbol}"


def _threshold(indicator: Indicator, parameters: Mapping[str, object] | None) -> Decimal | None:
    if not indicator.threshold_parameter:
        return indicator.threshold
    raw = (parameters or {}).get(indicator.threshold_parameter)
    if raw is None or raw == "":
        return None
    return Decimal(str(raw))


def indicator_evaluate(
    indicator: Indicator,
    *,
    numerator: object = None,
    denominator: object = None,
    value: object = None,
    parameters: Mapping[str, object] | None = None,
) -> Evaluation:
    """Compare the reported figures with ``indicator``'s rule.

    Rates and ratios take ``numerator`` and ``denominator``; single figures take ``value``.
    ``parameters`` supplies thresholds set per cycle (``threshold_parameter``), such as the
    provincial average of legal aid cases. The comparison is exact (fractions), so a
    boundary value is judged exactly as the plan words it.
    """
    try:
        if indicator.kind == IndicatorKind.COUNT:
            reported = parse_figure(
                value,
                label=indicator.value_label or indicator.name,
                allow_fraction=indicator.allow_fraction,
            )
            if reported is None:
                return Evaluation(EvaluationStatus.MISSING, None, _("Not reported yet."))
            computed = Fraction(reported)
        else:
            num = parse_figure(
                numerator, label=indicator.numerator_label, allow_fraction=indicator.allow_fraction
            )
            den = parse_figure(
                denominator,
                label=indicator.denominator_label,
                allow_fraction=indicator.allow_fraction,
            )
            if num is None or den is None:
                return Evaluation(EvaluationStatus.MISSING, None, _("Not reported yet."))
            if den == 0:
                if indicator.vacuous_when_zero and num == 0:
                    return Evaluation(
                        EvaluationStatus.NOT_APPLICABLE,
                        None,
                        _("Not applicable: %(label)s is 0.")
                        % {"label": indicator.denominator_label},
                    )
                raise FigureError(
                    _("%(label)s is 0: the rate cannot be computed.")
                    % {"label": indicator.denominator_label}
                )
            if indicator.kind == IndicatorKind.RATE and num > den:
                raise FigureError(
                    _("%(num)s cannot be greater than %(den)s.")
                    % {"num": indicator.numerator_label, "den": indicator.denominator_label}
                )
            computed = Fraction(num) / Fraction(den) * UNIT_SCALE[indicator.unit]
    except FigureError as error:
        return Evaluation(EvaluationStatus.INVALID, None, str(error))

    shown = Decimal(computed.numerator) / Decimal(computed.denominator)
    threshold = _threshold(indicator, parameters)
    if threshold is None:
        return Evaluation(
            EvaluationStatus.PENDING,
            shown,
            _("The provincial figure for this rule has not been entered yet."),
        )
    met = _COMPARE[Operator(indicator.operator)](computed, Fraction(threshold))
    detail = _("%(value)s, required %(op)s %(threshold)s (%(rule)s)") % {
        "value": format_value(shown, indicator.unit),
        "op": Operator(indicator.operator).label,
        "threshold": format_value(threshold, indicator.unit),
        "rule": indicator.rule_text,
    }
    return Evaluation(EvaluationStatus.MET if met else EvaluationStatus.NOT_MET, shown, detail)


def indicators_met(results: Iterable[tuple[Indicator, Evaluation]]) -> bool:
    """Whether an item's indicators are met together.

    Indicators outside an alternative group must each be met; within a group
    (``alternative_group``) one met indicator suffices.
    """
    groups: dict[str, bool] = {}
    for indicator, evaluation in results:
        if indicator.alternative_group:
            key = indicator.alternative_group
            groups[key] = groups.get(key, False) or evaluation.is_met
        elif not evaluation.is_met:
            return False
    return all(groups.values())
