"""Named predicates on applications and cycles: role membership, scope and state combined.

Views load applications through the scoped selector first (outside the scope: 404) and then
ask these predicates whether the user may act (no: 403); the services ask them again about
``by`` before they change anything (``PermissionDenied``). A system actor
(``core.actors.SystemActor``) holds no role: only the cycles' predicate lets the loaders and
the demo through.
"""

from core.actors import SystemActor, is_system
from organizations.enums import Role
from organizations.models import Bureau, User
from organizations.selectors import has_role, memberships_of

from .enums import ApplicationState, CycleState
from .models import Application, Cycle
from .workflow import can_fire, submit_action

COUNTY_ROLES = frozenset({Role.COUNTY_APPLICANT, Role.COUNTY_HEAD})
CITY_ROLES = frozenset({Role.CITY_REVIEWER, Role.CITY_HEAD})
EDITABLE_STATES = frozenset({ApplicationState.DRAFT, ApplicationState.RETURNED})
# The stamped, signed form (盖章申报表扫描件) is wanted from the draft until the city forwards.
FORM_SCAN_STATES = EDITABLE_STATES | {
    ApplicationState.SUBMITTED,
    ApplicationState.CITY_APPROVED,
    ApplicationState.SIGNED_OFF,
}


def is_county_member(user: User, application: Application) -> bool:
    return any(
        m.role in COUNTY_ROLES and m.bureau_id == application.county_id
        for m in memberships_of(user)
    )


def is_city_member(user: User, application: Application) -> bool:
    return any(
        m.role in CITY_ROLES and m.bureau_id == application.county.parent_id
        for m in memberships_of(user)
    )


def can_edit_application(user: User, application: Application) -> bool:
    """County applicant or head of the application's own county, while a draft or returned."""
    return application.state in EDITABLE_STATES and is_county_member(user, application)


def can_upload_form_scan(user: User, application: Application) -> bool:
    """The county uploads its stamped, signed form: while it may edit, and after submission
    until the city forwards (the city needs it for forwarding)."""
    return application.state in FORM_SCAN_STATES and is_county_member(user, application)


def is_county_head(user: User, application: Application) -> bool:
    return any(
        m.role == Role.COUNTY_HEAD and m.bureau_id == application.county_id
        for m in memberships_of(user)
    )


def can_create_application(user: User | SystemActor, county: Bureau | None = None) -> bool:
    """County applicant or head (of ``county`` when given: a bureau applies for itself).
    Whether the cycle and the bureau allow it is the service's."""
    return any(
        m.role in COUNTY_ROLES and (county is None or m.bureau_id == county.pk)
        for m in memberships_of(user)
    )


def can_submit_application(user: User, application: Application) -> bool:
    """The head of the application's own county, while a draft (submit) or returned (resubmit).

    The submission's guards (deadline, completeness, pledge) are the workflow's to check.
    """
    return can_fire(user, application, submit_action(application))


def can_withdraw_application(user: User, application: Application) -> bool:
    """The head of the application's own county (not of a re-inspection round).

    Whether the state still allows it (not after the city's approval) is the workflow's
    answer, shown as a message: the head's late click is explained, not refused with 403.
    """
    return not application.is_reinspection and is_county_head(user, application)


def can_manage_cycles(user: User | SystemActor) -> bool:
    """The campaign office creates, opens and closes cycles and sets their figures; so do the
    loaders and the demo (``SystemActor.LOADER``, ``DEMO``), which set up the cycles they load."""
    if isinstance(user, SystemActor):
        return is_system(user, SystemActor.LOADER, SystemActor.DEMO)
    return has_role(user, Role.CAMPAIGN_OFFICE)


def can_set_county_deadline(
    user: User | SystemActor, cycle: Cycle | None = None, city: Bureau | None = None
) -> bool:
    """A city head, for its own counties (of ``city`` when given); not once the cycle is
    closed."""
    if cycle is not None and cycle.state == CycleState.CLOSED:
        return False
    return any(
        m.role == Role.CITY_HEAD and (city is None or m.bureau_id == city.pk)
        for m in memberships_of(user)
    )


def can_see_contact(user: User, application: Application) -> bool:
    """The county contact's name and phone (personal information) are shown in full to those
    who handle the application: its county, its city and the campaign office; masked to anyone
    else who may see the application (an evaluator)."""
    return (
        is_county_member(user, application)
        or is_city_member(user, application)
        or any(m.role == Role.CAMPAIGN_OFFICE for m in memberships_of(user))
    )


def can_follow_progress(user: User) -> bool:
    """The counties' progress page: the city roles (their city's) and the campaign office (the
    province's)."""
    return any(m.role in CITY_ROLES or m.role == Role.CAMPAIGN_OFFICE for m in memberships_of(user))
