"""Named predicates on designations, publications and certificate batches.

The register is the campaign office's: it looks at every designation of the province and
is the only one to act on them. Nobody else sees the register; the public sees the
published list (no predicate: it is open).
"""

from organizations.enums import Role
from organizations.models import User
from organizations.selectors import has_role


def can_view_designations(user: User) -> bool:
    """The register, a designation's page and history, certificates, quota and dashboard."""
    return has_role(user, Role.CAMPAIGN_OFFICE)


def can_manage_designations(user: User | None) -> bool:
    """Designate, publish, keep the register, re-inspect, rectify, revoke, render certificates."""
    return user is not None and has_role(user, Role.CAMPAIGN_OFFICE)
