"""Named predicates on the public notice (公示).

The windows, the objections (with the objectors' names) and the holiday calendar are the
campaign office's; the public sees the windows and raises objections without logging in (no
predicate: those pages are open).
"""

from organizations.enums import Role
from organizations.models import User
from organizations.selectors import has_role


def can_view_notices(user: User | None) -> bool:
    """The windows, their objections and history, the holiday calendar."""
    return user is not None and has_role(user, Role.CAMPAIGN_OFFICE)


def can_manage_notices(user: User | None) -> bool:
    """Open a window, handle an objection, enter or import a year of the holiday calendar."""
    return user is not None and has_role(user, Role.CAMPAIGN_OFFICE)
