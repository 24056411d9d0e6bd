"""indicator_evaluate: every shipped indicator at its boundary, and every kind of bad figure."""

from decimal import Decimal
from fractions import Fraction

import pytest

from standards.enums import UNIT_SCALE, EvaluationStatus, IndicatorKind
from standards.evaluation import indicator_evaluate, indicators_met
from standards.models import Indicator

pytestmark = pytest.mark.django_db

MET, NOT_MET = EvaluationStatus.MET, EvaluationStatus.NOT_MET
AVERAGE = {"legal_aid_provincial_average": "120"}


def _shipped() -> list[Indicator]:
    return list(
        Indicator.objects.filter(item__section__version__name="2017年试行版").order_by("code")
    )


def _figures(indicator: Indicator, value: Fraction) -> dict:
    """Reported figures whose computed value is exactly ``value`` (in the indicator's unit)."""
    if indicator.kind == IndicatorKind.COUNT:
        return {"value": str(Decimal(value.numerator) / Decimal(value.denominator))}
    share = value / UNIT_SCALE[indicator.unit]
    denominator = 100_000 * _limit(indicator).denominator
    numerator = share * denominator
    assert numerator.denominator == 1
    return {"numerator": numerator, "denominator": denominator}


def _limit(indicator: Indicator) -> Fraction:
    if indicator.threshold_parameter:
        return Fraction(AVERAGE[indicator.threshold_parameter])
    return Fraction(indicator.threshold)


def _step(indicator: Indicator) -> Fraction:
    """The smallest change of the reported figures that moves the value off the boundary."""
    if indicator.kind == IndicatorKind.COUNT:
        return Fraction(1, 2) if indicator.allow_fraction else Fraction(1)
    return Fraction(UNIT_SCALE[indicator.unit], 100_000 * _limit(indicator).denominator)


def _evaluate(indicator: Indicator, value: Fraction):
    figures = _figures(indicator, value)
    figures = {k: str(v.numerator) if isinstance(v, Fraction) else v for k, v in figures.items()}
    return indicator_evaluate(indicator, parameters=AVERAGE, **figures)


@pytest.mark.parametrize("position", ["at", "below", "above"])
def test_every_shipped_indicator_at_its_boundary(position):
    checked = 0
    for indicator in _shipped():
        limit, step = _limit(indicator), _step(indicator)
        value = {"at": limit, "below": limit - step, "above": limit + step}[position]
        scale = UNIT_SCALE[indicator.unit]
        if indicator.kind == IndicatorKind.RATE and value > scale:
            continue  # above 100 % is not a rate; covered by the invalid-figure tests
        expected = {
            "at": indicator.operator in {"gte", "lte", "eq"},
            "below": indicator.operator in {"lt", "lte"},
            "above": indicator.operator in {"gt", "gte"},
        }[position]
        result = _evaluate(indicator, value)
        assert result.status == (MET if expected else NOT_MET), (indicator.code, value, result)
        checked += 1
    assert checked >= 28


def _indicator(code: str) -> Indicator:
    return Indicator.objects.get(item__section__version__name="2017年试行版", code=code)


@pytest.mark.parametrize(
    ("numerator", "denominator", "status"),
    [
        (70, 100, MET),  # 达到70%以上: 70 % itself is met
        (69, 100, NOT_MET),
        (699999, 1000000, NOT_MET),
        (7, 10, MET),
        ("７０", "１００", MET),  # full-width digits, as typed with a Chinese input method
        ("1,400", "2,000", MET),
    ],
)
def test_handover_rate_70_percent_or_more(numerator, denominator, status):
    result = indicator_evaluate(_indicator("2.4.2-a"), numerator=numerator, denominator=denominator)
    assert result.status == status


def test_reoffending_rate_below_point_two_percent_excludes_the_boundary():
    indicator = _indicator("7.4-a")  # 低于0.2%: exactly 0.2 % is not met
    assert indicator_evaluate(indicator, numerator=2, denominator=1000).status == NOT_MET
    assert indicator_evaluate(indicator, numerator=1, denominator=1000).status == MET
    assert indicator_evaluate(indicator, numerator=0, denominator=1000).status == MET


def test_wrong_certificate_rate_one_in_ten_thousand_is_still_met():
    indicator = _indicator("3.2-a")  # 万分之一以下 includes one in ten thousand
    assert indicator_evaluate(indicator, numerator=1, denominator=10000).status == MET
    assert indicator_evaluate(indicator, numerator=2, denominator=10000).status == NOT_MET
    result = indicator_evaluate(indicator, numerator=1, denominator=20000)
    assert result.status == MET
    assert result.value == Decimal("0.5")


