"""Writes on bureaus, divisions, users and role memberships."""

import csv
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .enums import ROLE_BUREAU_LEVEL, ROLES_WITH_DIVISION, STAFF_GROUP_BY_ROLE, BureauLevel, Role
from .models import Bureau, Division, Membership, User

# The nine divisions of the provincial department (domain.md §1), in the plan's order.
PROVINCIAL_DIVISIONS: tuple[tuple[str, str, str], ...] = (
    ("general_office", "厅办公室", "General Office"),
    ("org_publicity", "厅组织宣传处", "Organisation & Publicity Division"),
    ("finance_equipment", "厅计财装备处", "Planning, Finance & Equipment Division"),
    ("grassroots", "厅基层工作处", "Grassroots Work Division"),
    ("notary", "厅公证管理处", "Notary Administration Division"),
    ("lawyer", "厅律师管理处", "Lawyer Administration Division"),
    ("legal_publicity", "厅法制宣传处", "Legal Publicity Division"),
    ("legal_aid", "厅法律援助工作处", "Legal Aid Division"),
    ("community_corrections", "厅社区矫正工作处", "Community Corrections Division"),
)

_CSV_LEVELS = {
    "province": BureauLevel.PROVINCE,
    "prefecture": BureauLevel.CITY,
    "county": BureauLevel.COUNTY,
}


# Model permissions of the administration pages, per staff group. No delete on bureaus or
# divisions: they are deactivated instead.
STAFF_GROUP_PERMISSIONS: dict[str, tuple[str, ...]] = {
    "system_admins": (
        "organizations.add_user",
        "organizations.change_user",
        "organizations.view_user",
        "organizations.add_bureau",
        "organizations.change_bureau",
        "organizations.view_bureau",
        "organizations.view_division",
        "organizations.add_membership",
        "organizations.change_membership",
        "organizations.delete_membership",
        "organizations.view_membership",
    ),
    "campaign_office": (
        "organizations.view_bureau",
        "organizations.view_division",
        "standards.add_criteriaversion",
        "standards.change_criteriaversion",
        "standards.view_criteriaversion",
        "standards.change_section",
        "standards.view_section",
        "standards.add_item",
        "standards.change_item",
        "standards.view_item",
        "standards.add_indicator",
        "standards.change_indicator",
        "standards.delete_indicator",
        "standards.view_indicator",
        "applications.change_cycle",
        "applications.view_cycle",
    ),
}


def staff_group(name: str) -> Group:
    """The staff group ``name`` with exactly its permissions (created on first use)."""
    group, _created = Group.objects.get_or_create(name=name)
    wanted = STAFF_GROUP_PERMISSIONS[name]
    perms = Permission.objects.filter(
        content_type__app_label__in={p.split(".")[0] for p in wanted},
        codename__in={p.split(".")[1] for p in wanted},
    ).select_related("content_type")
    group.permissions.set(
        [p for p in perms if f"{p.content_type.app_label}.{p.codename}" in wanted]
    )
    return group


@dataclass(frozen=True)
class LoadResult:
    created: int
    updated: int


def bureau_name_for(*, region_name: str, level: str, parent: Bureau | None) -> str:
    """The bureau's usual name: 黑龙江省司法厅, 哈尔滨市司法局, 鹤岗市向阳区司法局, 五常市司法局.

    Districts carry their city's name: two cities of the province have a 向阳区.
    """
    if level == BureauLevel.PROVINCE:
        return f"{region_name}司法厅"
    if level == BureauLevel.COUNTY and region_name.endswith("区") and parent is not None:
        city_stem = parent.region_name.removesuffix("市").removesuffix("地区")
        if not region_name.startswith(city_stem):
            return f"{parent.region_name}{region_name}司法局"
    return f"{region_name}司法局"


def divisions_load() -> LoadResult:
    """Create or refresh the nine provincial divisions. Idempotent."""
    created = updated = 0
    for order, (code, name, name_en) in enumerate(PROVINCIAL_DIVISIONS, start=1):
        _division, was_created = Division.objects.update_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "order": order}
        )
        created += was_created
        updated += not was_created
    return LoadResult(created=created, updated=updated)


