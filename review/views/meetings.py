"""The city's Party meeting: its minutes and its sign-off of approved applications."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from applications.enums import ApplicationState
from applications.evidence import private_file_response
from applications.models import Application
from applications.selectors import (
    current_cycle,
)
from applications.workflow import TransitionError
from audit.downloads import audited_download
from audit.enums import AuditAction
from core.net import client_ip
from review import services
from review.forms import PartyMeetingForm
from review.permissions import (
    can_record_party_meeting,
)
from review.selectors import meetings_visible_to
from review.views.applications import city_or_403


@login_required
@require_http_methods(["GET", "POST"])
def meetings(request: HttpRequest) -> HttpResponse:
    """The city's Party meetings; the city head records a new one with its outcomes."""
    city = city_or_403(request)
    cycle = current_cycle()
    is_head = can_record_party_meeting(request.user, city)
    candidates = (
        Application.objects.filter(
            cycle=cycle, county__parent=city, state=ApplicationState.CITY_APPROVED
        )
        .select_related("county")
        .order_by("county__code")
        if cycle
        else Application.objects.none()
    )
    form = PartyMeetingForm(request.POST or None, request.FILES or None, applications=candidates)
    if request.method == "POST":
        if not is_head:
            raise PermissionDenied(_("Only the city head records the Party meeting."))
        if form.is_valid():
            try:
                services.party_meeting_record(
                    cycle=cycle,
                    city=city,
                    by=request.user,
                    meeting_kind=form.cleaned_data["meeting_kind"],
                    held_on=form.cleaned_data["held_on"],
                    minutes_number=form.cleaned_data["minutes_number"],
                    minutes_upload=form.cleaned_data["minutes"],
                    outcomes=form.outcomes(),
                    ip=client_ip(request),
                )
            except (ValidationError, TransitionError) as error:
                reasons = error.messages
                form.add_error(None, " ".join(reasons))
            else:
                messages.success(
                    request, _("The Party meeting and its outcomes have been recorded.")
                )
                return redirect("review:meetings")
    return render(
        request,
        "review/meetings.html",
        {
            "meetings": meetings_visible_to(user=request.user)
            .filter(city=city)
            .prefetch_related("sign_offs__application__county"),
            "form": form,
            "candidates": candidates,
            "is_head": is_head,
            "cycle": cycle,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def meeting_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(meetings_visible_to(user=request.user), pk=pk)
    return audited_download(
        request,
        private_file_response(meeting),
        action=AuditAction.MINUTES_DOWNLOAD,
        obj=meeting,
        details={"name": meeting.original_name},
    )
