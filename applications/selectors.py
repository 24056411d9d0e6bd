"""Reads on applications, scoped by the user."""

from django.db.models import Count, F, Max, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from core.hooks import hooks
from organizations.enums import BureauLevel, Role
from organizations.models import Bureau, User
from organizations.selectors import memberships_of, province_bureaus

from .enums import NOT_STARTED, Action, ApplicationState, CycleState
from .hooks import EVALUATOR_VISIBILITY
from .models import Application, ApplicationEvent, Cycle, ReviewComment
from .permissions import CITY_ROLES, COUNTY_ROLES

# States the province sees: everything from forwarding on.
PROVINCE_STATES = (
    ApplicationState.FORWARDED,
    ApplicationState.WRITTEN_PASSED,
    ApplicationState.WRITTEN_FAILED,
    ApplicationState.INSPECTED_PASSED,
    ApplicationState.INSPECTED_FAILED,
    ApplicationState.APPROVED,
    ApplicationState.NOT_APPROVED,
    ApplicationState.DESIGNATED,
)


def applications_visible_to(*, user: User) -> QuerySet[Application]:
    """Applications ``user`` may open.

    - county applicant and head: their own county's, in every state;
    - city reviewer and head: their counties', once submitted (a draft stays the county's);
    - campaign office: every county's, once forwarded;
    - evaluators: the applications with a section assigned to them or an inspection they are
      on (the ``EVALUATOR_VISIBILITY`` hook, registered by evaluation);
    - anyone else (administrators, other bureaus): none.
    """
    qs = Application.objects.select_related("cycle", "county__parent")
    if not user.is_authenticated:
        return qs.none()
    condition = Q(pk__in=[])
    for membership in memberships_of(user):
        if membership.role in COUNTY_ROLES:
            condition |= Q(county_id=membership.bureau_id)
        elif membership.role in CITY_ROLES:
            condition |= Q(county__parent_id=membership.bureau_id, submitted_at__isnull=False)
        elif membership.role == Role.CAMPAIGN_OFFICE:
            condition |= Q(state__in=PROVINCE_STATES)
        elif membership.role == Role.EVALUATOR:
            for hook in hooks.all(EVALUATOR_VISIBILITY):
                condition |= hook(user)
    return qs.filter(condition)


def current_cycle() -> Cycle | None:
    """The cycle open for applications now (at most one is open), with its criteria version."""
    return Cycle.objects.filter(state=CycleState.OPEN).select_related("criteria_version").first()


def application_for(*, user: User, pk: int) -> Application:
    """The application ``pk`` if ``user`` may see it, else 404 (never 403: no hint it exists)."""
    return get_object_or_404(applications_visible_to(user=user), pk=pk)


def history_of(application: Application) -> QuerySet[ApplicationEvent]:
    return application.events.select_related("actor").order_by("created_at", "id")


def own_county(*, user: User) -> Bureau | None:
    """The county bureau the user applies for (county applicant or head), if any."""
    return next((m.bureau for m in memberships_of(user) if m.role in COUNTY_ROLES), None)


def cities_headed_by(*, user: User) -> list[Bureau]:
    """The city bureaus the user heads: whose counties' deadline the user may set."""
    return [
        m.bureau for m in memberships_of(user) if m.role == Role.CITY_HEAD and m.bureau is not None
    ]


def state_counts(*, cycle: Cycle | None, city: Bureau | None = None) -> dict[str, int]:
    """How many of ``cycle``'s applications are in each state, of ``city``'s counties only when
    given (one query; a state nobody is in is absent). The to-do lists read their counts here."""
    if cycle is None:
        return {}
    qs = Application.objects.filter(cycle=cycle)
    if city is not None:
        qs = qs.filter(county__parent=city)
    return dict(qs.values("state").annotate(n=Count("pk")).values_list("state", "n"))


def application_of(*, county: Bureau, cycle: Cycle | None) -> Application | None:
    """The county's application of ``cycle``, if it started one (for its own to-do list)."""
    if cycle is None:
        return None
    return Application.objects.filter(cycle=cycle, county=county).select_related("cycle").first()


def bureau_search(qs: QuerySet, text: str, *, prefix: str = "") -> QuerySet:
    """``qs`` narrowed to the bureaus whose name contains ``text`` or whose code starts with it;
    ``prefix`` is the lookup path to the bureau (``"county__"`` on applications)."""
    text = text.strip()
    if not text:
        return qs
    return qs.filter(
        Q(**{f"{prefix}name__icontains": text}) | Q(**{f"{prefix}code__startswith": text})
    )


def counties_followed_by(*, user: User) -> QuerySet[Bureau]:
    """The county bureaus whose progress ``user`` follows.

    - city reviewer and head: the active counties of their city;
    - campaign office: every active county of the province;
    - anyone else: none.
    """
    roles = {m.role for m in memberships_of(user)}
    counties = Bureau.objects.filter(level=BureauLevel.COUNTY, is_active=True)
    if Role.CAMPAIGN_OFFICE in roles:
        return counties.filter(pk__in=province_bureaus().filter(level=BureauLevel.COUNTY))
    cities = [m.bureau_id for m in memberships_of(user) if m.role in CITY_ROLES]
    return counties.filter(parent_id__in=cities)


def county_progress(*, user: User, cycle: Cycle | None) -> QuerySet[Bureau]:
    """The counties ``user`` follows (``counties_followed_by``), by code, each with its
    application of ``cycle`` left-joined: ``stage`` (the application's state, ``NOT_STARTED``
    when it has none) and ``application_id`` (None). One query, whatever the number of rows."""
    applications = Application.objects.filter(cycle=cycle, county=OuterRef("pk"))
    return (
        counties_followed_by(user=user)
        .select_related("parent")
        .annotate(
            application_id=Subquery(applications.values("pk")[:1]),
            stage=Coalesce(Subquery(applications.values("state")[:1]), Value(NOT_STARTED)),
        )
        .order_by("code")
    )


def comments_to_fix(application: Application) -> list[ReviewComment]:
    """The city's comments of the round it returned, while the application is returned: the
    general ones first, then item by item in the criteria's order. Empty in any other state."""
    if application.state != ApplicationState.RETURNED:
        return []
    last = application.review_comments.aggregate(last=Max("round"))["last"]
    return list(
        application.review_comments.filter(round=last)
        .select_related("item__section", "author")
        .order_by(
            F("item__section__number").asc(nulls_first=True), "item__order", "created_at", "id"
        )
    )


def returned_to(*, user: User) -> list[tuple[Application, ApplicationEvent | None, int]]:
    """The user's own county's returned applications, each with the return (who, when, why)
    and the number of comments to fix. Empty for anyone outside a county."""
    county = own_county(user=user)
    if county is None:
        return []
    out = []
    for application in Application.objects.filter(
        county=county, state=ApplicationState.RETURNED
    ).select_related("cycle", "county"):
        event = (
            application.events.filter(action=Action.RETURN)
            .select_related("actor")
            .order_by("-id")
            .first()
        )
        out.append((application, event, len(comments_to_fix(application))))
    return out