@transaction.atomic
def province_load(*, csv_path: Path) -> LoadResult:
    """Load the bureau tree from a GB/T 2260 CSV (code,name,parent_code,level). Idempotent.

    Existing bureaus keep their credit code, address and active flag; names follow the list.
    """
    with csv_path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    order = {"province": 0, "prefecture": 1, "county": 2}
    rows.sort(key=lambda row: (order[row["level"]], row["code"]))
    by_code: dict[str, Bureau] = {b.code: b for b in Bureau.objects.all()}
    created = updated = 0
    for row in rows:
        level = _CSV_LEVELS[row["level"]]
        parent = by_code[row["parent_code"]] if row["parent_code"] else None
        name = bureau_name_for(region_name=row["name"], level=level, parent=parent)
        bureau = by_code.get(row["code"])
        if bureau is None:
            bureau = Bureau.objects.create(
                code=row["code"],
                name=name,
                region_name=row["name"],
                level=level,
                parent=parent,
                in_gbt2260=True,
            )
            created += 1
        elif (bureau.name, bureau.region_name, bureau.level, bureau.parent_id) != (
            name,
            row["name"],
            level,
            parent.pk if parent else None,
        ):
            bureau.name, bureau.region_name, bureau.level, bureau.parent = (
                name,
                row["name"],
                level,
                parent,
            )
            bureau.save(update_fields=["name", "region_name", "level", "parent"])
            updated += 1
        by_code[bureau.code] = bureau
    return LoadResult(created=created, updated=updated)


@transaction.atomic
def bureau_create(
    *,
    code: str,
    region_name: str,
    level: str,
    parent: Bureau | None,
    name: str = "",
    credit_code: str = "",
    address: str = "",
) -> Bureau:
    """Add a bureau that is not in the GB/T 2260 list (a development zone, say)."""
    bureau = Bureau(
        code=code,
        region_name=region_name,
        level=level,
        parent=parent,
        name=name or bureau_name_for(region_name=region_name, level=level, parent=parent),
        credit_code=credit_code,
        address=address,
        in_gbt2260=False,
    )
    bureau.full_clean()
    bureau.save()
    return bureau


def bureau_set_active(*, bureau: Bureau, active: bool) -> Bureau:
    """Deactivate or reactivate a bureau. Bureaus are never deleted."""
    if bureau.is_active != active:
        bureau.is_active = active
        bureau.save(update_fields=["is_active"])
    return bureau


def membership_validate(*, role: str, bureau: Bureau | None, division: Division | None) -> None:
    """Raise ValidationError unless the anchor fits the role (domain.md §6)."""
    level = ROLE_BUREAU_LEVEL[role]
    label = Role(role).label
    if role in ROLES_WITH_DIVISION:
        if division is None or bureau is not None:
            raise ValidationError(_("%(role)s belongs to a provincial division.") % {"role": label})
        return
    if level is None:
        if bureau is not None or division is not None:
            raise ValidationError(_("%(role)s belongs to no bureau.") % {"role": label})
        return
    if division is not None or bureau is None or bureau.level != level:
        raise ValidationError(
            _("%(role)s belongs to a %(level)s.")
            % {"role": label, "level": BureauLevel(level).label}
        )


@transaction.atomic
def membership_grant(
    *, user: User, role: str, bureau: Bureau | None = None, division: Division | None = None
) -> Membership:
    """Give ``user`` the ``role`` in ``bureau`` or ``division``. Idempotent.

    Side effect: roles that work in the administration pages (system administrator,
    campaign office) put the user in the matching group and mark them staff.
    """
    membership_validate(role=role, bureau=bureau, division=division)
    membership, _created = Membership.objects.get_or_create(
        user=user, role=role, bureau=bureau, division=division
    )
    group_name = STAFF_GROUP_BY_ROLE.get(role)
    if group_name:
        user.groups.add(staff_group(group_name))
        if not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
    return membership


@transaction.atomic
def membership_revoke(*, membership: Membership) -> None:
    """Take a role away; drop the staff group and flag when no such role remains."""
    user, role = membership.user, membership.role
    membership.delete()
    group_name = STAFF_GROUP_BY_ROLE.get(role)
    if group_name and not user.memberships.filter(role=role).exists():
        user.groups.remove(*Group.objects.filter(name=group_name))
    staff_roles = list(STAFF_GROUP_BY_ROLE)
    if (
        user.is_staff
        and not user.is_superuser
        and not user.memberships.filter(role__in=staff_roles).exists()
    ):
        user.is_staff = False
        user.save(update_fields=["is_staff"])
