from django.core.management.base import BaseCommand

from notices.holidays import calendar_seed
from notices.models import CalendarDay, HolidayCalendarYear


class Command(BaseCommand):
    help = (
        "Add the years the installed chinese-calendar package knows to the holiday calendar "
        "(years already there, such as those the office entered, are kept as they are)."
    )

    def handle(self, *args, **options) -> None:
        added = calendar_seed(HolidayCalendarYear, CalendarDay)
        self.stdout.write(f"{added} year(s) added to the holiday calendar.")
