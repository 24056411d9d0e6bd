# The public notice (公示) and the holiday calendar moved to the notices app, whose migration
# 0001 takes the models over with their tables and rows: here they leave designations' state
# only; the database is not touched.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('designations', '0010_holiday_calendar_seed'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='NoticeEvent'),
                migrations.DeleteModel(name='Objection'),
                migrations.DeleteModel(name='PublicNotice'),
                migrations.DeleteModel(name='CalendarDay'),
                migrations.DeleteModel(name='HolidayCalendarYear'),
            ],
            database_operations=[],
        ),
    ]
