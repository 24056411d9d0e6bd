"""The quota (名额): the one definition of the target and of the places left.

The plan names about 10 % of the province's county bureaus within three years. The target is
that share of the *active county bureaus of the configured province* (``PORTAL_PROVINCE``),
rounded up (121 → 13). A place is taken by every bureau that holds the title (active, due
for re-inspection or rectifying) and by every application the Party committee approved that
is not designated yet; what remains are the places left, never below zero. A revocation
frees a place, to be filled by a supplement. The committee's decision page and the
designations' quota page both show these numbers from ``quota_for``.
"""

import math
from dataclasses import dataclass
from decimal import Decimal

from applications.enums import ApplicationState
from applications.models import Application, Cycle
from core.hooks import HookKind, HookPoint, hooks
from organizations.enums import BureauLevel
from organizations.selectors import province_bureaus

# The number of bureaus holding the title now: the designations app owns it.
TITLES_HELD: HookPoint = hooks.declare(HookKind.COUNT, "titles_held")


def quota_target(counties: int, ratio: Decimal) -> int:
    """``ratio`` of ``counties``, rounded up (121 × 10 % → 13)."""
    return math.ceil(Decimal(counties) * Decimal(ratio))


@dataclass(frozen=True)
class Quota:
    counties: int
    ratio: Decimal
    target: int
    held: int
    approved: int

    @property
    def taken(self) -> int:
        return self.held + self.approved

    @property
    def places_left(self) -> int:
        return max(0, self.target - self.taken)


def quota_for(cycle: Cycle | None) -> Quota:
    """Where the province stands against ``cycle``'s ratio (the latest cycle's when None)."""
    if cycle is None:
        cycle = Cycle.objects.order_by("-year").first()
    ratio = cycle.quota_ratio if cycle else Decimal(0)
    counties = province_bureaus().filter(level=BureauLevel.COUNTY, is_active=True).count()
    approved = Application.objects.filter(state=ApplicationState.APPROVED).count()
    return Quota(
        counties=counties,
        ratio=ratio,
        target=quota_target(counties, ratio),
        held=hooks.one(TITLES_HELD)(),
        approved=approved,
    )
