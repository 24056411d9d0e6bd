"""The day by which a county submits: one function for the cycle's, the city's and a
re-inspection round's deadline. Each is a day that ends at the next midnight, Beijing time
(``core.dates``)."""

from datetime import date

from organizations.models import Bureau

from .enums import ApplicationKind
from .models import Application, CountyDeadline, Cycle


def submission_deadline_for(*, cycle: Cycle, city: Bureau | int) -> date:
    """The day by which ``city``'s counties submit: the city's earlier one, else the cycle's."""
    own = CountyDeadline.objects.filter(cycle=cycle, city=city).first()
    return own.deadline if own else cycle.city_deadline


def county_deadline(application: Application) -> date:
    """The day by which this county submits: its city's earlier one, else the cycle's; for a
    re-inspection round, the day the office set when it opened the round."""
    if application.kind == ApplicationKind.REINSPECTION:
        return application.report_deadline
    return submission_deadline_for(cycle=application.cycle, city=application.county.parent_id)
