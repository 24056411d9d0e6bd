# The moved tables take the evaluation app's names; the content types (and with them the
# permissions, among them the object permission score_scoresheet that guardian's rows point
# to) move to the evaluation app, so every grant made before the move still holds.

from django.db import migrations

MOVED = (
    'assignment', 'inspection', 'inspectionfinding', 'inspectionmember', 'inspectionphoto',
    'itemscore', 'provincialdecision', 'provincialmeeting', 'scoresheet',
)


def content_types_to_evaluation(apps, schema_editor):
    ContentType = apps.get_model('contenttypes', 'ContentType')
    for model in MOVED:
        old = ContentType.objects.filter(app_label='review', model=model).first()
        if old is None:
            continue
        # A content type created for the new label before this ran holds nothing yet.
        ContentType.objects.filter(app_label='evaluation', model=model).delete()
        old.app_label = 'evaluation'
        old.save(update_fields=['app_label'])


def content_types_to_review(apps, schema_editor):
    ContentType = apps.get_model('contenttypes', 'ContentType')
    ContentType.objects.filter(app_label='evaluation', model__in=MOVED).update(app_label='review')


class Migration(migrations.Migration):

    dependencies = [
        ('evaluation', '0001_initial'),
        ('review', '0003_province_to_evaluation_and_deadline_extension'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.AlterModelTable(
            name='assignment',
            table=None,
        ),
        migrations.AlterModelTable(
            name='inspection',
            table=None,
        ),
        migrations.AlterModelTable(
            name='inspectionfinding',
            table=None,
        ),
        migrations.AlterModelTable(
            name='inspectionmember',
            table=None,
        ),
        migrations.AlterModelTable(
            name='inspectionphoto',
            table=None,
        ),
        migrations.AlterModelTable(
            name='itemscore',
            table=None,
        ),
        migrations.AlterModelTable(
            name='provincialdecision',
            table=None,
        ),
        migrations.AlterModelTable(
            name='provincialmeeting',
            table=None,
        ),
        migrations.AlterModelTable(
            name='scoresheet',
            table=None,
        ),
        migrations.RunPython(content_types_to_evaluation, content_types_to_review),
    ]
