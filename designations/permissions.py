"""Named predicates on designations, publications and certificate batches.

The register is the campaign office's: it looks at every designation of the province and
is the only one to act on them. Nobody else sees the register; the public sees the
published list (no predicate: it is open), and a county its own published certificate.
The services ask these predicates about ``by`` before they change anything
(``PermissionDenied``). A system actor (``core.actors.SystemActor``) holds no role: every
predicate here answers no for it (the daily job's one move is the workflow table's).
"""

from applications.permissions import COUNTY_ROLES
from core.actors import SystemActor
from organizations.enums import Role
from organizations.models import User
from organizations.selectors import has_role, memberships_of

from .enums import HOLDING_STATES


def can_view_designations(user: User) -> bool:
    """The register, a designation's page and history, certificates, quota and dashboard."""
    return has_role(user, Role.CAMPAIGN_OFFICE)


def can_download_certificate(user: User, designation) -> bool:
    """The office any certificate; the county its own, once published and while it holds it."""
    if can_view_designations(user):
        return True
    return (
        designation.publication_id is not None
        and designation.state in HOLDING_STATES
        and any(
            m.role in COUNTY_ROLES and m.bureau_id == designation.bureau_id
            for m in memberships_of(user)
        )
    )


def can_manage_designations(user: User | SystemActor | None) -> bool:
    """Designate, publish, keep the register, re-inspect, rectify, revoke, render certificates;
    keep the holiday calendar, open public notices and handle objections."""
    return user is not None and has_role(user, Role.CAMPAIGN_OFFICE)
