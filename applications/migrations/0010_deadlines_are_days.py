"""The deadlines become days (core.dates): each instant stored before becomes its day in Beijing
time; back, a day becomes its last second (23:59:59), as the deadlines were stored before."""

import datetime

from django.db import migrations, models
from django.utils import timezone

FIELDS = {
    "cycle": ("city_deadline",),
    "countydeadline": ("deadline",),
    "application": ("report_deadline",),
}


def _day(instant):
    return None if instant is None else timezone.localtime(instant).date()


def _last_second(day):
    if day is None:
        return None
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59, 59)))


def _copy(apps, convert, source, target):
    for model, fields in FIELDS.items():
        Model = apps.get_model("applications", model)
        for field in fields:
            for pk, value in Model.objects.exclude(**{f"{field}{source}__isnull": True}).values_list(
                "pk", f"{field}{source}"
            ):
                Model.objects.filter(pk=pk).update(**{f"{field}{target}": convert(value)})


def forward(apps, schema_editor):
    _copy(apps, _day, "", "_day")


def backward(apps, schema_editor):
    _copy(apps, _last_second, "_day", "")


class Migration(migrations.Migration):
    dependencies = [("applications", "0009_event_actions_all")]

    operations = [
        migrations.AddField("cycle", "city_deadline_day", models.DateField(null=True)),
        migrations.AddField("countydeadline", "deadline_day", models.DateField(null=True)),
        migrations.AddField("application", "report_deadline_day", models.DateField(null=True)),
        migrations.AlterField(
            "cycle", "city_deadline", models.DateTimeField(null=True)
        ),
        migrations.AlterField("countydeadline", "deadline", models.DateTimeField(null=True)),
        migrations.RunPython(forward, backward),
        migrations.RemoveField("cycle", "city_deadline"),
        migrations.RemoveField("countydeadline", "deadline"),
        migrations.RemoveField("application", "report_deadline"),
        migrations.RenameField("cycle", "city_deadline_day", "city_deadline"),
        migrations.RenameField("countydeadline", "deadline_day", "deadline"),
        migrations.RenameField("application", "report_deadline_day", "report_deadline"),
        migrations.AlterField(
            "cycle",
            "city_deadline",
            models.DateField(verbose_name="deadline for cities to forward"),
        ),
        migrations.AlterField(
            "countydeadline",
            "deadline",
            models.DateField(verbose_name="deadline for counties to submit"),
        ),
        migrations.AlterField(
            "application",
            "report_deadline",
            models.DateField(blank=True, null=True, verbose_name="report deadline"),
        ),
    ]
