"""Workflow guards whose rules belong to the city's review (registered in ReviewConfig.ready)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from applications.models import Application
from applications.workflow import Context

from .enums import SignOffOutcome
from .models import SignOff
from .selectors import forwarding_deadline_for


def _outcome(application: Application) -> str | None:
    return SignOff.objects.filter(application=application).values_list("outcome", flat=True).first()


def party_meeting_approved(application: Application, ctx: Context) -> str | None:
    if _outcome(application) != SignOffOutcome.APPROVED:
        return _("No Party meeting has approved this application: record the sign-off first.")
    return None


def party_meeting_declined(application: Application, ctx: Context) -> str | None:
    if _outcome(application) != SignOffOutcome.DECLINED:
        return _("No Party meeting has declined this application.")
    return None


def forwarding_open(application: Application, ctx: Context) -> str | None:
    """Before the cycle's deadline (Asia/Shanghai), or within an exception for the city."""
    deadline, _exception = forwarding_deadline_for(
        cycle=application.cycle, city=application.county.parent, now=ctx.now
    )
    if ctx.now <= deadline:
        return None
    return _(
        "The deadline for forwarding, %(deadline)s (Beijing time), has passed. Only the campaign "
        "office can grant an exception."
    ) % {
        "deadline": timezone.localtime(application.cycle.city_deadline).strftime(
            "%Y-%m-%d %H:%M:%S"
        )
    }


def written_review_complete(application: Application, ctx: Context) -> str | None:
    from .evaluation import written_result

    result = written_result(application)
    if (
        len(result.sections) < application.cycle.criteria_version.sections.count()
        or not result.complete
    ):
        return _("Not every section of the written review is signed yet.")
    return None


def written_review_passed(application: Application, ctx: Context) -> str | None:
    from .evaluation import written_result

    incomplete = written_review_complete(application, ctx)
    if incomplete:
        return incomplete
    result = written_result(application)
    if not result.passed:
        return _("The pass rule is not met: %(reasons)s") % {"reasons": "；".join(result.reasons)}
    return None


def _inspection_result(application: Application) -> str | None:
    from .models import Inspection

    return (
        Inspection.objects.filter(application=application).values_list("result", flat=True).first()
    )


def inspection_passed(application: Application, ctx: Context) -> str | None:
    if _inspection_result(application) != "passed":
        return _("The on-site inspection has not recorded a pass.")
    return None


def inspection_failed(application: Application, ctx: Context) -> str | None:
    if _inspection_result(application) != "failed":
        return _("The on-site inspection has not recorded a failure.")
    return None


def _decision(application: Application) -> str | None:
    from .models import ProvincialDecision

    return (
        ProvincialDecision.objects.filter(application=application)
        .values_list("decision", flat=True)
        .first()
    )


def decision_approved(application: Application, ctx: Context) -> str | None:
    if _decision(application) != "approved":
        return _("No Party committee decision approves this application.")
    return None


def decision_rejected(application: Application, ctx: Context) -> str | None:
    if _decision(application) != "not_approved":
        return _("No Party committee decision rejects this application.")
    return None


def evaluator_on_inspection_team(user, application: Application) -> bool:
    from .models import InspectionMember

    return InspectionMember.objects.filter(
        inspection__application=application, evaluator=user
    ).exists()


def evaluator_visibility(user):
    """Applications with a section assigned to the evaluator or an inspection they are on."""
    from django.db.models import Q

    from .evaluation import sheets_for
    from .models import InspectionMember

    assigned = sheets_for(user=user).values_list("application_id", flat=True)
    inspecting = InspectionMember.objects.filter(evaluator=user).values_list(
        "inspection__application_id", flat=True
    )
    return Q(pk__in=list(assigned)) | Q(pk__in=list(inspecting))
