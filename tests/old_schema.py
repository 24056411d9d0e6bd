"""Rows made in an old schema for the tests of an app's move (``tests/<app>/test_migration.py``):
the campaign they hang on, and a content type with a permission as post_migrate made them;
after the move, the same content type names the new app and the permission still points to it."""

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any


@dataclass(frozen=True)
class OldCampaign:
    user: Any
    county: Any
    cycle: Any


def old_campaign(apps) -> OldCampaign:
    """An office user, a county under its city and province, and a 2031 cycle, in ``apps``."""
    Bureau = apps.get_model("organizations", "Bureau")
    user = apps.get_model("organizations", "User").objects.create(
        username="old_office", password="!"
    )
    province = Bureau.objects.create(code="239000", name="旧省司法厅", level="province")
    city = Bureau.objects.create(code="239900", name="旧市司法局", level="city", parent=province)
    county = Bureau.objects.create(code="239901", name="旧县司法局", level="county", parent=city)
    version = apps.get_model("standards", "CriteriaVersion").objects.create(name="旧版", year=2017)
    cycle = apps.get_model("applications", "Cycle").objects.create(
        year=2031,
        criteria_version=version,
        city_deadline=datetime(2031, 7, 31, 15, 59, 59, tzinfo=UTC),
        quota_ratio="0.10",
    )
    return OldCampaign(user=user, county=county, cycle=cycle)


def old_permission(apps, *, app_label: str, model: str) -> dict[str, int]:
    """``model``'s content type under ``app_label`` and its view permission: their ids."""
    content_type, _ = apps.get_model("contenttypes", "ContentType").objects.get_or_create(
        app_label=app_label, model=model
    )
    permission, _ = apps.get_model("auth", "Permission").objects.get_or_create(
        content_type=content_type, codename=f"view_{model}", defaults={"name": "Can view"}
    )
    return {"content_type": content_type.pk, "permission": permission.pk}


def assert_permission_follows(
    apps, *, app_label: str, other: str, model: str, moved: tuple[str, ...], ids: dict[str, int]
) -> None:
    """The content type (the same row) names ``app_label``, none of the moved models is left
    under ``other``, and the permission still points to it."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type = ContentType.objects.get(app_label=app_label, model=model)
    assert content_type.pk == ids["content_type"]
    assert not ContentType.objects.filter(app_label=other, model__in=[m.lower() for m in moved])
    permission = apps.get_model("auth", "Permission").objects.get(pk=ids["permission"])
    assert permission.content_type_id == content_type.pk
