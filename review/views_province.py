"""The province's pages: assignments, score sheets, results and ranking, Excel score sheets."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from applications.completeness import completeness_of
from applications.enums import Action, ApplicationState
from applications.evidence import private_file_response
from applications.models import Application
from applications.selectors import application_for
from applications.services import current_cycle
from applications.workflow import TransitionError, application_transition
from organizations.enums import Role
from organizations.models import Division, User
from organizations.selectors import has_role
from portal.views import client_ip

from . import evaluation
from .enums import Rating
from .inspections import (
    inspection_record,
    inspection_schedule,
    may_record,
    provincial_meeting_record,
    quota_for,
)
from .models import Assignment, Inspection, InspectionMember, ProvincialMeeting, ScoreSheet

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _office_only(request: HttpRequest) -> None:
    if not has_role(request.user, Role.CAMPAIGN_OFFICE):
        raise PermissionDenied(_("This page is the campaign office's."))


@login_required
@require_http_methods(["GET", "POST"])
def assignments(request: HttpRequest) -> HttpResponse:
    """The office assigns sections to evaluators of the owning divisions, one by one or in bulk."""
    _office_only(request)
    cycle = current_cycle()
    if request.method == "POST" and cycle is not None:
        try:
            if request.POST.get("bulk"):
                division = get_object_or_404(Division, pk=request.POST.get("division"))
                created = evaluation.evaluators_assign_section(
                    cycle=cycle,
                    section_number=int(request.POST.get("section", "0")),
                    division=division,
                    by=request.user,
                )
                messages.success(request, _("%(n)d assignment(s) made.") % {"n": created})
            else:
                sheet = get_object_or_404(ScoreSheet, pk=request.POST.get("sheet"))
                evaluator = get_object_or_404(User, pk=request.POST.get("evaluator"))
                evaluation.evaluator_assign(sheet=sheet, evaluator=evaluator, by=request.user)
                messages.success(request, _("Assigned."))
        except (ValidationError, StopIteration, ValueError) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return redirect("review:assignments")
    applications = []
    if cycle is not None:
        applications = list(
            Application.objects.filter(cycle=cycle, state=ApplicationState.FORWARDED)
            .select_related("county__parent")
            .prefetch_related(
                Prefetch(
                    "score_sheets",
                    queryset=ScoreSheet.objects.select_related("section").prefetch_related(
                        Prefetch(
                            "assignments", queryset=Assignment.objects.select_related("evaluator")
                        )
                    ),
                )
            )
            .order_by("county__code")
        )
    sections = (
        cycle.criteria_version.sections.prefetch_related("owners").order_by("number")
        if cycle
        else []
    )
    evaluators = User.objects.filter(memberships__role=Role.EVALUATOR, is_active=True).distinct()
    return render(
        request,
        "review/province/assignments.html",
        {
            "cycle": cycle,
            "applications": applications,
            "sections": sections,
            "divisions": Division.objects.filter(is_active=True),
            "evaluators": evaluators.order_by("username"),
        },
    )


@login_required
@require_POST
def sheets_prepare(request: HttpRequest, pk: int) -> HttpResponse:
    """Create the seven score sheets of a forwarded application (office)."""
    _office_only(request)
    application = application_for(user=request.user, pk=pk)
    evaluation.score_sheets_ensure(application=application)
    return redirect("review:assignments")


@login_required
@require_GET
def my_sheets(request: HttpRequest) -> HttpResponse:
    sheets = evaluation.sheets_for(user=request.user).order_by(
        "application__county__code", "section__number"
    )
    return render(request, "review/province/my_sheets.html", {"sheets": sheets})


def _sheet_for(request: HttpRequest, pk: int) -> ScoreSheet:
    """A sheet assigned to the user (or any, for the office); otherwise 404."""
    sheet = get_object_or_404(
        ScoreSheet.objects.select_related(
            "application__cycle__criteria_version", "application__county", "section"
        ),
        pk=pk,
    )
    if evaluation.can_score(request.user, sheet) or has_role(request.user, Role.CAMPAIGN_OFFICE):
        return sheet
    raise Http404


@login_required
@require_http_methods(["GET", "POST"])
def sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """Score one section: each item met / partly / not met with a comment, veto checks,
    and the county's figures with their automatic check beside them."""
    sheet = _sheet_for(request, pk)
    may_score = evaluation.can_score(request.user, sheet) and sheet.signed_at is None
    conflict = None
    status = 200
    if request.method == "POST":
        if not may_score:
            raise PermissionDenied(_("This section is not yours to score, or it is signed."))
        ratings = {}
        for item in sheet.section.items.all():
            rating = request.POST.get(f"rating_{item.pk}", "")
            if rating not in Rating.values:
                rating = ""
            ratings[item.pk] = (
                rating,
                request.POST.get(f"veto_{item.pk}") == "on",
                request.POST.get(f"comment_{item.pk}", "")[:2000],
            )
        try:
            version = int(request.POST.get("version", "-1"))
            evaluation.sheet_save(sheet=sheet, by=request.user, version=version, ratings=ratings)
        except evaluation.ScoreConflict as error:
            conflict = error.current
            status = 409
            messages.error(
                request,
                _(
                    "Another evaluator saved this section while you were working; their values are "
                    "shown below. Your entries were not saved: enter them again where needed."
                ),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            status = 400
        else:
            if request.POST.get("sign"):
                try:
                    evaluation.sheet_sign(sheet=sheet, by=request.user)
                except ValidationError as error:
                    messages.error(request, " ".join(error.messages))
                    return redirect("review:sheet", pk=sheet.pk)
                messages.success(request, _("Section signed."))
            else:
                messages.success(request, _("Scores saved."))
            return redirect("review:sheet", pk=sheet.pk)
        sheet.refresh_from_db()
    report = completeness_of(sheet.application, section_number=sheet.section.number)
    scores = {s.item_id: s for s in sheet.scores.select_related("updated_by")}
    return render(
        request,
        "review/province/sheet.html",
        {
            "sheet": sheet,
            "rows": report.sections[0].items if report.sections else [],
            "scores": scores,
            "conflict": conflict,
            "may_score": may_score,
            "ratings": Rating.choices,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def result(request: HttpRequest, pk: int) -> HttpResponse:
    """The written review's result by the pass rule; the office confirms it."""
    _office_only(request)
    application = application_for(user=request.user, pk=pk)
    outcome = evaluation.written_result(application)
    if request.method == "POST":
        action = (
            Action.WRITTEN_PASS if request.POST.get("decision") == "pass" else Action.WRITTEN_FAIL
        )
        try:
            application_transition(
                application=application,
                action=action,
                by=request.user,
                note=request.POST.get("note", "")[:4000],
                ip=client_ip(request),
            )
        except TransitionError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The result of the written review has been confirmed."))
            return redirect("review:ranking")
    return render(
        request, "review/province/result.html", {"application": application, "result": outcome}
    )


@login_required
@require_GET
def ranking(request: HttpRequest) -> HttpResponse:
    _office_only(request)
    cycle = current_cycle()
    results = evaluation.ranking(cycle=cycle) if cycle else []
    return render(request, "review/province/ranking.html", {"cycle": cycle, "results": results})


@login_required
@require_GET
def ranking_xlsx(request: HttpRequest) -> HttpResponse:
    """The cycle's summary table (汇总表) with ranks."""
    from .spreadsheets import summary_workbook

    _office_only(request)
    cycle = current_cycle()
    if cycle is None:
        raise PermissionDenied(_("No cycle is open."))
    response = HttpResponse(
        summary_workbook(cycle, evaluation.ranking(cycle=cycle)), content_type=XLSX
    )
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"{cycle.year}年度示范司法局书面审查汇总表.xlsx"
    )
    return response


@login_required
@require_GET
def application_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    """One application's score sheets, a worksheet per section."""
    from .spreadsheets import application_workbook

    _office_only(request)
    application = application_for(user=request.user, pk=pk)
    response = HttpResponse(application_workbook(application), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"{application.county.name}-评分表.xlsx"
    )
    return response


# On-site inspections -----------------------------------------------------------------


def _month_bounds(value: str):
    import calendar
    from datetime import date

    today = timezone.localdate()
    try:
        year, month = (int(part) for part in value.split("-"))
        first = date(year, month, 1)
    except ValueError:
        first = today.replace(day=1)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    return first, last


@login_required
@require_http_methods(["GET", "POST"])
def inspections(request: HttpRequest) -> HttpResponse:
    """All visits in a month or a week, and the office's scheduling form."""
    from datetime import timedelta

    from .forms import InspectionScheduleForm

    is_office = has_role(request.user, Role.CAMPAIGN_OFFICE)
    if not (is_office or has_role(request.user, Role.EVALUATOR)):
        raise PermissionDenied(_("This page is the province's."))
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
                return redirect("review:inspections")
    if request.GET.get("week"):
        try:
            start = date_from_iso_week(request.GET["week"])
        except ValueError:
            start = timezone.localdate() - timedelta(days=timezone.localdate().weekday())
        first, last, view = start, start + timedelta(days=6), "week"
    else:
        first, last = _month_bounds(request.GET.get("month", ""))
        view = "month"
    visits = (
        Inspection.objects.filter(visit_date__range=(first, last))
        .select_related("application__county")
        .prefetch_related(
            Prefetch("members", queryset=InspectionMember.objects.select_related("evaluator"))
        )
        .order_by("visit_date", "application__county__code")
    )
    days: dict = {}
    for visit in visits:
        days.setdefault(visit.visit_date, []).append(visit)
    previous = (first - timedelta(days=1)).replace(day=1)
    following = last + timedelta(days=1)
    return render(
        request,
        "review/province/inspections.html",
        {
            "form": form if is_office else None,
            "days": sorted(days.items()),
            "first": first,
            "last": last,
            "view": view,
            "previous": previous,
            "following": following,
            "this_week": timezone.localdate().strftime("%G-W%V"),
        },
        status=400 if request.method == "POST" else 200,
    )


def date_from_iso_week(value: str):
    from datetime import date

    year, week = value.split("-W")
    return date.fromisocalendar(int(year), int(week), 1)


def _inspection_for(request: HttpRequest, pk: int) -> Inspection:
    inspection = get_object_or_404(
        Inspection.objects.select_related(
            "application__county", "application__cycle__criteria_version"
        ),
        pk=pk,
    )
    if not may_record(request.user, inspection):
        raise Http404
    return inspection


@login_required
@require_http_methods(["GET", "POST"])
def inspection(request: HttpRequest, pk: int) -> HttpResponse:
    """The team records the visit on site (a phone-sized page): findings, photos, result."""
    from .forms import InspectionRecordForm

    inspection = _inspection_for(request, pk)
    sections = list(inspection.application.cycle.criteria_version.sections.order_by("number"))
    written = evaluation.written_result(inspection.application)
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
                photos=request.FILES.getlist("photos"),
                ip=client_ip(request),
            )
        except (ValidationError, TransitionError) as error:
            form.add_error(None, " ".join(error.messages))
        else:
            messages.success(request, _("The visit has been recorded."))
            return redirect("review:inspection", pk=inspection.pk)
    return render(
        request,
        "review/province/inspection.html",
        {
            "inspection": inspection,
            "form": form,
            "written": written,
            "findings": inspection.findings.select_related("section").order_by("section__number"),
            "photos": inspection.photos.all(),
            "members": inspection.members.select_related("evaluator"),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def inspection_photo(request: HttpRequest, pk: int, photo_id: int) -> HttpResponse:
    inspection = _inspection_for(request, pk)
    return private_file_response(get_object_or_404(inspection.photos, pk=photo_id), inline=True)


@login_required
@require_GET
def inspection_report(request: HttpRequest, pk: int) -> HttpResponse:
    from .documents import inspection_report_pdf

    inspection = _inspection_for(request, pk)
    response = HttpResponse(inspection_report_pdf(inspection), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"实地考核验收报告-{inspection.application.county.name}.pdf"
    )
    return response


# The provincial Party committee's decision ----------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def decisions(request: HttpRequest) -> HttpResponse:
    """The office records the committee meeting and its decisions, the quota in view."""
    from .forms import ProvincialMeetingForm

    _office_only(request)
    cycle = current_cycle()
    candidates = (
        Application.objects.filter(
            cycle=cycle,
            state__in=(ApplicationState.INSPECTED_PASSED, ApplicationState.INSPECTED_FAILED),
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
            return redirect("review:decisions")
    return render(
        request,
        "review/province/decisions.html",
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
