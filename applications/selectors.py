"""Reads on applications, scoped by the user."""

from django.db.models import F, Max, Q, QuerySet
from django.shortcuts import get_object_or_404

from core.hooks import hooks
from organizations.enums import Role
from organizations.models import Bureau, User
from organizations.selectors import memberships_of

from .enums import Action, ApplicationState, CycleState
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
    return [m.bureau for m in memberships_of(user) if m.role == Role.CITY_HEAD]


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
