"""The demo's holiday calendars: whatever day the demo is loaded, its windows can be counted."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from notices.holidays import working_day_add
from notices.models import HolidayCalendarYear
from portal.demo import demo_calendars_ensure, demo_users_load

pytestmark = pytest.mark.django_db


def test_a_demo_loaded_late_in_2028_enters_the_years_its_windows_reach():
    demo_users_load()
    late = datetime.datetime(2028, 12, 28, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
    with time_machine.travel(late, tick=False):
        assert demo_calendars_ensure() == 3
        assert demo_calendars_ensure() == 0
        # Five working days from 28 Dec 2028 end in 2029, past the 元旦 holiday.
        assert working_day_add(datetime.date(2028, 12, 28), 5) == datetime.date(2029, 1, 4)
    years = HolidayCalendarYear.objects.filter(year__gte=2027).order_by("year")
    assert [(y.year, y.is_demo) for y in years] == [(2027, True), (2028, True), (2029, True)]
    assert years[0].days.count() == 34  # the 2027 schedule in full
    assert {d.name for d in years[2].days.all()} == {"元旦", "劳动节", "国庆节"}


def test_the_package_years_are_left_as_they_are():
    demo_users_load()
    before = HolidayCalendarYear.objects.get(year=2026)
    demo_calendars_ensure()
    after = HolidayCalendarYear.objects.get(year=2026)
    assert (after.source, after.is_demo, after.days.count()) == (
        before.source,
        False,
        before.days.count(),
    )
