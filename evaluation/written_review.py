"""The province's written review (书面审查): assignments, score sheets, pass rule, ranking."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from applications.enums import ApplicationState
from applications.models import Application, Cycle
from audit.enums import AuditAction
from audit.services import audit_record
from organizations.enums import Role
from organizations.models import Division, Membership, User
from standards.models import Item, Section

from .models import Assignment, ItemScore, ScoreSheet, WrittenTotal
from .pass_rule import rating_factors, sheet_points
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
            action=AuditAction.ASSIGNMENT_GRANT,
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
        action=AuditAction.ASSIGNMENT_REVOKE,
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
        action=AuditAction.SCORE_SAVE,
        actor=by,
        obj=sheet,
        details={"version": sheet.version, **changes},
    )
    return sheet


def _totals_keep(sheet: ScoreSheet) -> None:
    """Store the sheet's points and failed vetoes, then its application's weighted total."""
    version = Section.objects.select_related("version").get(pk=sheet.section_id).version
    scores = ItemScore.objects.filter(sheet=sheet).select_related("item")
    points, vetoes = sheet_points(scores, rating_factors(version))
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
        audit_record(action=AuditAction.SCORE_SIGN, actor=by, obj=sheet)
    return sheet
