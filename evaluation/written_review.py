"""The province's written review (书面审查): assignments, score sheets, pass rule, ranking."""

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Prefetch, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, get_objects_for_user, remove_perm

from applications.enums import ApplicationKind, ApplicationState
from applications.models import Application, Cycle
from audit.services import audit_record
from organizations.enums import Role
from organizations.models import Division, Membership, User
from standards.models import CriteriaVersion, Item, Section

from .decisions import with_decision_in_force
from .enums import Rating
from .models import Assignment, ItemScore, ScoreSheet, WrittenTotal
from .permissions import SCORE_PERMISSION, can_run_evaluation, can_score_sheet

PERMISSION = SCORE_PERMISSION
IN_WRITTEN_REVIEW = (ApplicationState.FORWARDED,)


class ScoreConflict(Exception):
    """Someone saved the sheet since this user loaded it; ``current`` holds their values."""

    def __init__(self, sheet: ScoreSheet) -> None:
        super().__init__(_("Another evaluator saved this section in the meantime."))
        self.sheet = sheet
        self.current = {s.item_id: s for s in sheet.scores.select_related("updated_by")}


def score_sheets_ensure(*, application: Application) -> list[ScoreSheet]:
    """The application's seven sheets, created on first need."""
    sections = application.cycle.criteria_version.sections.order_by("number")
    return [
        ScoreSheet.objects.get_or_create(application=application, section=section)[0]
        for section in sections
    ]


def evaluator_divisions(user: User) -> set[int]:
    return set(
        Membership.objects.filter(user=user, role=Role.EVALUATOR).values_list(
            "division_id", flat=True
        )
    )


@transaction.atomic
def evaluator_assign(*, sheet: ScoreSheet, evaluator: User, by: User) -> Assignment:
    """Give ``evaluator`` the section ``sheet``: an Assignment row and the object permission.

    The campaign office's (``PermissionDenied`` first). The evaluator must belong to a division
    that owns the section (domain.md §1).
    """
    _ensure_runs_evaluation(by)
    owners = set(sheet.section.owners.values_list("pk", flat=True))
    if not owners & evaluator_divisions(evaluator):
        raise ValidationError(
            _("%(user)s is not in a division that owns section %(n)d.")
            % {"user": evaluator.get_full_name(), "n": sheet.section.number}
        )
    if sheet.application.state not in IN_WRITTEN_REVIEW:
        raise ValidationError(_("Only forwarded applications are assigned for the written review."))
    assignment, created = Assignment.objects.get_or_create(
        sheet=sheet, evaluator=evaluator, defaults={"assigned_by": by}
    )
    assign_perm(PERMISSION, evaluator, sheet)
    if created:
        audit_record(
            action="assignment.granted",
            actor=by,
            obj=sheet,
            details={"evaluator": evaluator.get_username()},
        )
    return assignment


def _ensure_runs_evaluation(by: User) -> None:
    if not can_run_evaluation(by):
        raise PermissionDenied(_("Only the campaign office assigns the sections."))


@transaction.atomic
def evaluator_unassign(*, assignment: Assignment, by: User) -> None:
    """Take the section back: the object permission and the Assignment row go (the campaign
    office's, ``PermissionDenied`` otherwise)."""
    _ensure_runs_evaluation(by)
    remove_perm(PERMISSION, assignment.evaluator, assignment.sheet)
    audit_record(
        action="assignment.revoked",
        actor=by,
        obj=assignment.sheet,
        details={"evaluator": assignment.evaluator.get_username()},
    )
    assignment.delete()


@transaction.atomic
def evaluators_assign_section(
    *, cycle: Cycle, section_number: int, division: Division, by: User
) -> int:
    """Assign section ``section_number`` of every forwarded application of ``cycle`` to every
    evaluator of ``division``. Returns the number of new assignments. The campaign office's
    (``PermissionDenied``)."""
    _ensure_runs_evaluation(by)
    evaluators = User.objects.filter(
        is_active=True, memberships__role=Role.EVALUATOR, memberships__division=division
    ).distinct()
    created = 0
    applications = Application.objects.filter(cycle=cycle, state__in=IN_WRITTEN_REVIEW)
    for application in applications.select_related("cycle__criteria_version"):
        sheet = next(
            s
            for s in score_sheets_ensure(application=application)
            if s.section.number == section_number
        )
        for evaluator in evaluators:
            before = Assignment.objects.filter(sheet=sheet, evaluator=evaluator).exists()
            evaluator_assign(sheet=sheet, evaluator=evaluator, by=by)
            created += not before
    return created


def sheets_for(*, user: User) -> QuerySet[ScoreSheet]:
    """The sheets ``user`` may score: object permissions only, never a global permission."""
    return get_objects_for_user(
        user, PERMISSION, klass=ScoreSheet, accept_global_perms=False
    ).select_related("application__county__parent", "application__cycle", "section")