def test_social_workers_one_per_twenty_persons():
    indicator = _indicator("7.1-c")
    assert indicator_evaluate(indicator, numerator=5, denominator=100).status == MET
    assert indicator_evaluate(indicator, numerator=4, denominator=100).status == NOT_MET


def test_volunteers_may_outnumber_persons_under_correction():
    indicator = _indicator("7.1-d")  # a ratio, not a rate: numerator above denominator is fine
    assert indicator_evaluate(indicator, numerator=150, denominator=100).status == MET
    assert indicator_evaluate(indicator, numerator=99, denominator=100).status == NOT_MET


def test_legal_aid_cases_compare_with_the_provincial_average_strictly():
    indicator = _indicator("6.4-a")
    pending = indicator_evaluate(indicator, value=150)
    assert pending.status == EvaluationStatus.PENDING
    assert pending.value == Decimal(150)
    assert indicator_evaluate(indicator, value=120, parameters=AVERAGE).status == NOT_MET
    assert indicator_evaluate(indicator, value=121, parameters=AVERAGE).status == MET


@pytest.mark.parametrize(
    ("code", "figures", "reason_part"),
    [
        ("2.4.2-a", {"numerator": 5, "denominator": 0}, "为0"),
        ("2.4.2-a", {"numerator": 0, "denominator": 0}, "为0"),
        ("2.4.2-a", {"numerator": 101, "denominator": 100}, "不能大于"),
        ("2.4.2-a", {"numerator": -1, "denominator": 100}, "不能为负数"),
        ("2.4.2-a", {"numerator": "abc", "denominator": 100}, "不是有效数字"),
        ("2.4.2-a", {"numerator": "NaN", "denominator": 100}, "不是有效数字"),
        ("2.4.2-a", {"numerator": "Infinity", "denominator": 100}, "不是有效数字"),
        ("2.4.2-a", {"numerator": 1, "denominator": "1e12"}, "过大"),
        ("2.4.2-a", {"numerator": "1.5", "denominator": 100}, "整数"),
        ("2.4.2-a", {"numerator": True, "denominator": 100}, "不是有效数字"),
        ("5.6-a", {"value": "-2"}, "不能为负数"),
        ("5.6-a", {"value": "两人"}, "不是有效数字"),
        ("5.6-a", {"value": 2.5}, "整数"),
        ("5.6-a", {"value": 10**12}, "过大"),
    ],
)
def test_invalid_figures_give_a_reason_never_a_crash_or_zero(code, figures, reason_part):
    result = indicator_evaluate(_indicator(code), **figures)
    assert result.status == EvaluationStatus.INVALID
    assert result.value is None
    assert reason_part in result.reason


def test_hours_accept_fractions():
    result = indicator_evaluate(_indicator("3.4-a"), value="40.5")
    assert result.status == MET
    assert indicator_evaluate(_indicator("3.4-a"), value="39.5").status == NOT_MET


def test_empty_figures_are_missing_not_zero():
    assert indicator_evaluate(_indicator("5.6-a"), value="").status == EvaluationStatus.MISSING
    assert indicator_evaluate(_indicator("5.6-a"), value=None).status == EvaluationStatus.MISSING
    result = indicator_evaluate(_indicator("2.4.2-a"), numerator="3", denominator="  ")
    assert result.status == EvaluationStatus.MISSING


def test_zero_firms_with_three_party_members_is_not_applicable():
    result = indicator_evaluate(_indicator("4.9-a"), numerator=0, denominator=0)
    assert result.status == EvaluationStatus.NOT_APPLICABLE
    assert result.is_met


def test_resettlement_bases_either_transitional_base_or_enterprise_share():
    base, share = _indicator("2.4.3-a"), _indicator("2.4.3-b")
    none = indicator_evaluate(base, value=0)
    one = indicator_evaluate(base, value=1)
    enough = indicator_evaluate(share, numerator=2, denominator=2000)  # 1 ‰
    short = indicator_evaluate(share, numerator=1, denominator=2000)
    assert indicators_met([(base, none), (share, enough)])
    assert indicators_met([(base, one), (share, short)])
    assert not indicators_met([(base, none), (share, short)])


def test_met_reason_states_value_rule_and_plan_words():
    result = indicator_evaluate(_indicator("2.4.2-a"), numerator=165, denominator=200)
    assert result.status == MET
    assert "82.5%" in result.reason
    assert "≥ 70%" in result.reason
    assert "达到70%以上" in result.reason
