# The history of a rectification: one row per move of its state (and its order), written by
# reinspections.workflow.rectification_transition.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('reinspections', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='RectificationEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('action', models.CharField(choices=[('order', 'Rectification ordered'), ('submit', 'Rectification report submitted'), ('reopen', 'Reopened to the county: a requirement not met'), ('pass', 'Rectification accepted'), ('fail', 'Rectification failed: revoked'), ('end', "Ended with the title's immediate revocation")], max_length=12, verbose_name='action')),
                ('from_state', models.CharField(blank=True, choices=[('open', 'Open to the county'), ('submitted', 'Submitted, being judged'), ('passed', 'Every requirement met'), ('failed', 'Not met by the deadline: revoked')], max_length=12, verbose_name='from')),
                ('to_state', models.CharField(choices=[('open', 'Open to the county'), ('submitted', 'Submitted, being judged'), ('passed', 'Every requirement met'), ('failed', 'Not met by the deadline: revoked')], max_length=12, verbose_name='to')),
                ('note', models.TextField(blank=True, verbose_name='note')),
                ('ip', models.GenericIPAddressField(blank=True, null=True, verbose_name='address')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='time')),
                ('actor', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('rectification', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='events', to='reinspections.rectification')),
            ],
            options={
                'verbose_name': 'rectification event',
                'verbose_name_plural': 'rectification events',
                'ordering': ['created_at', 'id'],
            },
        ),
    ]
