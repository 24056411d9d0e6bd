"""Writes on criteria versions: loading, freezing, cloning, and the edit guard."""

import json
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.enums import AuditAction
from audit.services import audit_record
from organizations.models import Division

from .models import CriteriaVersion, Indicator, Item, Section

_VERSION_FIELDS = (
    "name_en",
    "year",
    "source",
    "pass_total_percent",
    "section_min_percent",
    "met_percent",
    "partly_met_percent",
)
_ITEM_FIELDS = (
    "group",
    "group_en",
    "title",
    "title_en",
    "text",
    "points",
    "veto_note",
    "veto_note_en",
)
_INDICATOR_FIELDS = (
    "name",
    "name_en",
    "kind",
    "numerator_label",
    "numerator_label_en",
    "denominator_label",
    "denominator_label_en",
    "value_label",
    "value_label_en",
    "unit",
    "operator",
    "threshold_parameter",
    "rule_text",
    "alternative_group",
    "vacuous_when_zero",
    "allow_fraction",
    "order",
)


class CriteriaFrozenError(ValidationError):
    """Raised when something tries to change a criteria version that a cycle uses."""


def criteria_version_ensure_editable(version: CriteriaVersion) -> None:
    """Raise ``CriteriaFrozenError`` when ``version`` is frozen.

    Every writer of sections, items and indicators calls this first: the admin, the
    Excel import and the services below.
    """
    if version.is_frozen:
        raise CriteriaFrozenError(
            _(
                "The criteria version “%(name)s” is used by a cycle and frozen since %(date)s: "
                "it can no longer be changed. Clone it to make a new version."
            )
            % {"name": version.name, "date": timezone.localtime(version.frozen_at).date()},
            code="frozen",
        )


@transaction.atomic
def criteria_version_load(*, json_path: Path) -> CriteriaVersion:
    """Create or refresh a criteria version from its JSON fixture. Idempotent.

    A frozen version is left as it is (loading it again changes nothing).
    """
    data = json.loads(json_path.read_text(encoding="utf-8"))
    meta = data["version"]
    version, _created = CriteriaVersion.objects.get_or_create(
        name=meta["name"], defaults={k: meta[k] for k in _VERSION_FIELDS}
    )
    if version.is_frozen:
        return version
    for key in _VERSION_FIELDS:
        setattr(version, key, meta[key])
    version.full_clean()
    version.save()
    divisions = {d.code: d for d in Division.objects.all()}
    for section_data in data["sections"]:
        section, _created = Section.objects.update_or_create(
            version=version,
            number=section_data["number"],
            defaults={
                "name": section_data["name"],
                "name_en": section_data["name_en"],
                "weight": Decimal(section_data["weight"]),
            },
        )
        missing = set(section_data["owners"]) - set(divisions)
        if missing:
            raise ValidationError(f"Unknown divisions {sorted(missing)}: load the divisions first.")
        section.owners.set([divisions[code] for code in section_data["owners"]])
        for order, item_data in enumerate(section_data["items"], start=1):
            item, _created = Item.objects.update_or_create(
                section=section,
                code=item_data["code"],
                defaults={
                    **{k: item_data[k] for k in _ITEM_FIELDS},
                    "order": order,
                    "is_veto": item_data["veto"],
                },
            )
            for indicator_data in item_data["indicators"]:
                threshold = indicator_data["threshold"]
                Indicator.objects.update_or_create(
                    item=item,
                    code=indicator_data["code"],
                    defaults={
                        **{k: indicator_data[k] for k in _INDICATOR_FIELDS},
                        "threshold": Decimal(threshold) if threshold != "" else None,
                    },
                )
    return version


@transaction.atomic
def criteria_version_freeze(*, version: CriteriaVersion) -> CriteriaVersion:
    """Freeze ``version`` (a cycle opened with it). Idempotent: the first date stays."""
    version = CriteriaVersion.objects.select_for_update().get(pk=version.pk)
    if version.frozen_at is None:
        version.frozen_at = timezone.now()
        version.save(update_fields=["frozen_at"])
        audit_record(action=AuditAction.CRITERIA_FREEZE, obj=version)
    return version


@transaction.atomic
def criteria_version_clone(
    *, version: CriteriaVersion, name: str, year: int, name_en: str = ""
) -> CriteriaVersion:
    """Copy ``version`` with its sections, owners, items and indicators into a new, editable one."""
    if CriteriaVersion.objects.filter(name=name).exists():
        raise ValidationError({"name": _("A criteria version with this name already exists.")})
    clone = CriteriaVersion.objects.create(
        name=name,
        name_en=name_en,
        year=year,
        source=version.source,
        pass_total_percent=version.pass_total_percent,
        section_min_percent=version.section_min_percent,
        met_percent=version.met_percent,
        partly_met_percent=version.partly_met_percent,
        cloned_from=version,
    )
    for section in version.sections.prefetch_related("owners", "items__indicators"):
        owners = list(section.owners.all())
        items = list(section.items.all())
        # A copy, not the prefetched instance: its cached relations would mislead set().
        new_section = Section.objects.create(
            version=clone,
            number=section.number,
            name=section.name,
            name_en=section.name_en,
            weight=section.weight,
        )
        new_section.owners.set(owners)
        for item in items:
            indicators = list(item.indicators.all())
            item_fields = {
                f.name: getattr(item, f.name)
                for f in Item._meta.concrete_fields
                if f.name not in {"id", "section"}
            }
            new_item = Item.objects.create(section=new_section, **item_fields)
            Indicator.objects.bulk_create(
                Indicator(
                    item=new_item,
                    **{
                        f.name: getattr(indicator, f.name)
                        for f in Indicator._meta.concrete_fields
                        if f.name not in {"id", "item"}
                    },
                )
                for indicator in indicators
            )
    audit_record(action=AuditAction.CRITERIA_CLONE, obj=clone, details={"from": version.name})
    return clone
