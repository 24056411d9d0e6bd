"""Writes on bureaus, divisions, users and role memberships."""

import csv
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.enums import AuditAction
from audit.services import audit_record
from core.actors import SystemActor
from core.provinces import department_name

from .enums import (
    ADMIN_ROLES,
    PRIVILEGED_ROLES,
    ROLE_BUREAU_LEVEL,
    ROLES_WITH_DIVISION,
    STAFF_GROUP_BY_ROLE,
    BureauLevel,
    Role,
)
from .models import Bureau, Division, Membership, PasswordHistory, User
from .permissions import (
    can_change_password,
    can_grant_roles,
    can_manage_accounts,
    can_manage_bureaus,
    can_reset_credentials,
)
from .selectors import in_province

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
# divisions: they are deactivated instead. 三员分立: the system administrator keeps accounts,
# bureaus and divisions but grants no role; the security administrator grants and revokes roles
# and resets passwords and second factors but edits no account; the audit administrator has no
# administration page at all (the trail is at /audit/).
STAFF_GROUP_PERMISSIONS: dict[str, tuple[str, ...]] = {
    "system_admins": (
        "organizations.add_user",
        "organizations.change_user",
        "organizations.view_user",
        "organizations.add_bureau",
        "organizations.change_bureau",
        "organizations.view_bureau",
        "organizations.change_division",
        "organizations.view_division",
        "organizations.view_membership",
    ),
    "security_admins": (
        "organizations.view_user",
        "organizations.reset_credentials",
        "organizations.view_bureau",
        "organizations.view_division",
        "organizations.add_membership",
        # "change" is what django-import-export asks for an import; a grant is never edited.
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
        return department_name(region_name)
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
def province_load(*, csv_path: Path, code: str | None = None) -> LoadResult:
    """Load the bureau tree from a GB/T 2260 CSV (code,name,parent_code,level). Idempotent.

    ``code`` (a province's six-digit code) keeps that province's rows only: the national list
    loads one province at a time, and provinces loaded earlier stay as they are. Existing
    bureaus keep their credit code, address and active flag; names follow the list.
    """
    with csv_path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    if code is not None:
        rows = [row for row in rows if row["code"][:2] == code[:2]]
        if not any(row["code"] == code and row["level"] == "province" for row in rows):
            raise ValidationError(
                _("The list has no province with the code %(code)s.") % {"code": code}
            )
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
    by: User | SystemActor,
) -> Bureau:
    """Add a bureau that is not in the GB/T 2260 list (a development zone, say). The system
    administrator's or a loader's (``PermissionDenied`` otherwise)."""
    if not can_manage_bureaus(by):
        raise PermissionDenied(_("Bureaus are the system administrator's."))
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


def bureau_set_active(*, bureau: Bureau, active: bool, by: User | SystemActor) -> Bureau:
    """Deactivate or reactivate a bureau. Bureaus are never deleted. The system
    administrator's or a loader's (``PermissionDenied`` otherwise)."""
    if not can_manage_bureaus(by):
        raise PermissionDenied(_("Bureaus are the system administrator's."))
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
    if not in_province(bureau):
        raise ValidationError(outside_province_message(bureau))


def outside_province_message(bureau: Bureau) -> str:
    return _("%(bureau)s is not in %(province)s, the province this portal serves.") % {
        "bureau": bureau.name,
        "province": settings.PORTAL_PROVINCE_NAME,
    }


def membership_check(
    *,
    user: User,
    role: str,
    bureau: Bureau | None = None,
    division: Division | None = None,
    by: User | SystemActor | None = None,
) -> None:
    """Raise ValidationError unless ``by`` may give ``user`` this role: the anchor fits, the
    account would not hold two of the three administrator roles, and nobody gives a
    privileged role to themselves."""
    membership_validate(role=role, bureau=bureau, division=division)
    if role in ADMIN_ROLES:
        held = (
            Membership.objects.filter(user=user, role__in=sorted(ADMIN_ROLES))
            .exclude(role=role)
            .values_list("role", flat=True)
            .first()
        )
        if held:
            raise ValidationError(
                _(
                    "%(user)s is already the %(held)s: an account holds at most one of the "
                    "system, security and audit administrator roles."
                )
                % {"user": user, "held": Role(held).label}
            )
    if isinstance(by, User) and by.pk == user.pk and role in PRIVILEGED_ROLES:
        raise ValidationError(
            _("Nobody grants the %(role)s role to themselves; another security administrator must.")
            % {"role": Role(role).label}
        )


@transaction.atomic
def membership_grant(
    *,
    user: User,
    role: str,
    bureau: Bureau | None = None,
    division: Division | None = None,
    by: User | SystemActor,
    request: HttpRequest | None = None,
) -> Membership:
    """Give ``user`` the ``role`` in ``bureau`` or ``division``. Idempotent.

    ``by`` is the security administrator granting it, or a loader (``SystemActor.LOADER``,
    ``DEMO``). Refused (PermissionDenied) to anyone else, first; refused (ValidationError)
    where ``membership_check`` refuses. Side effects: a new grant is recorded in the audit
    trail (``membership.grant``); roles that work in the administration
    pages put the user in the matching group and mark them staff.
    """
    if not can_grant_roles(by):
        raise PermissionDenied(_("Role grants are the security administrator's."))
    membership_check(user=user, role=role, bureau=bureau, division=division, by=by)
    membership, created = Membership.objects.get_or_create(
        user=user, role=role, bureau=bureau, division=division
    )
    group_name = STAFF_GROUP_BY_ROLE.get(role)
    if group_name:
        user.groups.add(staff_group(group_name))
        if not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
    if created:
        audit_record(
            action=AuditAction.MEMBERSHIP_GRANT,
            request=request,
            actor=by,
            obj=membership,
            details=_membership_details(membership),
        )
    return membership


def _membership_details(membership: Membership) -> dict:
    anchor = membership.bureau or membership.division
    return {
        "user": membership.user.get_username(),
        "role": membership.role,
        "bureau": getattr(anchor, "code", "") if anchor is not None else "",
    }


@transaction.atomic
def membership_revoke(
    *, membership: Membership, by: User | SystemActor, request: HttpRequest | None = None
) -> None:
    """Take a role away; drop the staff group and flag when no such role remains.

    Refused (PermissionDenied) to anyone but a security administrator or a loader; recorded in
    the audit trail (``membership.revoke``, on the membership as it was: its description names
    the user, the role and the bureau).
    """
    if not can_grant_roles(by):
        raise PermissionDenied(_("Role revocations are the security administrator's."))
    user, role = membership.user, membership.role
    audit_record(
        action=AuditAction.MEMBERSHIP_REVOKE,
        request=request,
        actor=by,
        obj=membership,
        details=_membership_details(membership),
    )
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


# The account fields the system administrator edits in the administration pages. Superuser,
# staff, groups and permissions are not among them: staff and groups follow the roles, and a
# superuser is made only with ``manage.py createsuperuser`` on the server.
ACCOUNT_FIELDS = ("username", "full_name", "phone", "email", "is_active")


@transaction.atomic
def user_create(
    *,
    username: str,
    full_name: str = "",
    phone: str = "",
    email: str = "",
    is_active: bool = True,
    password: str | None = None,
    by: User | SystemActor,
    request: HttpRequest | None = None,
) -> User:
    """Open an account. Its password (if any) is provisional: changed at the first log-in; an
    account without one gets it from the security administrator (a reset).

    The system administrator's or a loader's (``PermissionDenied`` otherwise). Recorded in the
    audit trail (``account.create``).
    """
    if not can_manage_accounts(by):
        raise PermissionDenied(_("Accounts are the system administrator's."))
    user = User(
        username=username, full_name=full_name, phone=phone, email=email, is_active=is_active
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.must_change_password = True
    user.full_clean(exclude=["password"])
    user.save()
    audit_record(action=AuditAction.ACCOUNT_CREATE, request=request, actor=by, obj=user)
    return user


@transaction.atomic
def user_update(
    *, user: User, changed: list[str], by: User | SystemActor, request: HttpRequest | None = None
) -> User:
    """Save the account fields named in ``changed`` (already set on ``user``).

    The system administrator's or a loader's (``PermissionDenied`` otherwise). Only
    ``ACCOUNT_FIELDS`` are saved; any other name is ignored, so a form that smuggled in
    ``is_superuser`` changes nothing. Recorded once: ``account.deactivate`` when the account
    is switched off (with the other fields changed with it), ``account.change`` with the field
    names otherwise; nothing when nothing changed.
    """
    if not can_manage_accounts(by):
        raise PermissionDenied(_("Accounts are the system administrator's."))
    fields = [name for name in changed if name in ACCOUNT_FIELDS]
    if not fields:
        return user
    user.save(update_fields=fields)
    # One save, one entry: a deactivation names the other fields it changed with it.
    deactivated = "is_active" in fields and not user.is_active
    audit_record(
        action=AuditAction.ACCOUNT_DEACTIVATE if deactivated else AuditAction.ACCOUNT_CHANGE,
        request=request,
        actor=by,
        obj=user,
        details={"fields": [name for name in fields if name != "is_active" or not deactivated]},
    )
    return user


@transaction.atomic
def password_set(
    *,
    user: User,
    password: str,
    by: User,
    reset: bool = False,
    request: HttpRequest | None = None,
) -> User:
    """Give ``user`` a new password, keeping the old one's hash in the history (the last
    ``PASSWORD_HISTORY_COUNT`` are not reused; the validators check that before).

    A reset (``reset=True``) is the security administrator's: the password is provisional and
    must be changed at the next log-in (``password.reset``); a change (``by`` the user
    themselves) clears that (``password.change``). The expiry starts again either way. A
    person's act: anyone else, and the system, are refused (``PermissionDenied``).
    """
    if reset and not can_reset_credentials(by):
        raise PermissionDenied(_("Password resets are the security administrator's."))
    if reset and by.pk == user.pk:
        raise PermissionDenied(_("Nobody resets their own password; change it instead."))
    if not reset and not can_change_password(by, user):
        raise PermissionDenied(_("A password is changed by its owner."))
    if user.has_usable_password():
        PasswordHistory.objects.create(user=user, password=user.password)
    keep = settings.PASSWORD_HISTORY_COUNT
    old = PasswordHistory.objects.filter(user=user).order_by("-created_at", "-id")[keep:]
    PasswordHistory.objects.filter(pk__in=list(old.values_list("pk", flat=True))).delete()
    user.set_password(password)
    user.password_changed_at = timezone.now()
    user.must_change_password = reset
    user.save(update_fields=["password", "password_changed_at", "must_change_password"])
    audit_record(
        action=AuditAction.PASSWORD_RESET if reset else AuditAction.PASSWORD_CHANGE,
        request=request,
        actor=by,
        obj=user,
    )
    return user


def temporary_password() -> str:
    """A random provisional password that meets the password rules (12 characters, four
    classes), to be changed at the next log-in."""
    rng = secrets.SystemRandom()
    upper = "ABCDEFGHJKLMNPQRSTUVWXYZ"
    lower = "abcdefghijkmnpqrstuvwxyz"
    digits = "23456789"
    chars = (
        [rng.choice(upper) for _n in range(4)]
        + [rng.choice(lower) for _n in range(4)]
        + [rng.choice(digits) for _n in range(3)]
        + [rng.choice("@#%&*+=?")]
    )
    rng.shuffle(chars)
    return "".join(chars)


def password_expired(user: User) -> bool:
    """Whether ``user``'s password is older than ``PASSWORD_EXPIRY_DAYS``."""
    age = timezone.now() - user.password_changed_at
    return age.days >= settings.PASSWORD_EXPIRY_DAYS
