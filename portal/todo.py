"""The to-do list of each role: what is waiting for the user, counted, each count a link to the
list it counts (filtered where the list filters).

Every entry is one ``Entry`` in its role's table: a label, a count read from the owning app's
selector (``None``: the entry does not apply now, and is not shown) and the list it links to.
Adding one is one line in the table (``Entry(label, count, list)``).

The counts are cheap: the tables call a fixed set of selectors, each a fixed number of queries,
and what several entries share (the cycle, the counts per state) is read once per page.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from applications.completeness import completeness_of
from applications.deadlines import submission_deadline_for
from applications.enums import ApplicationState as S
from applications.models import Application, Cycle
from applications.permissions import EDITABLE_STATES
from applications.selectors import (
    application_of,
    current_cycle,
    state_counts,
)
from core.dates import days_left
from designations.selectors import (
    bureau_designations_due_count,
    designation_due_counts,
)
from evaluation.selectors import evaluator_counts, visits_to_schedule_count, written_review_counts
from notices.selectors import naming_counts, objections_waiting_count
from organizations.enums import Role
from organizations.models import Membership, User
from organizations.selectors import memberships_of
from review.selectors import batches_without_scan_count, forwarding_deadline_for

# A deadline this close (in days) is shown as urgent.
URGENT_DAYS = 7


class Shared:
    """What the entries of one page share, read at most once: today, the open cycle."""

    def __init__(self) -> None:
        self.today: date = timezone.localdate()

    @cached_property
    def cycle(self) -> Cycle | None:
        return current_cycle()


@dataclass
class Scope:
    """One of the user's memberships, with what its entries read, each read once."""

    user: User
    membership: Membership
    shared: Shared

    @property
    def cycle(self) -> Cycle | None:
        return self.shared.cycle

    @property
    def today(self) -> date:
        return self.shared.today

    @property
    def bureau(self):
        return self.membership.bureau

    @cached_property
    def states(self) -> dict[str, int]:
        """The cycle's applications per state: the city's counties', or the province's."""
        city = self.bureau if self.membership.role in (Role.CITY_REVIEWER, Role.CITY_HEAD) else None
        return state_counts(cycle=self.cycle, city=city)

    @cached_property
    def application(self) -> Application | None:
        return application_of(county=self.bureau, cycle=self.cycle)

    @cached_property
    def designations_due(self) -> dict[str, int]:
        return designation_due_counts(today=self.today)

    @cached_property
    def naming(self) -> dict[str, int]:
        return naming_counts()

    @cached_property
    def written(self) -> dict[str, int]:
        return written_review_counts(cycle=self.cycle)

    @cached_property
    def evaluator(self) -> dict[str, int]:
        return evaluator_counts(user=self.user, today=self.today)

    def days_to(self, deadline: date) -> int:
        return days_left(deadline, self.today)


@dataclass(frozen=True)
class Todo:
    label: str
    count: int
    url: str
    # "days": the count is the days left to a deadline, not a number of things to do.
    unit: str = "count"
    urgent: bool = False
    # What the entry adds to the menu's total.
    tally: int = 0


def _never(_scope: Scope, _count: int) -> bool:
    return False


@dataclass(frozen=True)
class Entry:
    label: Promise
    count: Callable[[Scope], int | None]
    # A URL name (reversed without arguments, ``query`` appended) or the URL from the scope.
    url: str | Callable[[Scope], str]
    query: str = ""
    unit: str = "count"
    # Whether a count is urgent (overdue, a deadline close); by default none is.
    urgent: Callable[[Scope, int], bool] = _never
    # The menu's total counts the entry as one thing to do (an incomplete form), not its count.
    once: bool = False

    def resolve(self, scope: Scope) -> Todo | None:
        count = self.count(scope)
        if count is None:
            return None
        url = self.url(scope) if callable(self.url) else reverse(self.url)
        if self.query:
            url = f"{url}?{self.query}"
        tally = 0 if self.unit == "days" else min(count, 1) if self.once else count
        return Todo(str(self.label), count, url, self.unit, self.urgent(scope, count), tally)


def _editable(scope: Scope) -> Application | None:
    application = scope.application
    return application if application is not None and application.state in EDITABLE_STATES else None


def _left_to_fill(scope: Scope) -> int | None:
    application = _editable(scope)
    if application is None:
        return None
    report = completeness_of(application)
    return len(report.form_missing) + report.item_count - report.answered_count


def _own_application_url(scope: Scope, page: str = "applications:detail") -> str:
    if scope.application is None:
        return reverse("applications:list")
    return reverse(page, args=[scope.application.pk])


def _days_to_submit(scope: Scope) -> int | None:
    cycle = scope.cycle
    if cycle is None or (scope.application is not None and _editable(scope) is None):
        return None
    return scope.days_to(submission_deadline_for(cycle=cycle, city=scope.bureau.parent))


def _days_to_forward(scope: Scope) -> int | None:
    if scope.cycle is None:
        return None
    deadline, _extension = forwarding_deadline_for(
        cycle=scope.cycle, city=scope.bureau, now=timezone.now()
    )
    return scope.days_to(deadline)


def _close(_scope: Scope, days: int) -> bool:
    return days <= URGENT_DAYS


