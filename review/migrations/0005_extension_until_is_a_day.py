"""An extension's end becomes a day (core.dates): the instant stored before becomes its day in
Beijing time; back, a day becomes its last second (23:59:59)."""

import datetime

from django.db import migrations, models
from django.utils import timezone


def forward(apps, schema_editor):
    DeadlineExtension = apps.get_model("review", "DeadlineExtension")
    for pk, until in DeadlineExtension.objects.values_list("pk", "until"):
        DeadlineExtension.objects.filter(pk=pk).update(until_day=timezone.localtime(until).date())


def backward(apps, schema_editor):
    DeadlineExtension = apps.get_model("review", "DeadlineExtension")
    for pk, day in DeadlineExtension.objects.values_list("pk", "until_day"):
        last_second = datetime.datetime.combine(day, datetime.time(23, 59, 59))
        DeadlineExtension.objects.filter(pk=pk).update(until=timezone.make_aware(last_second))


class Migration(migrations.Migration):
    dependencies = [("review", "0004_files_checked")]

    operations = [
        migrations.AddField("deadlineextension", "until_day", models.DateField(null=True)),
        migrations.AlterField("deadlineextension", "until", models.DateTimeField(null=True)),
        migrations.RunPython(forward, backward),
        migrations.RemoveField("deadlineextension", "until"),
        migrations.RenameField("deadlineextension", "until_day", "until"),
        migrations.AlterField(
            "deadlineextension",
            "until",
            models.DateField(verbose_name="forwarding allowed until"),
        ),
    ]
