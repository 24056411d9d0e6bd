"""Reads of the city's review, scoped by the user."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Prefetch, Q, QuerySet

from applications.models import Application, Cycle, IndicatorFigure
from applications.selectors import applications_visible_to
from core.dates import local_day
from organizations.enums import Role
from organizations.models import Bureau, User
from organizations.selectors import memberships_of
from standards.enums import EvaluationStatus
from standards.evaluation import indicator_evaluate
from standards.models import Indicator

from .models import DeadlineExtension, ForwardingBatch, PartyMeeting


def forwarding_deadline_for(
    *, cycle: Cycle, city: Bureau, now: datetime
) -> tuple[date, DeadlineExtension | None]:
    """The day until which ``city`` may forward: the cycle's deadline, or a later extension
    that has not run out at ``now``."""
    extension = (
        DeadlineExtension.objects.filter(cycle=cycle, city=city, until__gte=local_day(now))
        .order_by("-until")
        .first()
    )
    if extension and extension.until > cycle.city_deadline:
        return extension.until, extension
    return cycle.city_deadline, None


def cities_of(user: User, *roles: str) -> list[Bureau]:
    """The city bureaus where ``user`` holds one of ``roles`` (any city role by default)."""
    roles = roles or (Role.CITY_REVIEWER, Role.CITY_HEAD)
    return [m.bureau for m in memberships_of(user) if m.role in roles and m.bureau is not None]


def meetings_visible_to(*, user: User) -> QuerySet[PartyMeeting]:
    """City roles see their city's meetings; the campaign office sees all; others none."""
    qs = PartyMeeting.objects.select_related("city", "cycle", "recorded_by")
    if any(m.role == Role.CAMPAIGN_OFFICE for m in memberships_of(user)):
        return qs
    return qs.filter(city__in=cities_of(user))


def batches_visible_to(*, user: User) -> QuerySet[ForwardingBatch]:
    qs = ForwardingBatch.objects.select_related("city", "cycle", "forwarded_by")
    if any(m.role == Role.CAMPAIGN_OFFICE for m in memberships_of(user)):
        return qs
    return qs.filter(city__in=cities_of(user))


def batches_without_scan_count(*, city: Bureau, cycle: Cycle | None) -> int:
    """The city's forwarding batches of ``cycle`` whose stamped cover letter is not uploaded."""
    if cycle is None:
        return 0
    return ForwardingBatch.objects.filter(city=city, cycle=cycle, scans__isnull=True).count()


@dataclass
class DashboardRow:
    application: Application
    answered: int
    files: int
    unmet: int
    invalid: int


def city_applications(*, user: User, city: Bureau, cycle: Cycle) -> QuerySet[Application]:
    """``city``'s applications of ``cycle`` that ``user`` may see, by county code, each with
    its count of answered self-assessments (``answered``), live evidence files (``files``)
    and its indicator figures prefetched, as the city's dashboard lists them."""
    return (
        applications_visible_to(user=user)
        .filter(cycle=cycle, county__parent=city)
        .annotate(
            answered=Count("assessments", filter=~Q(assessments__answer=""), distinct=True),
            files=Count("evidence", filter=Q(evidence__removed_at__isnull=True), distinct=True),
        )
        .prefetch_related(
            Prefetch(
                "figures",
                queryset=IndicatorFigure.objects.only(
                    "application_id", "indicator_id", "numerator", "denominator", "value"
                ),
            )
        )
        .order_by("county__code")
    )


def dashboard_rows(applications: Iterable[Application], *, cycle: Cycle) -> list[DashboardRow]:
    """One row per application of :func:`city_applications`: its counts and how many of the
    cycle's indicators its figures leave unmet or invalid (one query for the indicators)."""
    indicators = list(Indicator.objects.filter(item__section__version=cycle.criteria_version_id))
    rows = []
    for application in applications:
        figures = {f.indicator_id: f for f in application.figures.all()}
        statuses = [
            indicator_evaluate(
                indicator,
                numerator=getattr(figures.get(indicator.pk), "numerator", None),
                denominator=getattr(figures.get(indicator.pk), "denominator", None),
                value=getattr(figures.get(indicator.pk), "value", None),
                parameters=cycle.parameters,
            ).status
            for indicator in indicators
        ]
        rows.append(
            DashboardRow(
                application,
                application.answered,  # type: ignore[attr-defined]
                application.files,  # type: ignore[attr-defined]
                statuses.count(EvaluationStatus.NOT_MET),
                statuses.count(EvaluationStatus.INVALID),
            )
        )
    return rows