def _any(_scope: Scope, count: int) -> bool:
    return count > 0


COUNTY = [
    Entry(
        _("Items and form fields left to fill in"),
        _left_to_fill,
        lambda s: _own_application_url(s, "applications:completeness"),
        once=True,
    ),
    Entry(
        _("Returned for revision"),
        lambda s: None if s.application is None else int(s.application.state == S.RETURNED),
        _own_application_url,
        urgent=_any,
    ),
    Entry(
        _("Days to the submission deadline"),
        _days_to_submit,
        "applications:list",
        unit="days",
        urgent=_close,
    ),
    Entry(
        _("Re-inspection or rectification due"),
        lambda s: bureau_designations_due_count(bureau=s.bureau),
        "public_list",
        urgent=_any,
    ),
]
CITY_REVIEWER = [
    Entry(
        _("Waiting for the preliminary review"),
        lambda s: s.states.get(S.SUBMITTED, 0),
        "review:dashboard",
        query=f"state={S.SUBMITTED}",
    ),
]
CITY_HEAD = [
    Entry(
        _("Waiting for the Party meeting"),
        lambda s: s.states.get(S.CITY_APPROVED, 0),
        "review:meetings",
    ),
    Entry(_("Ready to forward"), lambda s: s.states.get(S.SIGNED_OFF, 0), "review:forward"),
    Entry(
        _("Stamped cover letters missing"),
        lambda s: batches_without_scan_count(city=s.bureau, cycle=s.cycle),
        "review:forward",
        urgent=_any,
    ),
    Entry(
        _("Days to the forwarding deadline"),
        _days_to_forward,
        "review:forward",
        unit="days",
        urgent=_close,
    ),
]
OFFICE = [
    Entry(_("Sections not assigned"), lambda s: s.written["unassigned"], "evaluation:assignments"),
    Entry(_("Written results to confirm"), lambda s: s.written["to_confirm"], "evaluation:ranking"),
    Entry(
        _("Visits to schedule"),
        lambda s: visits_to_schedule_count(cycle=s.cycle),
        "evaluation:inspections",
    ),
    Entry(
        _("Decisions to record"),
        lambda s: s.states.get(S.INSPECTED_PASSED, 0) + s.states.get(S.INSPECTED_FAILED, 0),
        "evaluation:decisions",
    ),
    Entry(_("Bureaus to put on public notice"), lambda s: s.naming["to_notice"], "notices:open"),
    Entry(
        _("Bureaus to name (public notice closed)"),
        lambda s: s.naming["to_name"],
        "designations:designate",
    ),
    Entry(
        _("Re-inspections in the next six months"),
        lambda s: s.designations_due["reinspections_coming"],
        "designations:dashboard",
    ),
    Entry(
        _("Re-inspections overdue"),
        lambda s: s.designations_due["reinspections_overdue"],
        "designations:dashboard",
        urgent=_any,
    ),
    Entry(
        _("Rectification deadlines coming"),
        lambda s: s.designations_due["rectifications_coming"],
        "designations:dashboard",
    ),
    Entry(
        _("Rectification deadlines passed"),
        lambda s: s.designations_due["rectifications_overdue"],
        "designations:dashboard",
        urgent=_any,
    ),
    Entry(
        _("Objections waiting"),
        lambda s: objections_waiting_count(),
        "notices:list",
        urgent=_any,
    ),
]
EVALUATOR = [
    Entry(_("Sheets to score"), lambda s: s.evaluator["to_score"], "evaluation:my_sheets"),
    Entry(_("Sheets to sign"), lambda s: s.evaluator["to_sign"], "evaluation:my_sheets"),
    Entry(
        _("Visits this week"),
        lambda s: s.evaluator["visits"],
        lambda s: reverse("evaluation:inspections") + "?week=" + s.today.strftime("%G-W%V"),
    ),
]

TABLES: dict[str, list[Entry]] = {
    Role.COUNTY_APPLICANT: COUNTY,
    Role.COUNTY_HEAD: COUNTY,
    Role.CITY_REVIEWER: CITY_REVIEWER,
    Role.CITY_HEAD: CITY_HEAD,
    Role.CAMPAIGN_OFFICE: OFFICE,
    Role.EVALUATOR: EVALUATOR,
}


def todos_of(membership: Membership, *, user: User, shared: Shared | None = None) -> list[Todo]:
    """The to-do entries of one of ``user``'s memberships (none for the administrators)."""
    scope = Scope(user=user, membership=membership, shared=shared or Shared())
    resolved = (entry.resolve(scope) for entry in TABLES.get(membership.role, ()))
    return [todo for todo in resolved if todo is not None]


def todo_total(user: User) -> int:
    """Things waiting for ``user`` over all their roles: the menu's badge (each entry's
    ``tally``; a county's two roles count their one application once)."""
    shared = Shared()
    seen: set[tuple[int, int | None]] = set()
    total = 0
    for membership in memberships_of(user):
        table = TABLES.get(membership.role)
        key = (id(table), membership.bureau_id or membership.division_id)
        if table is None or key in seen:
            continue
        seen.add(key)
        total += sum(todo.tally for todo in todos_of(membership, user=user, shared=shared))
    return total
