"""The provincial Party committee's decision, with the quota in view."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from applications.enums import ApplicationKind, ApplicationState
from applications.models import Application
from applications.selectors import current_cycle
from applications.workflow import TransitionError
from core.net import client_ip
from evaluation.decisions import provincial_meeting_record, with_decision_in_force
from evaluation.forms import ProvincialMeetingForm
from evaluation.models import ProvincialMeeting
from evaluation.permissions import can_run_evaluation
from evaluation.quota import quota_for


@login_required
@require_http_methods(["GET", "POST"])
def decisions(request: HttpRequest) -> HttpResponse:
    """The office records the committee meeting and its decisions, the quota in view."""
    if not can_run_evaluation(request.user):
        raise PermissionDenied(_("This page is the campaign office's."))
    cycle = current_cycle()
    candidates = (
        with_decision_in_force(
            Application.objects.filter(
                cycle=cycle,
                kind=ApplicationKind.APPLICATION,
                state__in=(ApplicationState.INSPECTED_PASSED, ApplicationState.INSPECTED_FAILED),
            )
        )
        .select_related("county")
        .order_by("county__code")
        if cycle
        else Application.objects.none()
    )
    form = ProvincialMeetingForm(
        request.POST or None, request.FILES or None, applications=candidates
    )
    if request.method == "POST" and form.is_valid():
        try:
            provincial_meeting_record(
                cycle=cycle,
                by=request.user,
                held_on=form.cleaned_data["held_on"],
                number=form.cleaned_data["number"],
                minutes_upload=form.cleaned_data["minutes"],
                decisions=form.decisions(),
                ip=client_ip(request),
            )
        except (ValidationError, TransitionError) as error:
            form.add_error(None, " ".join(error.messages))
        else:
            messages.success(request, _("The Party committee's decisions have been recorded."))
            return redirect("evaluation:decisions")
    return render(
        request,
        "evaluation/decisions.html",
        {
            "cycle": cycle,
            "quota": quota_for(cycle) if cycle else None,
            "form": form,
            "candidates": candidates,
            "meetings": ProvincialMeeting.objects.filter(cycle=cycle).prefetch_related(
                "decisions__application__county"
            )
            if cycle
            else [],
        },
        status=400 if request.method == "POST" else 200,
    )
