# The re-inspection rounds and the rectifications moved to the reinspections app, whose
# migration 0001 takes the models over with their tables and rows: here they leave
# designations' state only; the database is not touched.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('designations', '0011_public_notice_to_notices'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='RectificationFile'),
                migrations.DeleteModel(name='RectificationRequirement'),
                migrations.DeleteModel(name='Rectification'),
                migrations.DeleteModel(name='Reinspection'),
            ],
            database_operations=[],
        ),
    ]