@transaction.atomic
def sheet_save(
    *, sheet: ScoreSheet, by: User, version: int, ratings: dict[int, tuple[str, bool, str]]
) -> ScoreSheet:
    """Save ratings ``{item_id: (rating, veto_failed, comment)}`` on the sheet's ``version``.

    Optimistic locking: if anyone saved the sheet since ``version``, nothing is written and
    ``ScoreConflict`` carries their values. A signed sheet is not changed.
    """
    if not can_score_sheet(by, sheet):
        raise PermissionDenied(_("This section is not assigned to you."))
    updated = ScoreSheet.objects.filter(
        pk=sheet.pk, version=version, signed_at__isnull=True
    ).update(version=F("version") + 1)
    if not updated:
        sheet.refresh_from_db()
        if sheet.signed_at is not None:
            raise ValidationError(_("This section is signed; it can no longer be changed."))
        raise ScoreConflict(sheet)
    items = {i.pk: i for i in Item.objects.filter(section=sheet.section_id)}
    before = {
        s.item_id: (s.rating, s.veto_failed, s.comment)
        for s in ItemScore.objects.filter(sheet=sheet)
    }
    changes = {}
    for item_id, (rating, veto_failed, comment) in ratings.items():
        if item_id not in items:
            continue
        new = (rating, bool(veto_failed) and items[item_id].is_veto, comment)
        old = before.get(item_id, ("", False, ""))
        if new == old:
            continue
        ItemScore.objects.update_or_create(
            sheet=sheet,
            item=items[item_id],
            defaults={"rating": new[0], "veto_failed": new[1], "comment": new[2], "updated_by": by},
        )
        changes[items[item_id].code] = {"old": list(old), "new": list(new)}
    _totals_keep(sheet)
    sheet.refresh_from_db()
    audit_record(
        action="score.save", actor=by, obj=sheet, details={"version": sheet.version, **changes}
    )
    return sheet


def _factors(version: CriteriaVersion) -> dict[str, Decimal]:
    return {
        Rating.MET: version.met_percent / 100,
        Rating.PARTLY_MET: version.partly_met_percent / 100,
        Rating.NOT_MET: Decimal(0),
    }


def sheet_points(scores, factor: dict[str, Decimal]) -> tuple[Decimal, list[str]]:
    """A sheet's points and its failed veto items ("code title", in the items' order), from
    its item scores (each with its ``item``)."""
    points, vetoes = Decimal(0), []
    for score in sorted(scores, key=lambda s: (s.item.order, s.item.code)):
        points += score.item.points * factor.get(score.rating, Decimal(0))
        if score.item.is_veto and (score.veto_failed or score.rating == Rating.NOT_MET):
            vetoes.append(f"{score.item.code} {score.item.title}")
    return points, vetoes


def _totals_keep(sheet: ScoreSheet) -> None:
    """Store the sheet's points and failed vetoes, then its application's weighted total."""
    version = Section.objects.select_related("version").get(pk=sheet.section_id).version
    scores = ItemScore.objects.filter(sheet=sheet).select_related("item")
    points, vetoes = sheet_points(scores, _factors(version))
    ScoreSheet.objects.filter(pk=sheet.pk).update(points=points, vetoes_failed=vetoes)
    total = ScoreSheet.objects.filter(application_id=sheet.application_id).aggregate(
        total=Sum(F("points") * F("section__weight"))
    )["total"]
    WrittenTotal.objects.update_or_create(
        application_id=sheet.application_id, defaults={"points": total or Decimal(0)}
    )


@transaction.atomic
def sheet_sign(*, sheet: ScoreSheet, by: User) -> ScoreSheet:
    """The evaluator signs the section: every item must be rated."""
    if not can_score_sheet(by, sheet):
        raise PermissionDenied(_("This section is not assigned to you."))
    sheet = ScoreSheet.objects.select_for_update().get(pk=sheet.pk)
    rated = set(sheet.scores.exclude(rating="").values_list("item_id", flat=True))
    missing = Item.objects.filter(section=sheet.section_id).exclude(pk__in=rated)
    if missing.exists():
        raise ValidationError(
            _("Rate every item first: %(codes)s")
            % {"codes": "、".join(missing.values_list("code", flat=True))}
        )
    if sheet.signed_at is None:
        sheet.signed_by, sheet.signed_at = by, timezone.now()
        sheet.save(update_fields=["signed_by", "signed_at"])
        audit_record(action="score.sign", actor=by, obj=sheet)
    return sheet


@dataclass
class SectionResult:
    section: Section
    points: Decimal
    maximum: Decimal
    signed: bool

    @property
    def percent(self) -> Decimal:
        return (
            (self.points / self.maximum * 100).quantize(Decimal("0.01"))
            if self.maximum
            else Decimal(0)
        )


