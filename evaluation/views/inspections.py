"""On-site inspections: the calendar, scheduling, recording on site, photos, the report."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from applications.enums import ApplicationState
from applications.evidence import private_file_response
from applications.models import Application
from applications.selectors import current_cycle, history_of
from applications.workflow import TransitionError
from audit.downloads import audited_download
from audit.enums import AuditAction
from core.net import client_ip
from core.responses import PDF, file_response
from evaluation.documents import inspection_report_pdf
from evaluation.forms import CalendarForm, InspectionRecordForm, InspectionScheduleForm
from evaluation.inspections import inspection_record, inspection_schedule
from evaluation.models import Inspection, InspectionMember
from evaluation.permissions import can_record_inspection, can_run_evaluation, can_view_inspections
from evaluation.selectors import written_result


@login_required
@require_http_methods(["GET", "POST"])
def inspections(request: HttpRequest) -> HttpResponse:
    """All visits in a month or a week, and the office's scheduling form."""
    if not can_view_inspections(request.user):
        raise PermissionDenied(_("This page is the province's."))
    is_office = can_run_evaluation(request.user)
    cycle = current_cycle()
    candidates = (
        Application.objects.filter(
            cycle=cycle, state=ApplicationState.WRITTEN_PASSED, inspection__isnull=True
        )
        .select_related("county")
        .order_by("county__code")
        if cycle
        else Application.objects.none()
    )
    form = InspectionScheduleForm(request.POST or None, applications=candidates)
    if request.method == "POST":
        if not is_office:
            raise PermissionDenied(_("Only the campaign office schedules visits."))
        if form.is_valid():
            try:
                inspection_schedule(
                    application=form.cleaned_data["application"],
                    visit_date=form.cleaned_data["visit_date"],
                    team=list(form.cleaned_data["team"]),
                    itinerary=form.cleaned_data["itinerary"],
                    by=request.user,
                )
            except ValidationError as error:
                form.add_error(None, " ".join(error.messages))
            else:
                messages.success(request, _("The visit has been scheduled."))
                return redirect("evaluation:inspections")
    period = CalendarForm(request.GET)
    first, last, view = period.period()
    visits = (
        Inspection.objects.filter(visit_date__range=(first, last))
        .select_related("application__county")
        .prefetch_related(
            Prefetch("members", queryset=InspectionMember.objects.select_related("evaluator"))
        )
        .order_by("visit_date", "application__county__code")
    )
    days: dict = {}
    # A period the form refuses shows its message, not another period's visits.
    for visit in visits if not period.errors else ():
        days.setdefault(visit.visit_date, []).append(visit)
    return render(
        request,
        "evaluation/inspections.html",
        {
            "form": form if is_office else None,
            "period": period,
            "days": sorted(days.items()),
            "first": first,
            "last": last,
            "view": view,
            "previous": (first - timedelta(days=1)).replace(day=1),
            "following": last + timedelta(days=1),
            "this_week": timezone.localdate().strftime("%G-W%V"),
        },
        status=400 if request.method == "POST" or period.errors else 200,
    )


def _inspection_for(request: HttpRequest, pk: int) -> Inspection:
    inspection = get_object_or_404(
        Inspection.objects.select_related(
            "application__county", "application__cycle__criteria_version"
        ),
        pk=pk,
    )
    if not can_record_inspection(request.user, inspection):
        raise Http404
    return inspection


@login_required
@require_http_methods(["GET", "POST"])
def inspection(request: HttpRequest, pk: int) -> HttpResponse:
    """The team records the visit on site (a phone-sized page): findings, photos, result."""
    inspection = _inspection_for(request, pk)
    sections = list(inspection.application.cycle.criteria_version.sections.order_by("number"))
    form = InspectionRecordForm(request.POST or None, request.FILES or None, sections=sections)
    if request.method == "POST" and inspection.result:
        raise PermissionDenied(_("This visit is recorded already."))
    if request.method == "POST" and form.is_valid():
        try:
            inspection_record(
                inspection=inspection,
                by=request.user,
                findings=form.findings(),
                result=form.cleaned_data["result"],
                summary=form.cleaned_data["summary"],
                photos=form.cleaned_data["photos"] or [],
                ip=client_ip(request),
            )
        except (ValidationError, TransitionError) as error:
            form.add_error(None, " ".join(error.messages))
        else:
            messages.success(request, _("The visit has been recorded."))
            return redirect("evaluation:inspection", pk=inspection.pk)
    return render(
        request,
        "evaluation/inspection.html",
        {
            "inspection": inspection,
            "form": form,
            "written": written_result(inspection.application),
            "findings": inspection.findings.select_related("section").order_by("section__number"),
            "photos": inspection.photos.all(),
            "members": inspection.members.select_related("evaluator"),
            "history": history_of(inspection.application),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def inspection_photo(request: HttpRequest, pk: int, photo_id: int) -> HttpResponse:
    inspection = _inspection_for(request, pk)
    photo = get_object_or_404(inspection.photos, pk=photo_id)
    return audited_download(
        request,
        private_file_response(photo, inline=True),
        action=AuditAction.INSPECTION_PHOTO_DOWNLOAD,
        obj=photo,
        details={"inspection": inspection.pk, "name": photo.original_name},
    )


@login_required
@require_GET
def inspection_report(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _inspection_for(request, pk)
    response = file_response(
        inspection_report_pdf(inspection),
        filename=f"实地考核验收报告-{inspection.application.county.name}.pdf",
        content_type=PDF,
    )
    return audited_download(
        request, response, action=AuditAction.INSPECTION_REPORT_DOWNLOAD, obj=inspection
    )
