"""Verification codes for designations and publications: added empty, filled with a fresh
random code for every existing row, then made unique and required."""

from django.db import migrations, models

import designations.verification


def fill_codes(apps, schema_editor):
    from designations.verification import verification_code_new

    for name in ("Designation", "Publication"):
        model = apps.get_model("designations", name)
        taken = set(
            model.objects.exclude(verification_code=None).values_list(
                "verification_code", flat=True
            )
        )
        for row in model.objects.filter(verification_code=None).only("pk"):
            code = verification_code_new()
            while code in taken:
                code = verification_code_new()
            taken.add(code)
            model.objects.filter(pk=row.pk).update(verification_code=code)


class Migration(migrations.Migration):
    dependencies = [("designations", "0005_event_address")]

    operations = [
        migrations.AddField(
            model_name="designation",
            name="verification_code",
            field=models.CharField(max_length=12, null=True, editable=False),
        ),
        migrations.AddField(
            model_name="publication",
            name="verification_code",
            field=models.CharField(max_length=12, null=True, editable=False),
        ),
        migrations.RunPython(fill_codes, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="designation",
            name="verification_code",
            field=models.CharField(
                default=designations.verification.verification_code_new,
                editable=False,
                max_length=12,
                unique=True,
                verbose_name="verification code",
            ),
        ),
        migrations.AlterField(
            model_name="publication",
            name="verification_code",
            field=models.CharField(
                default=designations.verification.verification_code_new,
                editable=False,
                max_length=12,
                unique=True,
                verbose_name="verification code",
            ),
        ),
    ]
