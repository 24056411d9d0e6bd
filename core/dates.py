"""Days and deadlines, in Beijing time: the one place that decides when a day ends.

A deadline is a day (a ``date``): the county, the city and the office work until the end of
it, Beijing time, wherever the server runs. The day ends at the next midnight, exclusive: an
act at 23:59:59.999 on the deadline day is on time, one at 00:00:00 the next day is late. The
July deadline, a city's deadline for its counties, forwarding and its extensions, the
re-inspection report, rectification and the objection window all ask ``is_on_time``.
"""

import calendar
from datetime import date, datetime, time, timedelta, tzinfo

from django.utils import timezone


def beijing() -> tzinfo:
    """The portal's time zone (``TIME_ZONE``, Asia/Shanghai)."""
    return timezone.get_default_timezone()


def local_day(instant: datetime | None = None) -> date:
    """The day in Beijing of ``instant`` (now when it is not given)."""
    return timezone.localdate(instant or timezone.now(), beijing())


def day_start(day: date) -> datetime:
    """The first instant of ``day`` in Beijing."""
    return datetime.combine(day, time.min, tzinfo=beijing())


def day_end(day: date) -> datetime:
    """The first instant after ``day`` in Beijing: the day's end, exclusive."""
    return day_start(day + timedelta(days=1))


def is_on_time(deadline: date, now: datetime | None = None) -> bool:
    """Whether ``now`` falls on or before the deadline day."""
    return (now or timezone.now()) < day_end(deadline)


def is_past(deadline: date, now: datetime | None = None) -> bool:
    """Whether the deadline day is over."""
    return not is_on_time(deadline, now)


def days_left(deadline: date, today: date | None = None) -> int:
    """Whole days from ``today`` to the deadline day (0 on the day, negative after it)."""
    return (deadline - (today or local_day())).days


def add_years(day: date, years: int) -> date:
    """The same day ``years`` later, by the calendar (Civil Code art. 202): where that month
    has no such day, the last day of the month ends the period (29 Feb 2024 → 28 Feb 2027)."""
    year = day.year + years
    last = calendar.monthrange(year, day.month)[1]
    return day.replace(year=year, day=min(day.day, last))
