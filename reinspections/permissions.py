"""Named predicates on re-inspection rounds and rectifications.

The rounds are the campaign office's (``designations.permissions.can_manage_designations``:
it opens and decides them); a rectification is also the designated county's, whose applicant
and head report on it and whose head submits it. A system actor holds no role: every predicate
here answers no for it.
"""

from core.actors import SystemActor
from designations.permissions import can_manage_designations
from organizations.enums import Role
from organizations.models import User
from organizations.selectors import memberships_of


def _county_role_in(user: User | SystemActor | None, rectification, roles) -> bool:
    if user is None or isinstance(user, SystemActor) or not user.is_authenticated:
        return False
    bureau_id = rectification.designation.bureau_id
    return any(m.role in roles and m.bureau_id == bureau_id for m in memberships_of(user))


def can_view_rectification(user: User | SystemActor | None, rectification) -> bool:
    """The office, and the designated county's applicant and head."""
    return can_manage_designations(user) or _county_role_in(
        user, rectification, (Role.COUNTY_APPLICANT, Role.COUNTY_HEAD)
    )


def can_work_on_rectification(user: User | SystemActor | None, rectification) -> bool:
    """Upload and remove the report and evidence: the designated county's applicant or head."""
    return _county_role_in(user, rectification, (Role.COUNTY_APPLICANT, Role.COUNTY_HEAD))


def can_submit_rectification(user: User | SystemActor | None, rectification) -> bool:
    """Submit the rectification report: the designated county's head."""
    return _county_role_in(user, rectification, (Role.COUNTY_HEAD,))
