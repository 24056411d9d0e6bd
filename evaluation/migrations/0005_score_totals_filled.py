"""Fill the totals kept on the score sheets and the applications from the item scores saved
before they were kept (the same rule as ``evaluation.written_review.sheet_points``)."""

from decimal import Decimal

from django.db import migrations
from django.db.models import F, Sum


def fill(apps, schema_editor):
    ScoreSheet = apps.get_model("evaluation", "ScoreSheet")
    ItemScore = apps.get_model("evaluation", "ItemScore")
    WrittenTotal = apps.get_model("evaluation", "WrittenTotal")
    sheets = ScoreSheet.objects.select_related("section__version")
    for sheet in sheets.iterator(chunk_size=500):
        version = sheet.section.version
        factor = {
            "met": version.met_percent / 100,
            "partly_met": version.partly_met_percent / 100,
        }
        points, vetoes = Decimal(0), []
        scores = ItemScore.objects.filter(sheet=sheet).select_related("item")
        for score in sorted(scores, key=lambda s: (s.item.order, s.item.code)):
            points += score.item.points * factor.get(score.rating, Decimal(0))
            if score.item.is_veto and (score.veto_failed or score.rating == "not_met"):
                vetoes.append(f"{score.item.code} {score.item.title}")
        ScoreSheet.objects.filter(pk=sheet.pk).update(points=points, vetoes_failed=vetoes)
    totals = (
        ScoreSheet.objects.values("application_id")
        .annotate(total=Sum(F("points") * F("section__weight")))
        .order_by()
    )
    for row in totals.iterator(chunk_size=500):
        WrittenTotal.objects.update_or_create(
            application_id=row["application_id"], defaults={"points": row["total"] or 0}
        )


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0004_score_totals_kept")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
