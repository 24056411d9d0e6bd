# The re-inspection rounds and the rectifications (their requirements and the county's files),
# moved here from designations with their rows: the models are taken over on their tables as
# they are (designations 0012 let them go from its state), then the tables take this app's names
# and the content types (and with them the permissions) move to this app. Backwards, the tables
# get their old names again and the content types go back to designations.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MOVED = ('reinspection', 'rectification', 'rectificationrequirement', 'rectificationfile')


def content_types_to_reinspections(apps, schema_editor):
    ContentType = apps.get_model('contenttypes', 'ContentType')
    for model in MOVED:
        old = ContentType.objects.filter(app_label='designations', model=model).first()
        if old is None:
            continue
        # A content type created for the new label before this ran holds nothing yet.
        ContentType.objects.filter(app_label='reinspections', model=model).delete()
        old.app_label = 'reinspections'
        old.save(update_fields=['app_label'])


def content_types_to_designations(apps, schema_editor):
    ContentType = apps.get_model('contenttypes', 'ContentType')
    for model in MOVED:
        new = ContentType.objects.filter(app_label='reinspections', model=model).first()
        if new is None:
            continue
        ContentType.objects.filter(app_label='designations', model=model).delete()
        new.app_label = 'designations'
        new.save(update_fields=['app_label'])


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('designations', '0012_rounds_to_reinspections'),
        ('applications', '0009_event_actions_all'),
        ('organizations', '0005_notification_inbox_index'),
        ('standards', '0001_initial'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Rectification',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('deadline', models.DateField(verbose_name='rectification deadline')),
                        ('note', models.TextField(blank=True, verbose_name='note')),
                        ('state', models.CharField(choices=[('open', 'Open to the county'), ('submitted', 'Submitted, being judged'), ('passed', 'Every requirement met'), ('failed', 'Not met by the deadline: revoked')], default='open', max_length=12, verbose_name='state')),
                        ('ordered_at', models.DateTimeField(auto_now_add=True, verbose_name='ordered at')),
                        ('submitted_at', models.DateTimeField(blank=True, null=True, verbose_name='submitted at')),
                        ('concluded_at', models.DateTimeField(blank=True, null=True, verbose_name='concluded at')),
                        ('concluded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('designation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='rectifications', to='designations.designation')),
                        ('ordered_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('submitted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'designations_rectification',
                        'verbose_name': 'rectification',
                        'verbose_name_plural': 'rectifications',
                        'ordering': ['deadline', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='RectificationRequirement',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('position', models.PositiveSmallIntegerField()),
                        ('text', models.TextField(verbose_name='requirement')),
                        ('met', models.BooleanField(blank=True, null=True, verbose_name='met')),
                        ('judgement_note', models.TextField(blank=True, verbose_name='judgement')),
                        ('division_view', models.TextField(blank=True, verbose_name="the division's view")),
                        ('judged_at', models.DateTimeField(blank=True, null=True, verbose_name='judged at')),
                        ('division', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organizations.division', verbose_name='division consulted')),
                        ('item', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='standards.item')),
                        ('judged_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('rectification', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='requirements', to='reinspections.rectification')),
                    ],
                    options={
                        'db_table': 'designations_rectificationrequirement',
                        'verbose_name': 'rectification requirement',
                        'verbose_name_plural': 'rectification requirements',
                        'ordering': ['rectification', 'position'],
                    },
                ),
                migrations.CreateModel(
                    name='RectificationFile',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('original_name', models.CharField(max_length=200, verbose_name='file name')),
                        ('stored_name', models.CharField(max_length=80, unique=True)),
                        ('kind', models.CharField(choices=[('pdf', 'PDF'), ('jpeg', 'JPEG'), ('png', 'PNG'), ('docx', 'DOCX'), ('xlsx', 'XLSX'), ('mp4', 'MP4')], max_length=8, verbose_name='type')),
                        ('size', models.PositiveBigIntegerField(verbose_name='size')),
                        ('sha256', models.CharField(max_length=64)),
                        ('checked', models.BooleanField(default=False, verbose_name='content checked')),
                        ('role', models.CharField(choices=[('report', 'Rectification report'), ('evidence', 'Evidence')], max_length=10, verbose_name='file')),
                        ('uploaded_at', models.DateTimeField(auto_now_add=True, verbose_name='uploaded at')),
                        ('uploaded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('requirement', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='files', to='reinspections.rectificationrequirement')),
                    ],
                    options={
                        'db_table': 'designations_rectificationfile',
                        'verbose_name': 'rectification file',
                        'verbose_name_plural': 'rectification files',
                        'ordering': ['requirement', 'uploaded_at', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='Reinspection',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('due', models.DateField(verbose_name='re-inspection due')),
                        ('opened_at', models.DateTimeField(auto_now_add=True, verbose_name='opened at')),
                        ('outcome', models.CharField(blank=True, choices=[('kept', 'Title kept'), ('rectify', 'Rectification ordered')], max_length=10, verbose_name='decision')),
                        ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='decided at')),
                        ('application', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='reinspection', to='applications.application')),
                        ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('designation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='reinspections', to='designations.designation')),
                        ('opened_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'designations_reinspection',
                        'verbose_name': 're-inspection round',
                        'verbose_name_plural': 're-inspection rounds',
                        'ordering': ['-opened_at', '-id'],
                    },
                ),
                migrations.AddConstraint(
                    model_name='rectification',
                    constraint=models.UniqueConstraint(condition=models.Q(('state__in', ['open', 'submitted'])), fields=('designation',), name='rectification_one_running'),
                ),
                migrations.AddConstraint(
                    model_name='rectificationrequirement',
                    constraint=models.UniqueConstraint(fields=('rectification', 'position'), name='rectification_requirement_position'),
                ),
                migrations.AddConstraint(
                    model_name='reinspection',
                    constraint=models.UniqueConstraint(fields=('designation', 'due'), name='reinspection_once'),
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterModelTable(name='reinspection', table=None),
        migrations.AlterModelTable(name='rectification', table=None),
        migrations.AlterModelTable(name='rectificationrequirement', table=None),
        migrations.AlterModelTable(name='rectificationfile', table=None),
        migrations.RunPython(content_types_to_reinspections, content_types_to_designations),
    ]
