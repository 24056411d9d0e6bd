# The public notice (公示), its objections and the holiday calendar, moved here from
# designations with their rows: the models are taken over on their tables as they are
# (designations 0011 let them go from its state), then the tables take this app's names and the
# content types (and with them the permissions) move to this app. Backwards, the tables get
# their old names again and the content types go back to designations.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MOVED = ('holidaycalendaryear', 'calendarday', 'publicnotice', 'objection', 'noticeevent')


def content_types_to_notices(apps, schema_editor):
    ContentType = apps.get_model('contenttypes', 'ContentType')
    for model in MOVED:
        old = ContentType.objects.filter(app_label='designations', model=model).first()
        if old is None:
            continue
        # A content type created for the new label before this ran holds nothing yet.
        ContentType.objects.filter(app_label='notices', model=model).delete()
        old.app_label = 'notices'
        old.save(update_fields=['app_label'])


def content_types_to_designations(apps, schema_editor):
    ContentType = apps.get_model('contenttypes', 'ContentType')
    for model in MOVED:
        new = ContentType.objects.filter(app_label='notices', model=model).first()
        if new is None:
            continue
        ContentType.objects.filter(app_label='designations', model=model).delete()
        new.app_label = 'designations'
        new.save(update_fields=['app_label'])


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('designations', '0011_public_notice_to_notices'),
        ('applications', '0009_event_actions_all'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='HolidayCalendarYear',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('year', models.PositiveSmallIntegerField(unique=True, verbose_name='year')),
                        ('source', models.CharField(choices=[('package', 'chinese-calendar package'), ('office', 'Entered by the office'), ('import', 'Imported by the office')], max_length=10, verbose_name='source')),
                        ('notice_reference', models.CharField(blank=True, max_length=120, verbose_name='State Council notice')),
                        ('is_demo', models.BooleanField(default=False, verbose_name='demo data')),
                        ('entered_at', models.DateTimeField(auto_now=True, verbose_name='entered at')),
                        ('entered_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'designations_holidaycalendaryear',
                        'verbose_name': 'holiday calendar year',
                        'verbose_name_plural': 'holiday calendar years',
                        'ordering': ['-year'],
                    },
                ),
                migrations.CreateModel(
                    name='CalendarDay',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('date', models.DateField(unique=True, verbose_name='date')),
                        ('kind', models.CharField(choices=[('holiday', 'Statutory holiday (day off)'), ('workday', 'Make-up working day (调休)')], max_length=10, verbose_name='kind')),
                        ('name', models.CharField(blank=True, max_length=40, verbose_name='holiday')),
                        ('calendar', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='days', to='notices.holidaycalendaryear')),
                    ],
                    options={
                        'db_table': 'designations_calendarday',
                        'verbose_name': 'calendar day',
                        'verbose_name_plural': 'calendar days',
                        'ordering': ['date'],
                    },
                ),
                migrations.CreateModel(
                    name='PublicNotice',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('starts_on', models.DateField(verbose_name='starts on')),
                        ('working_days', models.PositiveSmallIntegerField(default=5, verbose_name='working days')),
                        ('closes_on', models.DateField(verbose_name='closes on')),
                        ('contact_office', models.CharField(max_length=80, verbose_name='contact office')),
                        ('contact_phone', models.CharField(max_length=40, verbose_name='contact telephone')),
                        ('opened_at', models.DateTimeField(auto_now_add=True, verbose_name='opened at')),
                        ('applications', models.ManyToManyField(related_name='public_notices', to='applications.application', verbose_name='bureaus')),
                        ('cycle', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='public_notices', to='applications.cycle')),
                        ('opened_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'designations_publicnotice',
                        'indexes': [models.Index(fields=['closes_on'], name='public_notice_closes')],
                        'verbose_name': 'public notice',
                        'verbose_name_plural': 'public notices',
                        'ordering': ['-starts_on', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='Objection',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('checked', models.BooleanField(default=False, verbose_name='content checked')),
                        ('reference', models.CharField(max_length=20, unique=True, verbose_name='reference number')),
                        ('name', models.CharField(max_length=40, verbose_name='real name')),
                        ('phone', models.CharField(max_length=20, verbose_name='telephone')),
                        ('facts', models.TextField(verbose_name='facts')),
                        ('ip', models.GenericIPAddressField(blank=True, null=True, verbose_name='address')),
                        ('submitted_at', models.DateTimeField(auto_now_add=True, verbose_name='submitted at')),
                        ('outcome', models.CharField(choices=[('waiting', 'Waiting to be handled'), ('upheld_back', 'Verified and upheld: back to the Party committee'), ('upheld_withdrawn', 'Verified and upheld: approval withdrawn'), ('dismissed', 'Dismissed')], default='waiting', max_length=20, verbose_name='handling')),
                        ('handling_note', models.TextField(blank=True, verbose_name='handling note')),
                        ('handled_at', models.DateTimeField(blank=True, null=True, verbose_name='handled at')),
                        ('original_name', models.CharField(blank=True, max_length=200, verbose_name='file name')),
                        ('stored_name', models.CharField(blank=True, max_length=80)),
                        ('kind', models.CharField(blank=True, max_length=8, verbose_name='type')),
                        ('size', models.PositiveBigIntegerField(default=0, verbose_name='size')),
                        ('sha256', models.CharField(blank=True, max_length=64)),
                        ('application', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='objections', to='applications.application', verbose_name='bureau')),
                        ('handled_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('notice', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='objections', to='notices.publicnotice')),
                    ],
                    options={
                        'db_table': 'designations_objection',
                        'indexes': [models.Index(fields=['outcome', 'application'], name='objection_waiting')],
                        'verbose_name': 'objection',
                        'verbose_name_plural': 'objections',
                        'ordering': ['submitted_at', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='NoticeEvent',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('opened', 'Window opened'), ('objection', 'Objection received'), ('handled', 'Objection handled')], max_length=12, verbose_name='action')),
                        ('note', models.TextField(blank=True, verbose_name='note')),
                        ('ip', models.GenericIPAddressField(blank=True, null=True, verbose_name='address')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='time')),
                        ('actor', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('objection', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='events', to='notices.objection')),
                        ('notice', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='events', to='notices.publicnotice')),
                    ],
                    options={
                        'db_table': 'designations_noticeevent',
                        'ordering': ['created_at', 'id'],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterModelTable(name='holidaycalendaryear', table=None),
        migrations.AlterModelTable(name='calendarday', table=None),
        migrations.AlterModelTable(name='publicnotice', table=None),
        migrations.AlterModelTable(name='objection', table=None),
        migrations.AlterModelTable(name='noticeevent', table=None),
        migrations.RunPython(content_types_to_notices, content_types_to_designations),
    ]
