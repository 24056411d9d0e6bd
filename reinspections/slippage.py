"""Slippage (工作滑坡): a re-inspection round beside the application that won the title.

Item by item (matched by code: the criteria version may have changed since the naming) the
county's self-assessment and the evaluators' rating then and now; indicator by indicator the
figure then and now against its rule; veto items that fail now. Both sides are read with
``applications.completeness.completeness_of`` (the same evaluation of figures as everywhere),
in a fixed number of queries whatever the number of items.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from applications.completeness import ItemRow, completeness_of
from applications.enums import Answer
from applications.models import Application
from evaluation.enums import Rating
from evaluation.models import ItemScore
from standards.enums import EvaluationStatus

from .models import Reinspection


@dataclass(frozen=True)
class Figure:
    """An indicator's reported figure on one side: the value evaluated and its status."""

    value: Decimal | None
    status: str

    @property
    def status_label(self) -> str:
        return str(EvaluationStatus(self.status).label)


@dataclass
class IndicatorSlip:
    code: str
    name: str
    rule: str
    then: Figure | None
    now: Figure
    # Below its threshold now, and not at naming (or no figure at naming).
    fell_below: bool


@dataclass
class ItemSlip:
    section: int
    order: int
    code: str
    title: str
    is_veto: bool
    answer_then: str
    answer_now: str
    rating_then: str
    rating_now: str
    indicators: list[IndicatorSlip] = field(default_factory=list)
    answer_slipped: bool = False
    rating_slipped: bool = False
    veto_fails: bool = False

    @property
    def indicators_fallen(self) -> list[IndicatorSlip]:
        return [row for row in self.indicators if row.fell_below]

    @property
    def slipped(self) -> bool:
        return (
            self.answer_slipped
            or self.rating_slipped
            or self.veto_fails
            or bool(self.indicators_fallen)
        )

    @property
    def answer_then_label(self) -> str:
        return str(Answer(self.answer_then).label) if self.answer_then else ""

    @property
    def answer_now_label(self) -> str:
        return str(Answer(self.answer_now).label) if self.answer_now else ""

    @property
    def rating_then_label(self) -> str:
        return str(Rating(self.rating_then).label) if self.rating_then else ""

    @property
    def rating_now_label(self) -> str:
        return str(Rating(self.rating_now).label) if self.rating_now else ""

    def requirement(self) -> str:
        """The rectification requirement this item's slippage calls for (one line)."""
        reasons = []
        if self.veto_fails:
            reasons.append(_("veto item now fails"))
        if self.answer_slipped:
            reasons.append(
                _("self-assessment %(then)s → %(now)s")
                % {
                    "then": self.answer_then_label or _("met at naming"),
                    "now": self.answer_now_label or "—",
                }
            )
        if self.rating_slipped:
            reasons.append(
                _("rating %(then)s → %(now)s")
                % {"then": self.rating_then_label or "—", "now": self.rating_now_label}
            )
        for row in self.indicators_fallen:
            reasons.append(
                _("%(code)s %(name)s below its threshold (%(rule)s): %(value)s")
                % {
                    "code": row.code,
                    "name": row.name,
                    "rule": row.rule,
                    "value": row.now.value if row.now.value is not None else "—",
                }
            )
        return _("%(code)s %(title)s: %(reasons)s") % {
            "code": self.code,
            "title": self.title,
            "reasons": "；".join(reasons),
        }


@dataclass
class Slippage:
    reinspection: Reinspection
    # False for a title entered from the paper register: no figures at naming.
    has_baseline: bool
    items: list[ItemSlip]

    @property
    def slipped(self) -> list[ItemSlip]:
        return [row for row in self.items if row.slipped]

    def requirements(self) -> list[str]:
        return [row.requirement() for row in self.slipped]


def _ratings(application: Application) -> dict[str, tuple[str, bool]]:
    """The evaluators' rating and veto check per item code (empty before scoring)."""
    return {
        code: (rating, veto_failed)
        for code, rating, veto_failed in ItemScore.objects.filter(
            sheet__application=application
        ).values_list("item__code", "rating", "veto_failed")
    }


def _rows_by_code(application: Application) -> dict[str, ItemRow]:
    return {row.item.code: row for row in completeness_of(application).items}


def _figure(row) -> Figure:
    return Figure(value=row.evaluation.value, status=row.evaluation.status)


def slippage_of(reinspection: Reinspection) -> Slippage:
    """The round beside the naming application, slipped items first (then in criteria order).

    An item slipped when: its self-assessment was met at naming and is not now; its rating
    was not "not met" at naming and is now; one of its indicators is below its threshold now
    and was not at naming; or it is a veto item that fails now (answered or rated as failed).
    Without a naming application every item counts as met at naming.
    """
    naming = reinspection.designation.application
    now_rows = completeness_of(reinspection.application).items
    now_ratings = _ratings(reinspection.application)
    then_rows = _rows_by_code(naming) if naming is not None else {}
    then_ratings = _ratings(naming) if naming is not None else {}

    items = []
    for row in now_rows:
        item = row.item
        then = then_rows.get(item.code)
        then_figures = {ind.indicator.code: _figure(ind) for ind in then.indicators} if then else {}
        rating_then, _veto_then = then_ratings.get(item.code, ("", False))
        rating_now, veto_now = now_ratings.get(item.code, ("", False))
        answer_then = then.answer if then else ""
        indicators = []
        for ind in row.indicators:
            before = then_figures.get(ind.indicator.code)
            now = _figure(ind)
            indicators.append(
                IndicatorSlip(
                    code=ind.indicator.code,
                    name=ind.indicator.name,
                    rule=ind.indicator.rule_text,
                    then=before,
                    now=now,
                    fell_below=now.status == EvaluationStatus.NOT_MET
                    and (before is None or before.status != EvaluationStatus.NOT_MET),
                )
            )
        items.append(
            ItemSlip(
                section=item.section.number,
                order=item.order,
                code=item.code,
                title=item.title,
                is_veto=item.is_veto,
                answer_then=answer_then,
                answer_now=row.answer,
                rating_then=rating_then,
                rating_now=rating_now,
                indicators=indicators,
                answer_slipped=bool(row.answer)
                and row.answer != Answer.MET
                and (answer_then == Answer.MET or then is None),
                rating_slipped=rating_now == Rating.NOT_MET and rating_then != Rating.NOT_MET,
                veto_fails=item.is_veto and (row.answer == Answer.NOT_MET or veto_now),
            )
        )
    items.sort(key=lambda slip: (not slip.slipped, slip.section, slip.order))
    return Slippage(reinspection=reinspection, has_baseline=naming is not None, items=items)
