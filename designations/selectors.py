import math
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Q

from applications.models import Cycle
from evaluation.quota import Quota, quota_for
from organizations.models import Bureau

from .enums import HOLDING_STATES, DesignationState, PublicationKind
from .models import Designation, Publication
from .verification import verification_code_normalize, verification_code_valid


def bureau_holds_designation(*, bureau: Bureau) -> bool:
    """Whether ``bureau`` holds the title now (active, due for re-inspection or rectifying)."""
    return Designation.objects.filter(bureau=bureau, state__in=HOLDING_STATES).exists()


@dataclass(frozen=True)
class CycleQuota:
    cycle: Cycle
    designated: int
    supplements: int
    revoked: int


@dataclass(frozen=True)
class QuotaOverview:
    """The quota (``evaluation.quota.quota_for``: the one definition of the target and the
    places left) with the designations per cycle and over the horizon."""

    quota: Quota
    revoked: int
    cycles: list[CycleQuota]
    remaining_years: int

    @property
    def counties(self) -> int:
        return self.quota.counties

    @property
    def target(self) -> int:
        return self.quota.target

    @property
    def active(self) -> int:
        return self.quota.held

    @property
    def approved(self) -> int:
        return self.quota.approved

    @property
    def places_left(self) -> int:
        return self.quota.places_left

    @property
    def per_remaining_year(self) -> int:
        return (
            math.ceil(self.places_left / self.remaining_years)
            if self.remaining_years
            else self.places_left
        )


def quota_overview() -> QuotaOverview:
    """The quota of the latest cycle and where the province stands, per cycle and over the
    horizon. Places freed by revocations count as places left, to be filled by supplements."""
    cycles = list(Cycle.objects.order_by("year"))
    horizon = cycles[0].horizon_years if cycles else 3
    designations = list(
        Designation.objects.select_related("publication").only(
            "cycle_id", "state", "publication__kind"
        )
    )
    per_cycle = [
        CycleQuota(
            cycle=cycle,
            designated=sum(1 for d in designations if d.cycle_id == cycle.pk),
            supplements=sum(
                1
                for d in designations
                if d.cycle_id == cycle.pk
                and d.publication
                and d.publication.kind == PublicationKind.SUPPLEMENT
            ),
            revoked=sum(
                1
                for d in designations
                if d.cycle_id == cycle.pk and d.state == DesignationState.REVOKED
            ),
        )
        for cycle in cycles
    ]
    return QuotaOverview(
        quota=quota_for(cycles[-1] if cycles else None),
        revoked=sum(1 for d in designations if d.state == DesignationState.REVOKED),
        cycles=per_cycle,
        remaining_years=max(0, horizon - len(cycles)) + 1 if cycles else horizon,
    )


def titles_held_count() -> int:
    """How many bureaus hold the title now (the quota's ``titles_held``)."""
    return Designation.objects.filter(state__in=HOLDING_STATES).count()


# How far ahead the dashboard and the office's to-do look for re-inspections (six months).
REINSPECTION_HORIZON = timedelta(days=180)


def designation_due_counts(*, today: date) -> dict[str, int]:
    """The office's re-inspections and rectification deadlines, each coming (within six months
    for a re-inspection, on or after today for a rectification) or overdue (before today); a
    designation marked due for re-inspection without a date counts as coming. One query."""
    reinspection = Q(state__in=(DesignationState.ACTIVE, DesignationState.REINSPECTION_DUE))
    overdue = Q(reinspection_due__lt=today)
    coming = Q(reinspection_due__gte=today, reinspection_due__lte=today + REINSPECTION_HORIZON) | Q(
        state=DesignationState.REINSPECTION_DUE, reinspection_due__isnull=True
    )
    rectifying = Q(state=DesignationState.RECTIFYING)
    return Designation.objects.aggregate(
        reinspections_coming=Count("pk", filter=reinspection & coming),
        reinspections_overdue=Count("pk", filter=reinspection & overdue),
        rectifications_coming=Count("pk", filter=rectifying & ~Q(rectification_deadline__lt=today)),
        rectifications_overdue=Count("pk", filter=rectifying & Q(rectification_deadline__lt=today)),
    )


def bureau_designations_due_count(*, bureau: Bureau) -> int:
    """The county's own titles due for re-inspection or under rectification (its to-do)."""
    return Designation.objects.filter(
        bureau=bureau,
        state__in=(DesignationState.REINSPECTION_DUE, DesignationState.RECTIFYING),
    ).count()


def verification_lookup(code: str) -> Designation | Publication | None:
    """The designation or the publication whose code ``code`` is (as typed), or ``None``."""
    code = verification_code_normalize(code)
    if not verification_code_valid(code):
        return None
    designation = (
        Designation.objects.select_related("bureau__parent", "publication")
        .filter(verification_code=code)
        .first()
    )
    if designation is not None:
        return designation
    return Publication.objects.filter(verification_code=code).first()
