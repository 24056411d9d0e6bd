"""Named predicates of the province's evaluation: role membership, object grants and state.

The services ask them about ``by`` before they change anything (``PermissionDenied``). Every
act of the evaluation is a person's: a system actor (``core.actors.SystemActor``) holds no role
and no grant, and every predicate answers no for it."""

from guardian.core import ObjectPermissionChecker

from core.actors import SystemActor
from organizations.enums import Role
from organizations.models import User
from organizations.selectors import has_role

from .models import Inspection, ScoreSheet

# The object permission ``evaluator_assign`` grants on a sheet (and nothing else does).
SCORE_PERMISSION = "evaluation.score_scoresheet"


def can_run_evaluation(user: User | SystemActor) -> bool:
    """The campaign office runs the province's evaluation: assignments (and taking them back),
    results, ranking, scheduling visits, recording the committee's meeting and decisions."""
    return has_role(user, Role.CAMPAIGN_OFFICE)


def can_view_sheet(user: User, sheet: ScoreSheet) -> bool:
    """Its evaluators and the campaign office open a score sheet; nobody else learns it exists."""
    return can_score_sheet(user, sheet) or can_run_evaluation(user)


def can_score_sheet(user: User | SystemActor, sheet: ScoreSheet) -> bool:
    """Assigned to ``user`` by an object permission on the sheet (never a global one)."""
    if isinstance(user, SystemActor) or not user.is_authenticated:
        return False
    return ObjectPermissionChecker(user).has_perm("score_scoresheet", sheet)


def can_edit_sheet(user: User, sheet: ScoreSheet) -> bool:
    """Assigned, and not signed yet: a signed section is final."""
    return sheet.signed_at is None and can_score_sheet(user, sheet)


def can_view_inspections(user: User) -> bool:
    """The calendar of visits: the campaign office and evaluators."""
    return can_run_evaluation(user) or has_role(user, Role.EVALUATOR)


def can_record_inspection(user: User | SystemActor, inspection: Inspection) -> bool:
    """The campaign office and the members of the visit's team."""
    if isinstance(user, SystemActor) or not user.is_authenticated:
        return False
    return can_run_evaluation(user) or inspection.members.filter(evaluator=user).exists()
