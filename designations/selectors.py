from organizations.models import Bureau

from .enums import HOLDING_STATES
from .models import Designation


def bureau_holds_designation(*, bureau: Bureau) -> bool:
    """Whether ``bureau`` holds the title now (active, due for re-inspection or rectifying)."""
    return Designation.objects.filter(bureau=bureau, state__in=HOLDING_STATES).exists()
