"""The holiday calendar seeded with the years the chinese-calendar package knows (2004–2026
in 1.11.0). Later years are entered by the office from the State Council's notice."""

from django.db import migrations


def seed(apps, schema_editor):
    from notices.holidays import calendar_seed

    calendar_seed(apps.get_model("designations", "HolidayCalendarYear"), apps.get_model("designations", "CalendarDay"))


def unseed(apps, schema_editor):
    year = apps.get_model("designations", "HolidayCalendarYear")
    year.objects.filter(source="package").delete()


class Migration(migrations.Migration):
    dependencies = [("designations", "0009_public_notice")]

    operations = [migrations.RunPython(seed, unseed)]
