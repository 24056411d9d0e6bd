# The province's side moved to the evaluation app (its migration 0001 takes the models over
# with their tables); the city's deadline exception is named for what it is, an extension.

import django.db.models.deletion
from django.db import migrations, models

from django.conf import settings


def permissions_renamed(apps, schema_editor, old='deadlineexception', new='deadlineextension'):
    Permission = apps.get_model('auth', 'Permission')
    for permission in Permission.objects.filter(codename__endswith=f'_{old}'):
        permission.codename = permission.codename.replace(old, new)
        permission.name = permission.name.replace('deadline exception', 'deadline extension')
        permission.save(update_fields=['codename', 'name'])


def permissions_renamed_back(apps, schema_editor):
    permissions_renamed(apps, schema_editor, old='deadlineextension', new='deadlineexception')


class Migration(migrations.Migration):

    dependencies = [
        ('review', '0002_inspection_inspectionphoto_provincialmeeting_and_more'),
        ('evaluation', '0001_initial'),
        ('applications', '0004_alter_applicationevent_action'),
        ('organizations', '0002_notification_reminder'),
        ('auth', '0012_alter_user_first_name_max_length'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='Assignment'),
                migrations.DeleteModel(name='ItemScore'),
                migrations.DeleteModel(name='ScoreSheet'),
                migrations.DeleteModel(name='InspectionMember'),
                migrations.DeleteModel(name='InspectionFinding'),
                migrations.DeleteModel(name='InspectionPhoto'),
                migrations.DeleteModel(name='Inspection'),
                migrations.DeleteModel(name='ProvincialDecision'),
                migrations.DeleteModel(name='ProvincialMeeting'),
            ],
            database_operations=[],
        ),
        migrations.RenameModel(old_name='DeadlineException', new_name='DeadlineExtension'),
        migrations.RenameField(model_name='forwardingbatch', old_name='exception', new_name='extension'),
        migrations.AlterModelOptions(
            name='deadlineextension',
            options={'ordering': ['-granted_at'], 'verbose_name': 'deadline extension', 'verbose_name_plural': 'deadline extensions'},
        ),
        migrations.AlterField(
            model_name='deadlineextension',
            name='city',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='deadline_extensions', to='organizations.bureau'),
        ),
        migrations.AlterField(
            model_name='deadlineextension',
            name='cycle',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='deadline_extensions', to='applications.cycle'),
        ),
        migrations.AlterField(
            model_name='deadlineextension',
            name='granted_at',
            field=models.DateTimeField(auto_now_add=True, verbose_name='time the extension was granted'),
        ),
        migrations.AlterField(
            model_name='forwardingbatch',
            name='extension',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='review.deadlineextension', verbose_name='deadline extension'),
        ),
            migrations.RunPython(permissions_renamed, permissions_renamed_back),
    ]
