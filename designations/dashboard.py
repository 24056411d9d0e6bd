"""The campaign office's dashboard: the cycle by city and stage, designations, what is due."""

from collections import Counter, defaultdict

from django.utils import timezone

from applications.enums import ApplicationKind, ApplicationState
from applications.models import Application
from applications.selectors import current_cycle
from organizations.selectors import province_cities

from .enums import HOLDING_STATES, DesignationState
from .models import Designation
from .selectors import REINSPECTION_HORIZON

# The stages shown, in the plan's order, each a set of application states.
STAGES = (
    ("county", (ApplicationState.DRAFT, ApplicationState.RETURNED)),
    (
        "city",
        (ApplicationState.SUBMITTED, ApplicationState.CITY_APPROVED, ApplicationState.SIGNED_OFF),
    ),
    ("written", (ApplicationState.FORWARDED,)),
    ("inspection", (ApplicationState.WRITTEN_PASSED,)),
    ("decision", (ApplicationState.INSPECTED_PASSED, ApplicationState.APPROVED)),
    ("designated", (ApplicationState.DESIGNATED,)),
    (
        "out",
        (
            ApplicationState.WITHDRAWN,
            ApplicationState.NOT_RECOMMENDED,
            ApplicationState.WRITTEN_FAILED,
            ApplicationState.INSPECTED_FAILED,
            ApplicationState.NOT_APPROVED,
        ),
    ),
)


def dashboard_data() -> dict:
    cycle = current_cycle()
    cities = list(province_cities())
    stage_of = {state: stage for stage, states in STAGES for state in states}
    by_city: dict[int, Counter] = defaultdict(Counter)
    if cycle is not None:
        for parent_id, state in Application.objects.filter(
            cycle=cycle, kind=ApplicationKind.APPLICATION
        ).values_list("county__parent_id", "state"):
            by_city[parent_id][stage_of[state]] += 1
    designations = Designation.objects.filter(state__in=HOLDING_STATES).values_list(
        "bureau__parent_id", flat=True
    )
    designated = Counter(designations)
    today = timezone.localdate()
    return {
        "cycle": cycle,
        "today": today,
        "stages": [stage for stage, _states in STAGES],
        "rows": [
            {
                "city": city,
                "stages": [by_city[city.pk][stage] for stage, _states in STAGES],
                "designated": designated[city.pk],
            }
            for city in cities
        ],
        "reinspections": Designation.objects.filter(
            state__in=(DesignationState.ACTIVE, DesignationState.REINSPECTION_DUE),
            reinspection_due__lte=today + REINSPECTION_HORIZON,
        )
        .select_related("bureau")
        .order_by("reinspection_due")[:20],
        "rectifications": Designation.objects.filter(state=DesignationState.RECTIFYING)
        .select_related("bureau")
        .order_by("rectification_deadline")[:20],
    }
