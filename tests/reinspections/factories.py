"""Re-inspection rounds and rectifications reached through the services, the way the office
reaches them: the round opened, its report reported and scored, the office's decision."""

from datetime import date, timedelta

from django.utils import timezone

from applications.enums import ApplicationState
from applications.selectors import current_cycle
from designations.models import Designation
from organizations.models import User
from reinspections.models import Rectification, Reinspection
from reinspections.rounds import reinspection_decide, reinspection_open
from tests.conftest import cycle_make
from tests.states import reach_reinspection


def round_reported(designation: Designation, *, by: User) -> Reinspection:
    """The round of ``designation`` (due for re-inspection) opened by ``by`` with a deadline a
    month ahead (on the open cycle, opened if there is none), its report reported by the county
    head and its written review confirmed as passed: ready for the office's decision."""
    if current_cycle() is None:
        cycle_make()
    round_ = reinspection_open(
        designation=designation, deadline=timezone.localdate() + timedelta(days=30), by=by
    )
    reach_reinspection(round_.application, ApplicationState.WRITTEN_PASSED)
    return round_


def round_rectify(
    designation: Designation,
    *,
    by: User,
    deadline: date | None = None,
    requirements: list[str] | None = None,
    note: str = "工作滑坡",
) -> Rectification:
    """``designation`` due for re-inspection, decided through its round: rectification by
    ``deadline`` (60 days from today unless given) with ``requirements``. Returns the order."""
    round_ = round_reported(designation, by=by)
    reinspection_decide(
        reinspection=round_,
        by=by,
        kept=False,
        deadline=deadline or timezone.localdate() + timedelta(days=60),
        requirements=requirements or ["落实普法责任制清单", "补齐公共法律服务站点"],
        note=note,
    )
    return Rectification.objects.get(designation=designation, state="open")
