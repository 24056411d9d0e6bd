"""Reads of the city's review, scoped by the user."""

from datetime import datetime

from django.db.models import QuerySet

from applications.models import Cycle
from organizations.enums import Role
from organizations.models import Bureau, User
from organizations.selectors import memberships_of

from .models import DeadlineExtension, ForwardingBatch, PartyMeeting


def forwarding_deadline_for(
    *, cycle: Cycle, city: Bureau, now: datetime
) -> tuple[datetime, DeadlineExtension | None]:
    """The moment until which ``city`` may forward: the cycle's deadline, or a later extension."""
    extension = (
        DeadlineExtension.objects.filter(cycle=cycle, city=city, until__gte=now)
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