@dataclass
class WrittenResult:
    application: Application
    sections: list[SectionResult] = field(default_factory=list)
    vetoes_failed: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return len(self.sections) > 0 and all(s.signed for s in self.sections)

    @property
    def total(self) -> Decimal:
        return sum((s.points * s.section.weight for s in self.sections), Decimal(0))

    @property
    def maximum(self) -> Decimal:
        return sum((s.maximum * s.section.weight for s in self.sections), Decimal(0))

    @property
    def percent(self) -> Decimal:
        return (
            (self.total / self.maximum * 100).quantize(Decimal("0.01"))
            if self.maximum
            else Decimal(0)
        )

    @property
    def passed(self) -> bool:
        return self.complete and not self.reasons


def _below(points: Decimal, maximum: Decimal, mark_percent: Decimal) -> bool:
    """Whether ``points`` of ``maximum`` is below ``mark_percent``, exactly."""
    return Fraction(points) * 100 < Fraction(mark_percent) * Fraction(maximum)


def written_result(application: Application, *, sheets=None) -> WrittenResult:
    """The written review's result by the criteria version's pass rule, summed afresh from the
    item scores (the ranking reads the totals ``sheet_save`` keeps instead).

    Pass = total ≥ pass mark, every section ≥ its minimum, and no veto item failed (a veto
    item rated "not met" or checked as failed fails the application whatever the total).
    """
    version = application.cycle.criteria_version
    factor = _factors(version)
    if sheets is None:
        sheets = list(
            application.score_sheets.select_related("section").prefetch_related("scores__item")
        )
    rows = []
    for sheet in sheets:
        points, vetoes = sheet_points(sheet.scores.all(), factor)
        maximum = sum((i.points for i in sheet.section.items.all()), Decimal(0))
        rows.append((sheet, points, maximum, vetoes))
    return _judged(application, version, rows)


def _judged(application: Application, version: CriteriaVersion, rows) -> WrittenResult:
    """The result of ``rows`` ``(sheet, points, maximum, failed vetoes)`` by the pass rule."""
    result = WrittenResult(application)
    for sheet, points, maximum, vetoes in sorted(rows, key=lambda r: r[0].section.number):
        result.vetoes_failed += vetoes
        result.sections.append(
            SectionResult(sheet.section, points, maximum, sheet.signed_at is not None)
        )
    # Compared exactly (points × 100 against mark × maximum, in fractions); the two-decimal
    # percentages are for display only: 580/590 = 98.305… % is below a 98.31 % mark.
    if _below(result.total, result.maximum, version.pass_total_percent):
        result.reasons.append(
            _("Total %(p)s%% is below the pass mark of %(m)s%%.")
            % {"p": result.percent, "m": version.pass_total_percent.normalize()}
        )
    for section in result.sections:
        if _below(section.points, section.maximum, version.section_min_percent):
            result.reasons.append(
                _("Section %(n)d scored %(p)s%%, below its minimum of %(m)s%%.")
                % {
                    "n": section.section.number,
                    "p": section.percent,
                    "m": version.section_min_percent.normalize(),
                }
            )
    if result.vetoes_failed:
        result.reasons.append(
            _("Veto items failed: %(list)s") % {"list": "、".join(result.vetoes_failed)}
        )
    return result


def ranking(*, cycle: Cycle) -> list[WrittenResult]:
    """The cycle's applications in the written review or later, best total first.

    Read from the totals ``sheet_save`` keeps (no item score is loaded): three queries
    whatever the number of applications. Each application comes with its inspection and the
    committee's decision in force (``decisions.with_decision_in_force``), so the 汇总表 reads
    them without a query per row."""
    version = cycle.criteria_version
    maxima = dict(
        Item.objects.filter(section__version=version)
        .values("section_id")
        .annotate(maximum=Sum("points"))
        .order_by()
        .values_list("section_id", "maximum")
    )
    applications = (
        with_decision_in_force(
            Application.objects.filter(
                kind=ApplicationKind.APPLICATION,
                pk__in=ScoreSheet.objects.filter(application__cycle=cycle).values("application_id"),
            )
        )
        .select_related("county__parent", "cycle__criteria_version", "inspection", "written_total")
        .prefetch_related(
            Prefetch("score_sheets", queryset=ScoreSheet.objects.select_related("section"))
        )
        .order_by(F("written_total__points").desc(nulls_last=True), "county__code")
    )
    return [
        _judged(
            application,
            version,
            [
                (s, s.points, maxima.get(s.section_id, Decimal(0)), s.vetoes_failed)
                for s in application.score_sheets.all()
            ],
        )
        for application in applications
    ]
