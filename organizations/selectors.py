"""Reads on bureaus and roles, scoped by the user who asks."""

from django.conf import settings
from django.db.models import Count, Q, QuerySet

from core.actors import SystemActor

from .enums import BureauLevel, Role
from .models import Bureau, Membership, User

_CACHE_ATTR = "_portal_memberships"


def memberships_of(user: User | SystemActor) -> list[Membership]:
    """The user's role memberships with their bureau and division, cached on the user object.
    A system actor holds none: every role check answers no for it."""
    if isinstance(user, SystemActor) or not user.is_authenticated:
        return []
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = list(
            user.memberships.select_related("bureau__parent", "division").order_by("role", "id")
        )
        setattr(user, _CACHE_ATTR, cached)
    return cached


def roles_of(user: User | SystemActor) -> set[str]:
    return {m.role for m in memberships_of(user)}


def has_role(user: User | SystemActor, *roles: str) -> bool:
    return bool(roles_of(user).intersection(roles))


def bureaus_visible_to(*, user: User) -> QuerySet[Bureau]:
    """Bureaus the user may look at.

    - campaign office and system administrators: every bureau of the configured province;
    - evaluators: the same (they score applications from the whole province);
    - city roles: their city and its counties;
    - county roles: their own bureau;
    - anyone else: none.
    """
    qs = Bureau.objects.select_related("parent")
    if not user.is_authenticated:
        return qs.none()
    if user.is_superuser or has_role(user, Role.CAMPAIGN_OFFICE, Role.SYSTEM_ADMIN, Role.EVALUATOR):
        return qs & province_bureaus()
    ids: set[int] = set()
    for membership in memberships_of(user):
        bureau = membership.bureau
        if bureau is None:
            continue
        ids.add(bureau.pk)
        if bureau.level == BureauLevel.CITY:
            ids.update(bureau.children.values_list("pk", flat=True))
    return qs.filter(pk__in=ids)


def province_bureaus() -> QuerySet[Bureau]:
    """The bureaus of the configured province (``PORTAL_PROVINCE``): its department, its cities
    and their counties. The national divisions may be loaded; only these take part in the
    campaign (quota, dashboard, pickers, the office's notices). Found through the tree, not by
    code prefix: bureaus added by administrators carry codes of their choosing.
    """
    code = settings.PORTAL_PROVINCE
    return Bureau.objects.filter(
        Q(level=BureauLevel.PROVINCE, code=code)
        | Q(level=BureauLevel.CITY, parent__code=code)
        | Q(level=BureauLevel.COUNTY, parent__parent__code=code)
    )


def in_province(bureau: Bureau) -> bool:
    """Whether ``bureau`` is the configured province's department, a city or a county of it."""
    return province_bureaus().filter(pk=bureau.pk).exists()


def province_bureau() -> Bureau | None:
    """The configured province's department (None before ``load_province``)."""
    return Bureau.objects.filter(level=BureauLevel.PROVINCE, code=settings.PORTAL_PROVINCE).first()


def province_cities() -> QuerySet[Bureau]:
    """The configured province's active city bureaus, by code (pickers and lists)."""
    return province_bureaus().filter(level=BureauLevel.CITY, is_active=True).order_by("code")


def counties_of(*, city: Bureau) -> QuerySet[Bureau]:
    """Active county bureaus under ``city``, by code."""
    return Bureau.objects.filter(parent=city, level=BureauLevel.COUNTY, is_active=True).order_by(
        "code"
    )


def bureau_counts() -> dict[str, int]:
    """Active bureaus of the configured province per level, for the statistics and the quota."""
    counts = {level.value: 0 for level in BureauLevel}
    rows = province_bureaus().filter(is_active=True).values("level").annotate(n=Count("pk"))
    counts.update({row["level"]: row["n"] for row in rows})
    return counts


def users_with_role(*, bureau: Bureau | None, roles) -> QuerySet[User]:
    """Active users holding one of ``roles`` in ``bureau`` (recipients of notices)."""
    if bureau is None:
        return User.objects.none()
    return User.objects.filter(
        is_active=True, memberships__bureau=bureau, memberships__role__in=list(roles)
    ).distinct()


def campaign_office_users() -> QuerySet[User]:
    """The campaign office: its role holders in the configured province's department."""
    return users_with_role(bureau=province_bureau(), roles=[Role.CAMPAIGN_OFFICE])
