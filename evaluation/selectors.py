"""Reads of the province's evaluation for the to-do lists: what the office and each evaluator
have left, each in a fixed number of queries."""

from datetime import date, timedelta

from django.db.models import Count, Q

from applications.enums import ApplicationState
from applications.models import Application, Cycle
from organizations.models import User

from .models import InspectionMember, ScoreSheet
from .written_review import sheets_for


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
