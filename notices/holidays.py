"""The holiday calendar: counting working days by it, and its seed.

Counting working days (``working_day_add``) reads only the database: a year the calendar does
not have raises ``CalendarMissing``, so a year the package does not know is entered by the
office from the State Council's notice, never guessed. The ``chinese-calendar`` package is
read once, when the calendar is seeded (the data migration and ``manage.py
holiday_calendar_seed``).
"""

import datetime
from collections import defaultdict

from chinese_calendar.constants import holidays, workdays
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import CalendarDay, DayKind, HolidayCalendarYear

# (date, kind, name): kind is "holiday" (a day off) or "workday" (a weekend day worked, 调休).
Schedule = dict[int, list[tuple[datetime.date, str, str]]]

# The package's English names, as the office would write them.
HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


def package_schedule() -> Schedule:
    """Every year the installed ``chinese-calendar`` knows, by year."""
    schedule: Schedule = defaultdict(list)
    for kind, days in (("holiday", holidays), ("workday", workdays)):
        for day, name in days.items():
            schedule[day.year].append((day, kind, HOLIDAY_NAMES.get(str(name), str(name))))
    return {year: sorted(days) for year, days in sorted(schedule.items())}


def calendar_seed(year_model, day_model) -> int:
    """Store the package's years that are not in the calendar yet (a year the office entered
    stays as entered). Takes the models so the data migration can pass its historical ones.
    Returns the years added."""
    added = 0
    for year, days in package_schedule().items():
        if year_model.objects.filter(year=year).exists():
            continue
        calendar = year_model.objects.create(year=year, source="package")
        day_model.objects.bulk_create(
            day_model(calendar=calendar, date=day, kind=kind, name=name[:40])
            for day, kind, name in days
        )
        added += 1
    return added


class CalendarMissing(ValidationError):
    """A day falls in a year the holiday calendar does not have."""

    def __init__(self, year: int) -> None:
        self.year = year
        super().__init__(
            _(
                "The holiday calendar has no schedule for %(year)s: enter that year's "
                "holidays and make-up working days from the State Council's notice first "
                "(Holiday calendar page)."
            )
            % {"year": year}
        )


def _calendar_of(years: set[int]) -> dict[datetime.date, str]:
    known = set(HolidayCalendarYear.objects.filter(year__in=years).values_list("year", flat=True))
    missing = sorted(years - known)
    if missing:
        raise CalendarMissing(missing[0])
    return dict(CalendarDay.objects.filter(date__year__in=years).values_list("date", "kind"))


def is_working_day(day: datetime.date, kinds: dict[datetime.date, str]) -> bool:
    kind = kinds.get(day)
    if kind == DayKind.WORKDAY:
        return True
    if kind == DayKind.HOLIDAY:
        return False
    return day.weekday() < 5


def working_day_add(start: datetime.date, n: int) -> datetime.date:
    """The ``n``-th working day counted from ``start`` (``start`` itself is the first when it
    is a working day). Statutory holidays are days off, make-up Saturdays and Sundays (调休)
    are working days, by the calendar in the database. Raises ``CalendarMissing`` as soon as
    the count reaches a year the calendar does not have: never guessed."""
    if n < 1:
        raise ValueError("n must be at least 1")
    years = {start.year}
    kinds = _calendar_of(years)
    day, counted = start, 0
    while True:
        if day.year not in years:
            years.add(day.year)
            kinds.update(_calendar_of({day.year}))
        if is_working_day(day, kinds):
            counted += 1
            if counted == n:
                return day
        day += datetime.timedelta(days=1)
