"""The written review's pass rule, as pure arithmetic on item scores: the points each rating
earns, a sheet's points and failed vetoes, and an application's result (total, sections,
vetoes, reasons). No query here: the selectors and services feed it."""

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.utils.translation import gettext as _

from applications.models import Application
from standards.models import CriteriaVersion, Section

from .enums import Rating


def rating_factors(version: CriteriaVersion) -> dict[str, Decimal]:
    """The share of an item's points each rating earns under ``version``."""
    return {
        Rating.MET: version.met_percent / 100,
        Rating.PARTLY_MET: version.partly_met_percent / 100,
        Rating.NOT_MET: Decimal(0),
    }


def sheet_points(scores, factor: dict[str, Decimal]) -> tuple[Decimal, list[str]]:
    """A sheet's points and its failed veto items ("code title", in the items' order), from
    its item scores (each with its ``item``)."""
    points, vetoes = Decimal(0), []
    for score in sorted(scores, key=lambda s: (s.item.order, s.item.code)):
        points += score.item.points * factor.get(score.rating, Decimal(0))
        if score.item.is_veto and (score.veto_failed or score.rating == Rating.NOT_MET):
            vetoes.append(f"{score.item.code} {score.item.title}")
    return points, vetoes


@dataclass
class SectionResult:
    section: Section
    points: Decimal
    maximum: Decimal
    signed: bool

    @property
    def percent(self) -> Decimal:
        return (
            (self.points / self.maximum * 100).quantize(Decimal("0.01"))
            if self.maximum
            else Decimal(0)
        )


@dataclass
class WrittenResult:
    application: Application
    sections: list[SectionResult] = field(default_factory=list)
    vetoes_failed: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return len(self.sections) > 0 and all(s.signed for s in self.sections)

    @property
    def total(self) -> Decimal:
        return sum((s.points * s.section.weight for s in self.sections), Decimal(0))

    @property
    def maximum(self) -> Decimal:
        return sum((s.maximum * s.section.weight for s in self.sections), Decimal(0))

    @property
    def percent(self) -> Decimal:
        return (
            (self.total / self.maximum * 100).quantize(Decimal("0.01"))
            if self.maximum
            else Decimal(0)
        )

    @property
    def passed(self) -> bool:
        return self.complete and not self.reasons


def _below(points: Decimal, maximum: Decimal, mark_percent: Decimal) -> bool:
    """Whether ``points`` of ``maximum`` is below ``mark_percent``, exactly."""
    return Fraction(points) * 100 < Fraction(mark_percent) * Fraction(maximum)


def judged(application: Application, version: CriteriaVersion, rows) -> WrittenResult:
    """The result of ``rows`` ``(sheet, points, maximum, failed vetoes)`` by the pass rule."""
    result = WrittenResult(application)
    for sheet, points, maximum, vetoes in sorted(rows, key=lambda r: r[0].section.number):
        result.vetoes_failed += vetoes
        result.sections.append(
            SectionResult(sheet.section, points, maximum, sheet.signed_at is not None)
        )
    # Compared exactly (points × 100 against mark × maximum, in fractions); the two-decimal
    # percentages are for display only: 580/590 = 98.305… % is below a 98.31 % mark.
    if _below(result.total, result.maximum, version.pass_total_percent):
        result.reasons.append(
            _("Total %(p)s%% is below the pass mark of %(m)s%%.")
            % {"p": result.percent, "m": version.pass_total_percent.normalize()}
        )
    for section in result.sections:
        if _below(section.points, section.maximum, version.section_min_percent):
            result.reasons.append(
                _("Section %(n)d scored %(p)s%%, below its minimum of %(m)s%%.")
                % {
                    "n": section.section.number,
                    "p": section.percent,
                    "m": version.section_min_percent.normalize(),
                }
            )
    if result.vetoes_failed:
        result.reasons.append(
            _("Veto items failed: %(list)s") % {"list": "、".join(result.vetoes_failed)}
        )
    return result
