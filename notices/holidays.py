"""The holiday calendar's seed: the schedules the ``chinese-calendar`` package knows.

Read once, when the calendar is seeded (the data migration and ``manage.py
holiday_calendar_seed``); counting working days reads only the database
(``designations.notices.working_day_add``), so a year the package does not know is entered by
the office from the State Council's notice, never guessed.
"""

import datetime
from collections import defaultdict

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
    from chinese_calendar.constants import holidays, workdays

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
