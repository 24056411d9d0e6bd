"""Re-inspection rounds: the office opens one for a designation fallen due; the round's page
shows the slippage beside the naming, exports it, and takes the office's decision."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from applications.workflow import TransitionError
from audit.downloads import audited_download
from audit.enums import AuditAction
from core.forms import add_errors
from core.net import client_ip
from core.responses import XLSX, file_response
from designations.enums import DesignationState
from designations.models import Designation
from designations.views.common import require_manage, require_view
from reinspections.forms import ReinspectionDecisionForm, ReinspectionOpenForm
from reinspections.models import Reinspection
from reinspections.rounds import DECIDABLE_STATES, reinspection_decide, reinspection_open
from reinspections.slippage import slippage_of
from reinspections.spreadsheets import slippage_workbook


@login_required
@require_http_methods(["GET", "POST"])
def reinspection_start(request: HttpRequest, pk: int) -> HttpResponse:
    """Open the round of a designation due for re-inspection, with the county's deadline."""
    require_view(request)
    designation = get_object_or_404(Designation.objects.select_related("bureau"), pk=pk)
    form = ReinspectionOpenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        require_manage(request)
        if form.is_valid():
            try:
                reinspection = reinspection_open(
                    designation=designation,
                    deadline=form.cleaned_data["deadline"],
                    by=request.user,
                    ip=client_ip(request),
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("The re-inspection round is open."))
                return redirect("reinspections:reinspection", pk=reinspection.pk)
    return render(
        request,
        "reinspections/reinspection_start.html",
        {
            "designation": designation,
            "form": form,
            "rounds": designation.reinspections.select_related("application"),
            "due": designation.state == DesignationState.REINSPECTION_DUE,
        },
        status=400 if request.method == "POST" else 200,
    )


def _reinspection(pk: int) -> Reinspection:
    return get_object_or_404(
        Reinspection.objects.select_related(
            "designation__bureau__parent",
            "designation__application__cycle__criteria_version",
            "application__cycle__criteria_version",
            "decided_by",
        ),
        pk=pk,
    )


@login_required
@require_http_methods(["GET", "POST"])
def reinspection(request: HttpRequest, pk: int) -> HttpResponse:
    """The round: its report's state, the slippage beside the naming (slipped items first),
    and the office's decision, the slipped items filled in as rectification requirements."""
    require_view(request)
    round_ = _reinspection(pk)
    slippage = slippage_of(round_)
    may_decide = (
        not round_.outcome
        and round_.application.state in DECIDABLE_STATES
        and round_.designation.state == DesignationState.REINSPECTION_DUE
    )
    form = ReinspectionDecisionForm(initial={"requirements": "\n".join(slippage.requirements())})
    if request.method == "POST":
        require_manage(request)
        form = ReinspectionDecisionForm(request.POST)
        if form.is_valid():
            try:
                reinspection_decide(
                    reinspection=round_,
                    by=request.user,
                    kept=form.cleaned_data["kept"],
                    deadline=form.cleaned_data["deadline"],
                    requirements=form.requirement_lines(),
                    note=form.cleaned_data["note"],
                    ip=client_ip(request),
                )
            except (ValidationError, TransitionError) as error:
                add_errors(form, error)
            else:
                messages.success(request, _("Recorded."))
                return redirect("reinspections:reinspection", pk=round_.pk)
    return render(
        request,
        "reinspections/reinspection.html",
        {
            "round": round_,
            "designation": round_.designation,
            "application": round_.application,
            "slippage": slippage,
            "form": form,
            "may_decide": may_decide,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def reinspection_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    """The slippage as an Excel workbook (audited download)."""
    require_view(request)
    round_ = _reinspection(pk)
    response = file_response(
        slippage_workbook(slippage_of(round_)),
        filename=f"复查对照-{round_.designation.bureau.name}-{round_.due:%Y}.xlsx",
        content_type=XLSX,
    )
    return audited_download(
        request, response, action=AuditAction.REINSPECTION_XLSX_DOWNLOAD, obj=round_
    )
