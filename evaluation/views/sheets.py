"""The written review's pages: assignments, score sheets, the result, the ranking, Excel."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from applications.completeness import completeness_of
from applications.enums import Action, ApplicationState
from applications.forms import ListFilterForm
from applications.models import Application, Cycle
from applications.selectors import application_for, current_cycle, history_of
from applications.workflow import TransitionError, application_transition
from audit.downloads import audited_download
from audit.enums import AuditAction
from core.net import client_ip
from core.paging import page_of
from core.responses import XLSX, file_response
from evaluation import selectors, written_review
from evaluation.enums import Rating, WrittenDecision
from evaluation.forms import (
    MySheetsFilterForm,
    ScoreSheetForm,
    SectionAssignmentForm,
    SheetAssignmentForm,
    WrittenResultForm,
    WrittenResultsConfirmForm,
)
from evaluation.models import Assignment, ScoreSheet
from evaluation.permissions import can_edit_sheet, can_run_evaluation, can_view_sheet
from evaluation.spreadsheets import application_workbook, summary_workbook


def _office_or_403(request: HttpRequest) -> None:
    if not can_run_evaluation(request.user):
        raise PermissionDenied(_("This page is the campaign office's."))


def _cycle_sheets(cycle) -> "QuerySet[Application]":
    return (
        Application.objects.filter(cycle=cycle, state=ApplicationState.FORWARDED)
        .select_related("county__parent")
        .prefetch_related(
            Prefetch(
                "score_sheets",
                queryset=ScoreSheet.objects.select_related("section").prefetch_related(
                    Prefetch("assignments", queryset=Assignment.objects.select_related("evaluator"))
                ),
            )
        )
        .order_by("county__code")
    )


@login_required
@require_http_methods(["GET", "POST"])
def assignments(request: HttpRequest) -> HttpResponse:
    """The office assigns sections to evaluators of the owning divisions, one by one or in bulk;
    the applications searched by county, filtered by city, 50 a page (the single assignment's
    choices are the page's sheets)."""
    _office_or_403(request)
    cycle = current_cycle()
    sections = (
        list(cycle.criteria_version.sections.prefetch_related("owners").order_by("number"))
        if cycle
        else []
    )
    sheets = ScoreSheet.objects.filter(
        application__cycle=cycle, application__state=ApplicationState.FORWARDED
    )
    bulk_form = SectionAssignmentForm(sections=sections)
    one_form = SheetAssignmentForm(sheets=sheets)
    filters = ListFilterForm(request.GET or None, several_cities=True)
    page, query = page_of(
        request, filters.narrow(_cycle_sheets(cycle) if cycle else Application.objects.none())
    )
    status = 400 if filters.failed else 200
    if request.method == "POST" and cycle is not None:
        bulk = "bulk" in request.POST
        form = (
            SectionAssignmentForm(request.POST, sections=sections)
            if bulk
            else SheetAssignmentForm(request.POST, sheets=sheets)
        )
        if form.is_valid():
            try:
                if bulk:
                    created = written_review.evaluators_assign_section(
                        cycle=cycle,
                        section_number=form.cleaned_data["section"],
                        division=form.cleaned_data["division"],
                        by=request.user,
                    )
                    messages.success(request, _("%(n)d assignment(s) made.") % {"n": created})
                else:
                    written_review.evaluator_assign(
                        sheet=form.cleaned_data["sheet"],
                        evaluator=form.cleaned_data["evaluator"],
                        by=request.user,
                    )
                    messages.success(request, _("Assigned."))
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return redirect("evaluation:assignments")
        status = 400
        if bulk:
            bulk_form = form
        else:
            one_form = form
    return render(
        request,
        "evaluation/assignments.html",
        {
            "cycle": cycle,
            "filters": filters,
            "page": page,
            "query": query,
            "sections": sections,
            "bulk_form": bulk_form,
            "one_form": one_form,
        },
        status=status,
    )


@login_required
@require_POST
def sheets_prepare(request: HttpRequest, pk: int) -> HttpResponse:
    """Create the seven score sheets of a forwarded application (office)."""
    _office_or_403(request)
    application = application_for(user=request.user, pk=pk)
    written_review.score_sheets_ensure(application=application)
    return redirect("evaluation:assignments")


@login_required
@require_GET
def my_sheets(request: HttpRequest) -> HttpResponse:
    """The user's sheets of one cycle (the latest by default, older ones by the filter),
    searched by the county bureau's name or code, 50 a page with the total."""
    form = MySheetsFilterForm(request.GET or None)
    valid = not form.is_bound or form.is_valid()
    cycle = (form.cleaned_data.get("cycle") if form.is_bound and valid else None) or (
        Cycle.objects.order_by("-year").first() if valid else None
    )
    sheets = (
        selectors.sheets_for(user=request.user)
        .filter(application__cycle=cycle)
        .order_by("application__county__code", "section__number")
    )
    search = form.cleaned_data.get("q", "").strip() if form.is_bound and valid else ""
    if search:
        sheets = sheets.filter(
            Q(application__county__name__icontains=search)
            | Q(application__county__code__startswith=search)
        )
    page, query = page_of(request, sheets if cycle is not None else sheets.none())
    return render(
        request,
        "evaluation/my_sheets.html",
        {"form": form, "cycle": cycle, "page": page, "query": query},
        status=200 if valid else 400,
    )


def _sheet_for(request: HttpRequest, pk: int) -> ScoreSheet:
    """A sheet assigned to the user (or any, for the office); otherwise 404."""
    sheet = get_object_or_404(
        ScoreSheet.objects.select_related(
            "application__cycle__criteria_version", "application__county", "section"
        ),
        pk=pk,
    )
    if not can_view_sheet(request.user, sheet):
        raise Http404
    return sheet


_CONFLICT = _(
    "Another evaluator saved this section while you were working; their values are shown "
    "below. Your entries were not saved: enter them again where needed."
)


@login_required
@require_http_methods(["GET", "POST"])
def sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """Score one section: each item met / partly / not met with a comment, veto checks,
    and the county's figures with their automatic check beside them."""
    sheet = _sheet_for(request, pk)
    may_score = can_edit_sheet(request.user, sheet)
    items = list(sheet.section.items.order_by("order"))
    report = completeness_of(sheet.application, section_number=sheet.section.number)
    rows = report.sections[0].items if report.sections else []
    form = ScoreSheetForm(
        request.POST or None,
        items=items,
        below_standard={row.item.pk for row in rows if row.below_standard},
    )
    conflict = None
    status = 200
    if request.method == "POST":
        if not may_score:
            raise PermissionDenied(_("This section is not yours to score, or it is signed."))
        status = 400
        if form.is_valid():
            try:
                written_review.sheet_save(
                    sheet=sheet,
                    by=request.user,
                    version=form.cleaned_data["version"],
                    ratings=form.ratings(),
                )
                if form.cleaned_data["sign"] and not form.cleaned_data["all_met"]:
                    written_review.sheet_sign(sheet=sheet, by=request.user)
            except written_review.ScoreConflict as error:
                conflict = error.current
                status = 409
                form.add_error(None, _CONFLICT)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                left = form.left_unrated()
                if left:
                    done = _(
                        "Every item not yet rated is now rated met, except %(codes)s: the "
                        "county's own figures are below the standard there. Rate those, change "
                        "the exceptions, then sign the section."
                    ) % {"codes": "、".join(item.code for item in left)}
                elif form.cleaned_data["all_met"]:
                    done = _(
                        "Every item not yet rated is now rated met. Change the exceptions, "
                        "then sign the section."
                    )
                elif form.cleaned_data["sign"]:
                    done = _("Section signed.")
                else:
                    done = _("Scores saved.")
                messages.success(request, done)
                return redirect("evaluation:sheet", pk=sheet.pk)
        sheet.refresh_from_db()
    scores = {s.item_id: s for s in sheet.scores.select_related("updated_by")}
    return render(
        request,
        "evaluation/sheet.html",
        {
            "sheet": sheet,
            "form": form,
            "rows": rows,
            "scores": scores,
            "values": form.values(scores),
            "conflict": conflict,
            "may_score": may_score,
            "ratings": Rating.choices,
            "history": history_of(sheet.application),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def result(request: HttpRequest, pk: int) -> HttpResponse:
    """The written review's result by the pass rule; the office confirms it."""
    _office_or_403(request)
    application = application_for(user=request.user, pk=pk)
    outcome = selectors.written_result(application)
    form = WrittenResultForm(
        request.POST or None,
        initial={"note": "；".join(outcome.reasons) if not outcome.passed else ""},
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            action = (
                Action.WRITTEN_PASS
                if form.cleaned_data["decision"] == WrittenDecision.PASS
                else Action.WRITTEN_FAIL
            )
            try:
                application_transition(
                    application=application,
                    action=action,
                    by=request.user,
                    note=form.cleaned_data["note"],
                    ip=client_ip(request),
                )
            except TransitionError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, _("The result of the written review has been confirmed."))
                return redirect("evaluation:ranking")
    return render(
        request,
        "evaluation/result.html",
        {
            "application": application,
            "result": outcome,
            "form": form,
            "history": history_of(application),
        },
        status=status,
    )


def _awaiting_confirmation(cycle):
    """The cycle's applications in the written review: those whose result may be confirmed."""
    return Application.objects.filter(cycle=cycle, state=ApplicationState.FORWARDED).select_related(
        "county"
    )


@login_required
@require_GET
def ranking(request: HttpRequest) -> HttpResponse:
    _office_or_403(request)
    cycle = current_cycle()
    results = selectors.ranking(cycle=cycle) if cycle else []
    return render(
        request,
        "evaluation/ranking.html",
        {
            "cycle": cycle,
            "results": results,
            "confirmable": {
                r.application.pk
                for r in results
                if r.passed and r.application.state == ApplicationState.FORWARDED
            },
        },
    )


@login_required
@require_POST
def results_confirm(request: HttpRequest) -> HttpResponse:
    """Confirm several written results as passed at once. Each goes through the workflow on
    its own and is checked by the pass rule: those that pass are confirmed, the others are
    named with the reason and left as they were."""
    _office_or_403(request)
    cycle = current_cycle()
    form = WrittenResultsConfirmForm(request.POST, applications=_awaiting_confirmation(cycle))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("evaluation:ranking")
    confirmed = []
    for application in form.cleaned_data["applications"].order_by("county__code"):
        try:
            application_transition(
                application=application,
                action=Action.WRITTEN_PASS,
                by=request.user,
                ip=client_ip(request),
            )
        except TransitionError as error:
            messages.error(
                request,
                _("%(bureau)s was not confirmed: %(reasons)s")
                % {"bureau": application.county.name, "reasons": "；".join(error.messages)},
            )
        else:
            confirmed.append(application.county.name)
    if confirmed:
        messages.success(
            request,
            _("Confirmed as passed: %(list)s") % {"list": "、".join(confirmed)},
        )
    return redirect("evaluation:ranking")


@login_required
@require_GET
def ranking_xlsx(request: HttpRequest) -> HttpResponse:
    """The cycle's summary table (汇总表) with ranks."""
    _office_or_403(request)
    cycle = current_cycle()
    if cycle is None:
        raise PermissionDenied(_("No cycle is open."))
    results = selectors.ranking(cycle=cycle)
    response = file_response(
        summary_workbook(cycle, results),
        filename=f"{cycle.year}年度示范司法局书面审查汇总表.xlsx",
        content_type=XLSX,
    )
    return audited_download(
        request,
        response,
        action=AuditAction.SUMMARY_EXPORT,
        obj=cycle,
        details={"rows": len(results)},
    )


@login_required
@require_GET
def application_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    """One application's score sheets, a worksheet per section."""
    _office_or_403(request)
    application = application_for(user=request.user, pk=pk)
    response = file_response(
        application_workbook(application),
        filename=f"{application.county.name}-评分表.xlsx",
        content_type=XLSX,
    )
    return audited_download(
        request, response, action=AuditAction.SCORE_SHEETS_EXPORT, obj=application
    )
