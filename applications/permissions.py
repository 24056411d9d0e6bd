"""Named predicates on applications: role membership, scope and state combined."""

from organizations.enums import Role
from organizations.models import User
from organizations.selectors import memberships_of

from .enums import ApplicationState
from .models import Application

COUNTY_ROLES = frozenset({Role.COUNTY_APPLICANT, Role.COUNTY_HEAD})
CITY_ROLES = frozenset({Role.CITY_REVIEWER, Role.CITY_HEAD})
EDITABLE_STATES = frozenset({ApplicationState.DRAFT, ApplicationState.RETURNED})


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


def can_create_application(user: User) -> bool:
    return any(m.role in COUNTY_ROLES for m in memberships_of(user))
