"""core.dates: a deadline day ends at the next midnight, Beijing time, exclusive."""

from datetime import UTC, date, datetime

import pytest
from django.conf import settings

from core.dates import add_years, day_end, day_start, days_left, is_on_time, is_past, local_day

DAY = date(2026, 7, 31)
# 23:59:59.999 and 00:00:00 in Beijing, as UTC instants (a server clock in UTC).
LAST_MOMENT = datetime(2026, 7, 31, 15, 59, 59, 999000, tzinfo=UTC)
NEXT_MIDNIGHT = datetime(2026, 7, 31, 16, 0, 0, tzinfo=UTC)


def test_the_day_ends_at_the_next_midnight_in_beijing():
    assert day_end(DAY) == NEXT_MIDNIGHT
    assert day_start(DAY) == datetime(2026, 7, 30, 16, 0, tzinfo=UTC)
    assert str(day_end(DAY).tzinfo) == settings.TIME_ZONE == "Asia/Shanghai"


@pytest.mark.parametrize(
    ("now", "on_time"),
    [
        (datetime(2026, 7, 30, 16, 0, tzinfo=UTC), True),  # 00:00:00 on the day
        (LAST_MOMENT, True),
        (NEXT_MIDNIGHT, False),
        (datetime(2026, 8, 1, 0, 0, tzinfo=UTC), False),  # still 31 July in London, not here
    ],
)
def test_on_time_until_the_end_of_the_day_exclusive(now, on_time):
    assert is_on_time(DAY, now) is on_time
    assert is_past(DAY, now) is not on_time


def test_the_local_day_and_the_days_left_are_beijing_days():
    assert local_day(LAST_MOMENT) == DAY
    assert local_day(NEXT_MIDNIGHT) == date(2026, 8, 1)
    assert days_left(DAY, date(2026, 7, 24)) == 7
    assert days_left(DAY, DAY) == 0
    assert days_left(DAY, date(2026, 8, 1)) == -1


@pytest.mark.parametrize(
    ("start", "years", "expected"),
    [
        (date(2024, 2, 29), 3, date(2027, 2, 28)),
        (date(2024, 2, 29), 4, date(2028, 2, 29)),
        (date(2026, 7, 31), 3, date(2029, 7, 31)),
        (date(2029, 7, 31), -3, date(2026, 7, 31)),
    ],
)
def test_years_are_counted_by_the_calendar(start, years, expected):
    assert add_years(start, years) == expected
