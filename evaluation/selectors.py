"""Reads of the province's evaluation: the sheets an evaluator may score, an application's
written result and the cycle's ranking, and the to-do counts of the office and each
evaluator, each in a fixed number of queries."""

from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, F, Prefetch, Q, QuerySet, Sum
from guardian.shortcuts import get_objects_for_user

from applications.enums import ApplicationKind, ApplicationState
from applications.models import Application, Cycle
from organizations.models import User
from standards.models import Item

from .decisions import with_decision_in_force
from .models import InspectionMember, ScoreSheet
from .pass_rule import WrittenResult, judged, rating_factors, sheet_points
from .permissions import SCORE_PERMISSION


def written_review_counts(*, cycle: Cycle | None) -> dict[str, int]:
    """Of ``cycle``'s applications in the written review: ``unassigned``, the sections (of the
    criteria version's) with no evaluator assigned, a sheet not prepared yet counting too;
    ``to_confirm``, the applications whose every section is signed (the office confirms the
    result). Three queries."""
    if cycle is None:
        return {"unassigned": 0, "to_confirm": 0}
    sections = cycle.criteria_version.sections.count()
    in_review = Application.objects.filter(cycle=cycle, state=ApplicationState.FORWARDED)
    rows = in_review.annotate(
        signed=Count("score_sheets", filter=Q(score_sheets__signed_at__isnull=False))
    ).aggregate(
        applications=Count("pk"),
        to_confirm=Count("pk", filter=Q(signed__gte=sections)),
    )
    assigned = (
        ScoreSheet.objects.filter(application__in=in_review, assignments__isnull=False)
        .distinct()
        .count()
    )
    return {
        "unassigned": rows["applications"] * sections - assigned,
        "to_confirm": rows["to_confirm"],
    }


def visits_to_schedule_count(*, cycle: Cycle | None) -> int:
    """Applications that passed the written review and have no visit scheduled yet."""
    if cycle is None:
        return 0
    return Application.objects.filter(
        cycle=cycle, state=ApplicationState.WRITTEN_PASSED, inspection__isnull=True
    ).count()


def evaluator_counts(*, user: User, today: date) -> dict[str, int]:
    """The evaluator's sheets in the written review left ``to_score`` (an item unrated) and
    ``to_sign`` (every item rated, not signed), and ``visits`` this week (Monday to Sunday)
    on teams they are on, not recorded yet. Two queries (and guardian's own)."""
    sheets = (
        sheets_for(user=user)
        .filter(signed_at__isnull=True, application__state=ApplicationState.FORWARDED)
        .annotate(
            rated=Count("scores", filter=~Q(scores__rating=""), distinct=True),
            items=Count("section__items", distinct=True),
        )
        .values_list("rated", "items")
    )
    to_score = to_sign = 0
    for rated, items in sheets:
        if rated < items:
            to_score += 1
        else:
            to_sign += 1
    monday = today - timedelta(days=today.weekday())
    visits = InspectionMember.objects.filter(
        evaluator=user,
        visit_date__range=(monday, monday + timedelta(days=6)),
        inspection__result="",
    ).count()
    return {"to_score": to_score, "to_sign": to_sign, "visits": visits}


def sheets_for(*, user: User) -> QuerySet[ScoreSheet]:
    """The sheets ``user`` may score: object permissions only, never a global permission."""
    return get_objects_for_user(
        user, SCORE_PERMISSION, klass=ScoreSheet, accept_global_perms=False
    ).select_related("application__county__parent", "application__cycle", "section")


def written_result(application: Application, *, sheets=None) -> WrittenResult:
    """The written review's result by the criteria version's pass rule, summed afresh from the
    item scores (the ranking reads the totals ``sheet_save`` keeps instead).

    Pass = total ≥ pass mark, every section ≥ its minimum, and no veto item failed (a veto
    item rated "not met" or checked as failed fails the application whatever the total).
    """
    version = application.cycle.criteria_version
    factor = rating_factors(version)
    if sheets is None:
        sheets = list(
            application.score_sheets.select_related("section").prefetch_related("scores__item")
        )
    rows = []
    for sheet in sheets:
        points, vetoes = sheet_points(sheet.scores.all(), factor)
        maximum = sum((i.points for i in sheet.section.items.all()), Decimal(0))
        rows.append((sheet, points, maximum, vetoes))
    return judged(application, version, rows)


def ranking(*, cycle: Cycle) -> list[WrittenResult]:
    """The cycle's applications in the written review or later, best total first.

    Read from the totals ``sheet_save`` keeps (no item score is loaded): three queries
    whatever the number of applications. Each application comes with its inspection and the
    committee's decision in force (``decisions.with_decision_in_force``), so the 汇总表 reads
    them without a query per row."""
    version = cycle.criteria_version
    maxima = dict(
        Item.objects.filter(section__version=version)
        .values("section_id")
        .annotate(maximum=Sum("points"))
        .order_by()
        .values_list("section_id", "maximum")
    )
    applications = (
        with_decision_in_force(
            Application.objects.filter(
                kind=ApplicationKind.APPLICATION,
                pk__in=ScoreSheet.objects.filter(application__cycle=cycle).values("application_id"),
            )
        )
        .select_related("county__parent", "cycle__criteria_version", "inspection", "written_total")
        .prefetch_related(
            Prefetch("score_sheets", queryset=ScoreSheet.objects.select_related("section"))
        )
        .order_by(F("written_total__points").desc(nulls_last=True), "county__code")
    )
    return [
        judged(
            application,
            version,
            [
                (s, s.points, maxima.get(s.section_id, Decimal(0)), s.vetoes_failed)
                for s in application.score_sheets.all()
            ],
        )
        for application in applications
    ]
