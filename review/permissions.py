"""Named predicates of the city's review: the role held in the right city, and the state."""

from applications.models import Application
from organizations.enums import Role
from organizations.models import Bureau, User
from organizations.selectors import has_role, memberships_of

CITY_ROLES = (Role.CITY_REVIEWER, Role.CITY_HEAD)


def _holds(user: User, city: Bureau | None, *roles: str) -> bool:
    """Whether ``user`` holds one of ``roles`` in ``city`` (never for no city)."""
    if city is None:
        return False
    return any(m.role in roles and m.bureau_id == city.pk for m in memberships_of(user))


def can_use_city_review(user: User) -> bool:
    """City reviewers and heads have the city's pages (their own city's, by the selectors)."""
    return any(m.role in CITY_ROLES for m in memberships_of(user))


def can_review_application(user: User, application: Application) -> bool:
    """The preliminary review page: the reviewer or head of the application's own city."""
    return _holds(user, application.county.parent, *CITY_ROLES)


def can_record_party_meeting(user: User, city: Bureau) -> bool:
    """The Party meeting's sign-off is recorded by the city head."""
    return _holds(user, city, Role.CITY_HEAD)


def can_forward(user: User, city: Bureau) -> bool:
    """The city head forwards the city's signed-off applications and uploads the stamped scan."""
    return _holds(user, city, Role.CITY_HEAD)


def can_grant_deadline_extension(user: User) -> bool:
    """Only the campaign office lets a city forward after the deadline."""
    return has_role(user, Role.CAMPAIGN_OFFICE)
