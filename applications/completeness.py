"""What an application has and lacks: items answered, indicators checked, evidence per item.

``completeness_of`` reads everything in a fixed number of queries; the completeness page, the
submission guard and the section pages all use it.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch
from django.utils.translation import gettext as _

from standards.enums import EvaluationStatus
from standards.evaluation import Evaluation, indicator_evaluate, indicators_met
from standards.models import Indicator, Item, Section

from .enums import Answer
from .models import FORM_FIELDS, Application, IndicatorFigure, SelfAssessment


@dataclass
class IndicatorRow:
    indicator: Indicator
    figure: IndicatorFigure | None
    evaluation: Evaluation


@dataclass
class ItemRow:
    item: Item
    assessment: SelfAssessment | None
    evidence_count: int
    indicators: list[IndicatorRow]

    @property
    def answer(self) -> str:
        return self.assessment.answer if self.assessment else ""

    @property
    def indicators_met(self) -> bool:
        return indicators_met((row.indicator, row.evaluation) for row in self.indicators)

    @property
    def below_standard(self) -> bool:
        """The county's own figures fail the item's standard (a figure reported and below its
        threshold, not a figure missing or awaited)."""
        return not self.indicators_met and any(
            row.evaluation.status == EvaluationStatus.NOT_MET for row in self.indicators
        )

    @property
    def contradicted(self) -> bool:
        """The county assessed the item as met beside figures below its standard."""
        return self.answer == Answer.MET and self.below_standard


@dataclass
class SectionRows:
    section: Section
    items: list[ItemRow]

    @property
    def answered(self) -> int:
        return sum(1 for row in self.items if row.answer)


@dataclass
class Completeness:
    sections: list[SectionRows]
    form_missing: list[str] = field(default_factory=list)
    blocking: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def items(self) -> list[ItemRow]:
        return [row for section in self.sections for row in section.items]

    @property
    def item_count(self) -> int:
        return len(self.items)

    @property
    def answered_count(self) -> int:
        return sum(1 for row in self.items if row.answer)

    @property
    def indicator_rows(self) -> list[IndicatorRow]:
        return [ind for row in self.items for ind in row.indicators]

    @property
    def indicators_met_count(self) -> int:
        return sum(1 for row in self.indicator_rows if row.evaluation.is_met)

    @property
    def items_with_evidence(self) -> int:
        return sum(1 for row in self.items if row.evidence_count)

    @property
    def can_submit(self) -> bool:
        return not self.blocking


def completeness_of(application: Application, *, section_number: int | None = None) -> Completeness:
    """The application's state of completion; ``section_number`` limits the rows to a section.

    Blocking (submission refused): bureau facts missing, items unanswered, partly met or not
    met answers without explanation, indicator figures missing or invalid.
    Warnings (the county head acknowledges them): unmet indicators, veto items answered
    "not met", items without evidence.
    """
    cycle = application.cycle
    sections = cycle.criteria_version.sections.order_by("number").prefetch_related(
        Prefetch(
            "items",
            queryset=Item.objects.order_by("order").prefetch_related(
                Prefetch("indicators", queryset=Indicator.objects.order_by("order"))
            ),
        )
    )
    assessments = {a.item_id: a for a in application.assessments.all()}
    figures = {f.indicator_id: f for f in application.figures.all()}
    evidence_counts = dict(
        application.evidence.filter(removed_at__isnull=True, item__isnull=False)
        .values("item")
        .annotate(n=Count("pk"))
        .values_list("item", "n")
    )
    parameters = cycle.parameters or {}

    report = Completeness(sections=[])
    unanswered, unexplained, missing, invalid, unmet, vetoes, no_evidence = ([] for _ in range(7))
    for section in sections:
        rows = []
        for item in section.items.all():
            indicator_rows = []
            for indicator in item.indicators.all():
                figure = figures.get(indicator.pk)
                evaluation = indicator_evaluate(
                    indicator,
                    numerator=figure.numerator if figure else None,
                    denominator=figure.denominator if figure else None,
                    value=figure.value if figure else None,
                    parameters=parameters,
                )
                indicator_rows.append(IndicatorRow(indicator, figure, evaluation))
                if evaluation.status == EvaluationStatus.MISSING:
                    missing.append(indicator.code)
                elif evaluation.status == EvaluationStatus.INVALID:
                    invalid.append(indicator.code)
                elif evaluation.status == EvaluationStatus.NOT_MET:
                    unmet.append(f"{indicator.code} {indicator.name}")
            row = ItemRow(
                item, assessments.get(item.pk), evidence_counts.get(item.pk, 0), indicator_rows
            )
            if not row.answer:
                unanswered.append(item.code)
            elif row.answer != Answer.MET and not row.assessment.explanation.strip():
                unexplained.append(item.code)
            if item.is_veto and row.answer == Answer.NOT_MET:
                vetoes.append(f"{item.code} {item.title}")
            if not row.evidence_count:
                no_evidence.append(item.code)
            rows.append(row)
        if section_number is None or section.number == section_number:
            report.sections.append(SectionRows(section, rows))

    labels = {f.name: f.verbose_name for f in Application._meta.fields}
    report.form_missing = [
        str(labels[name]) for name in FORM_FIELDS if getattr(application, name) in (None, "")
    ]
    if report.form_missing:
        report.blocking.append(
            _("Application form fields not filled in: %(fields)s")
            % {"fields": "、".join(report.form_missing)}
        )
    if unanswered:
        report.blocking.append(
            _("Items without a self-assessment: %(codes)s") % {"codes": "、".join(unanswered)}
        )
    if unexplained:
        report.blocking.append(
            _("Items answered partly met or not met need an explanation: %(codes)s")
            % {"codes": "、".join(unexplained)}
        )
    if missing:
        report.blocking.append(
            _("Indicators not reported: %(codes)s") % {"codes": "、".join(missing)}
        )
    if invalid:
        report.blocking.append(
            _("Indicators with invalid figures: %(codes)s") % {"codes": "、".join(invalid)}
        )
    if unmet:
        report.warnings.append(_("Indicators not met: %(list)s") % {"list": "、".join(unmet)})
    if vetoes:
        report.warnings.append(
            _("Veto items answered “not met”: %(list)s") % {"list": "、".join(vetoes)}
        )
    if no_evidence:
        report.warnings.append(
            _("Items without evidence: %(codes)s") % {"codes": "、".join(no_evidence)}
        )
    return report
