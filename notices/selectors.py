"""The public notice's reads: where a window stands, where each approved bureau stands on the
way to its naming (``naming_stage``, the one rule), the office's counts and lists, the public's
windows and the look-up of an objection's result.

The windows, their objections and the holiday calendar are the campaign office's: its views
check ``can_view_notices`` before calling these. The public reads only ``notices_public`` (no
objection, no objector) and, by its reference, an objection's handling result.
"""

import datetime

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.utils import timezone

from applications.enums import Action, ApplicationState
from applications.models import Application, ApplicationEvent, Cycle
from core.dates import day_start, is_on_time, is_past

from .models import DayKind, HolidayCalendarYear, Objection, ObjectionOutcome, PublicNotice

# The window ----------------------------------------------------------------------------------


def window_start(notice: PublicNotice) -> datetime.datetime:
    """The first moment objections are taken: midnight, Beijing time, of the first day."""
    return day_start(notice.starts_on)


def notice_is_open(notice: PublicNotice, now: datetime.datetime | None = None) -> bool:
    """Objections are taken from the first day to the end of the closing day, Beijing time."""
    now = now or timezone.now()
    return window_start(notice) <= now and is_on_time(notice.closes_on, now)


def notice_is_closed(notice: PublicNotice, now: datetime.datetime | None = None) -> bool:
    return is_past(notice.closes_on, now)


# The naming rule -----------------------------------------------------------------------------


class NamingStage:
    """Where an approved bureau stands on the way to its naming (``naming_stage``)."""

    TO_NOTICE = "to_notice"  # not on notice since the committee's latest approval
    ON_NOTICE = "on_notice"  # its window has not closed
    OBJECTION = "objection"  # an objection about it waits
    READY = "ready"  # its window has closed with every objection handled


NAMING_FACTS = ("window_opened_at", "window_before_approval", "window_closes_on",
                "objection_waiting")  # fmt: skip


def with_naming_facts(applications: QuerySet) -> QuerySet:
    """``applications`` with what ``naming_stage`` reads (``NAMING_FACTS``), in the same query:
    their latest window (``with_window_latest``) and whether an objection waits."""
    waiting = Objection.objects.filter(application=OuterRef("pk"), outcome=ObjectionOutcome.WAITING)
    return with_window_latest(applications).annotate(objection_waiting=Exists(waiting))


def naming_stage(
    opened_at, before_approval, closes_on, objection_waiting, now: datetime.datetime
) -> str:
    """The one rule of the public notice before naming, from ``NAMING_FACTS``: a bureau is
    named after a window opened since the committee's latest approval has closed and every
    objection about it is handled."""
    if opened_at is None or before_approval:
        return NamingStage.TO_NOTICE
    if is_on_time(closes_on, now):
        return NamingStage.ON_NOTICE
    if objection_waiting:
        return NamingStage.OBJECTION
    return NamingStage.READY


def with_window_latest(applications: QuerySet) -> QuerySet:
    """``applications`` with their latest public notice's first and last day as
    ``window_starts_on`` and ``window_closes_on`` (None when never on notice), and
    ``window_before_approval`` (that window was opened before the Party committee's latest
    approval, so the bureau goes on notice again), in the same query: the designate page
    shows where each bureau stands."""
    latest = PublicNotice.objects.filter(applications=OuterRef("pk")).order_by("-closes_on", "-id")
    approved = ApplicationEvent.objects.filter(
        application=OuterRef("pk"), action=Action.DECIDE_APPROVE
    ).order_by("-created_at", "-id")
    return applications.annotate(
        window_starts_on=Subquery(latest.values("starts_on")[:1]),
        window_closes_on=Subquery(latest.values("closes_on")[:1]),
        window_opened_at=Subquery(latest.values("opened_at")[:1]),
        approved_at=Subquery(approved.values("created_at")[:1]),
    ).annotate(
        window_before_approval=ExpressionWrapper(
            Q(window_opened_at__lt=F("approved_at")), output_field=BooleanField()
        )
    )


def naming_counts(now: datetime.datetime | None = None) -> dict[str, int]:
    """The office's to-do of approved bureaus not yet named (one query, ``naming_stage``):
    ``to_notice``, not on a public notice since the Party committee's latest approval;
    ``to_name``, ready to be named. A bureau on notice now, or with an objection waiting, is in
    neither. The approved bureaus not yet named are a handful (the quota): counted as read."""
    now = now or timezone.now()
    rows = with_naming_facts(
        Application.objects.filter(state=ApplicationState.APPROVED)
    ).values_list(*NAMING_FACTS)
    stages = [
        naming_stage(opened_at, before_approval, closes_on, waiting, now)
        for opened_at, before_approval, closes_on, waiting in rows
    ]
    return {
        "to_notice": stages.count(NamingStage.TO_NOTICE),
        "to_name": stages.count(NamingStage.READY),
    }


def objections_waiting_count() -> int:
    """The office's to-do: objections not yet handled, in every window (one query)."""
    return Objection.objects.filter(outcome=ObjectionOutcome.WAITING).count()


def notices_public():
    """The windows for the public page: open ones first, then past ones, with their bureaus
    (no objection, no objector: objections are never public)."""
    today = timezone.localdate()
    return (
        PublicNotice.objects.filter(starts_on__lte=today)
        .select_related("cycle")
        .prefetch_related("applications__county__parent")
        .order_by("-closes_on", "-id")
    )


def notice_objections(notice: PublicNotice):
    """The office's list of a window's objections."""
    return notice.objections.select_related("application__county", "handled_by").order_by(
        "submitted_at", "id"
    )


def applications_for_notice(cycle: Cycle | None = None):
    """Approved applications not in a window that is still open or to come."""
    today = timezone.localdate()
    qs = Application.objects.filter(state=ApplicationState.APPROVED).exclude(
        Q(public_notices__closes_on__gte=today)
    )
    if cycle is not None:
        qs = qs.filter(cycle=cycle)
    return qs.select_related("county__parent", "cycle").order_by("county__code")


def notices_for_office() -> QuerySet[PublicNotice]:
    """Every window with its bureaus and its counts of objections, all and waiting (the
    office's list; one query and a prefetch whatever the number of windows)."""
    return (
        PublicNotice.objects.select_related("cycle")
        .prefetch_related("applications__county")
        .annotate(
            objection_count=Count("objections", distinct=True),
            waiting_count=Count(
                "objections",
                filter=Q(objections__outcome=ObjectionOutcome.WAITING),
                distinct=True,
            ),
        )
        .order_by("-starts_on", "-id")
    )


def calendar_years() -> QuerySet[HolidayCalendarYear]:
    """The years the holiday calendar has, latest first, with their counts of holidays and of
    make-up working days."""
    return HolidayCalendarYear.objects.annotate(
        holidays=Count("days", filter=Q(days__kind=DayKind.HOLIDAY)),
        workdays=Count("days", filter=Q(days__kind=DayKind.WORKDAY)),
    ).order_by("-year")


# Objections ----------------------------------------------------------------------------------


def reference_normalize(value: str) -> str:
    """What the objector typed, as stored: upper case, grouped by four."""
    raw = "".join(c for c in value.upper() if c.isalnum())
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def objection_lookup(reference: str) -> Objection | None:
    """The objection with this reference, for its handling result only."""
    normalized = reference_normalize(reference)
    if not normalized:
        return None
    return (
        Objection.objects.filter(reference=normalized)
        .select_related("application__county", "notice")
        .first()
    )
