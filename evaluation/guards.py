"""Workflow guards whose rules belong to the province's evaluation (registered in
EvaluationConfig.ready): the written review, the inspection and the committee's decision."""

from django.db.models import Q
from django.utils.translation import gettext as _

from applications.models import Application
from applications.workflow import Context
from organizations.models import User

from .enums import Decision, InspectionResult
from .models import Inspection, InspectionMember, ProvincialDecision
from .selectors import sheets_for, written_result


def written_review_complete(application: Application, ctx: Context) -> str | None:
    result = written_result(application)
    if (
        len(result.sections) < application.cycle.criteria_version.sections.count()
        or not result.complete
    ):
        return _("Not every section of the written review is signed yet.")
    return None


def written_review_passed(application: Application, ctx: Context) -> str | None:
    incomplete = written_review_complete(application, ctx)
    if incomplete:
        return incomplete
    result = written_result(application)
    if not result.passed:
        return _("The pass rule is not met: %(reasons)s") % {"reasons": "；".join(result.reasons)}
    return None


def inspection_not_scheduled(application: Application, ctx: Context) -> str | None:
    if Inspection.objects.filter(application=application).exists():
        return _("The visit is scheduled: the written result can no longer be reopened.")
    return None


def _inspection_result(application: Application) -> InspectionResult | None:
    value = (
        Inspection.objects.filter(application=application).values_list("result", flat=True).first()
    )
    return InspectionResult(value) if value else None


def inspection_passed(application: Application, ctx: Context) -> str | None:
    if _inspection_result(application) is not InspectionResult.PASSED:
        return _("The on-site inspection has not recorded a pass.")
    return None


def inspection_failed(application: Application, ctx: Context) -> str | None:
    if _inspection_result(application) is not InspectionResult.FAILED:
        return _("The on-site inspection has not recorded a failure.")
    return None


def _decision(application: Application) -> Decision | None:
    value = (
        ProvincialDecision.objects.filter(application=application)
        .values_list("decision", flat=True)
        .first()
    )
    return Decision(value) if value else None


def decision_approved(application: Application, ctx: Context) -> str | None:
    if _decision(application) is not Decision.APPROVED:
        return _("No Party committee decision approves this application.")
    return None


def decision_rejected(application: Application, ctx: Context) -> str | None:
    if _decision(application) is not Decision.NOT_APPROVED:
        return _("No Party committee decision rejects this application.")
    return None


def evaluator_on_inspection_team(user: User, application: Application) -> bool:
    return InspectionMember.objects.filter(
        inspection__application=application, evaluator=user
    ).exists()


def evaluator_visibility(user: User) -> Q:
    """Applications with a section assigned to the evaluator or an inspection they are on."""
    assigned = sheets_for(user=user).values_list("application_id", flat=True)
    inspecting = InspectionMember.objects.filter(evaluator=user).values_list(
        "inspection__application_id", flat=True
    )
    return Q(pk__in=list(assigned)) | Q(pk__in=list(inspecting))
