"""County-side pages: the application, its form, self-assessment, indicators, evidence, submission.

Every view loads the application through ``application_for`` (outside the user's scope: 404);
a user who may look but not change gets 403. State changes go through the workflow service.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.net import client_ip
from organizations.enums import BureauLevel, Role
from organizations.selectors import has_role, memberships_of
from standards.evaluation import indicator_evaluate
from standards.models import Indicator, Item

from . import services
from .completeness import completeness_of
from .enums import Action, ApplicationState, CycleState
from .evidence import private_file_response
from .forms import (
    ApplicationFormForm,
    AssessmentForm,
    CountyDeadlineForm,
    CycleForm,
    EvidenceUploadForm,
    FigureForm,
    SubmitForm,
)
from .models import Application, CountyDeadline, Cycle, Evidence
from .permissions import can_create_application, can_edit_application
from .selectors import application_for, applications_visible_to, history_of
from .workflow import TransitionError, application_transition, available_actions, county_deadline


def _upload_limits() -> dict[str, int]:
    return {
        "max_bytes": settings.EVIDENCE_MAX_BYTES,
        "max_mb": settings.EVIDENCE_MAX_BYTES // (1024 * 1024),
    }


def _require_editable(request: HttpRequest, application: Application) -> None:
    if not can_edit_application(request.user, application):
        raise PermissionDenied(_("This application cannot be changed now."))


# Lists ---------------------------------------------------------------------------------


@login_required
@require_GET
def application_list(request: HttpRequest) -> HttpResponse:
    """The applications the user may see, with filters by cycle, state and county."""
    applications = (
        applications_visible_to(user=request.user)
        .annotate(
            answered=Count("assessments", filter=~Q(assessments__answer=""), distinct=True),
            files=Count("evidence", filter=Q(evidence__removed_at__isnull=True), distinct=True),
        )
        .order_by("-cycle__year", "county__code")
    )
    state = request.GET.get("state", "")
    if state in ApplicationState.values:
        applications = applications.filter(state=state)
    county = request.GET.get("county", "")
    if county:
        applications = applications.filter(county__code=county)
    cycle = services.current_cycle()
    own_county = next(
        (
            m.bureau
            for m in memberships_of(request.user)
            if m.bureau and m.bureau.level == BureauLevel.COUNTY
        ),
        None,
    )
    can_start = (
        cycle is not None
        and own_county is not None
        and can_create_application(request.user)
        and not Application.objects.filter(cycle=cycle, county=own_county).exists()
    )
    return render(
        request,
        "applications/application_list.html",
        {
            "applications": applications,
            "states": ApplicationState.choices,
            "state": state,
            "county": county,
            "cycle": cycle,
            "can_start": can_start,
        },
    )


@login_required
@require_POST
def application_create(request: HttpRequest) -> HttpResponse:
    cycle = services.current_cycle()
    county = next(
        (
            m.bureau
            for m in memberships_of(request.user)
            if m.role in (Role.COUNTY_APPLICANT, Role.COUNTY_HEAD)
        ),
        None,
    )
    if county is None:
        raise PermissionDenied(_("Only county bureaus apply."))
    if cycle is None:
        messages.error(request, _("No cycle is open."))
        return redirect("applications:list")
    try:
        application = services.application_create(
            cycle=cycle, county=county, by=request.user, ip=client_ip(request)
        )
    except TransitionError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("applications:list")
    messages.success(
        request, _("Your application has been created. Fill it in section by section.")
    )
    return redirect("applications:detail", pk=application.pk)


# The application ---------------------------------------------------------------------


@login_required
@require_GET
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_for(user=request.user, pk=pk)
    report = completeness_of(application)
    form_scans = application.evidence.filter(item__isnull=True).select_related("uploaded_by")
    return render(
        request,
        "applications/application_detail.html",
        {
            "application": application,
            "report": report,
            "history": history_of(application),
            "actions": available_actions(request.user, application),
            "editable": can_edit_application(request.user, application),
            "deadline": county_deadline(application),
            "form_scans": form_scans,
            **_upload_limits(),
        },
    )


def _form_page(request, application, form, status=200):
    return render(
        request,
        "applications/application_form.html",
        {
            "application": application,
            "form": form,
            "editable": can_edit_application(request.user, application),
            "history": history_of(application),
        },
        status=status,
    )


@login_required
def application_form(request: HttpRequest, pk: int) -> HttpResponse:
    """The bureau facts and summary; saved as the user types (htmx) or with the button."""
    application = application_for(user=request.user, pk=pk)
    if request.method == "GET":
        return _form_page(request, application, ApplicationFormForm(instance=application))
    if request.method != "POST":
        return HttpResponse(status=405)
    _require_editable(request, application)
    form = ApplicationFormForm(request.POST, instance=application)
    form.is_valid()
    # Keep every valid field, even when another is wrong: nothing typed is lost.
    data = {name: form.cleaned_data[name] for name in form.cleaned_data if name not in form.errors}
    services.application_update_form(application=application, by=request.user, data=data)
    if request.htmx:
        return render(
            request,
            "applications/partials/autosave_status.html",
            {"form": form, "saved_at": timezone.localtime()},
        )
    if form.errors:
        return _form_page(request, application, form, status=400)
    messages.success(request, _("The application form has been saved."))
    return redirect("applications:detail", pk=application.pk)


@login_required
@require_GET
def application_section(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """One section's items: self-assessment, indicators with their check, evidence."""
    application = application_for(user=request.user, pk=pk)
    version = application.cycle.criteria_version
    section = get_object_or_404(version.sections, number=number)
    report = completeness_of(application, section_number=number)
    files: dict[int, list[Evidence]] = {}
    for evidence in (
        application.evidence.filter(item__section=section)
        .select_related("uploaded_by")
        .order_by("uploaded_at")
    ):
        files.setdefault(evidence.item_id, []).append(evidence)
    comments: dict[int, list] = {}
    for comment in application.review_comments.filter(item__section=section).select_related(
        "author"
    ):
        comments.setdefault(comment.item_id, []).append(comment)
    rows = [
        (row, files.get(row.item.pk, []), comments.get(row.item.pk, []))
        for row in report.sections[0].items
    ]
    return render(
        request,
        "applications/application_section.html",
        {
            "application": application,
            "section": section,
            "sections": version.sections.order_by("number"),
            "rows": rows,
            "history": history_of(application),
            "editable": can_edit_application(request.user, application),
            "answers": AssessmentForm.base_fields["answer"].choices,
            **_upload_limits(),
        },
    )


@login_required
@require_POST
def assessment_save(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    application = application_for(user=request.user, pk=pk)
    _require_editable(request, application)
    item = get_object_or_404(
        Item.objects.select_related("section"),
        pk=item_id,
        section__version=application.cycle.criteria_version_id,
    )
    form = AssessmentForm(request.POST)
    if form.is_valid():
        services.assessment_save(
            application=application,
            item=item,
            by=request.user,
            answer=form.cleaned_data["answer"],
            explanation=form.cleaned_data["explanation"],
        )
    if request.htmx:
        return render(
            request,
            "applications/partials/autosave_status.html",
            {"form": form, "saved_at": timezone.localtime()},
            status=200 if form.is_valid() else 400,
        )
    if form.is_valid():
        messages.success(request, _("Item %(code)s saved.") % {"code": item.code})
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect(
        reverse("applications:section", args=[application.pk, item.section.number])
        + f"#item-{item.code}"
    )


@login_required
@require_POST
def figure_save(request: HttpRequest, pk: int, indicator_id: int) -> HttpResponse:
    """Save an indicator's figures as typed and answer with the check (htmx fragment)."""
    application = application_for(user=request.user, pk=pk)
    _require_editable(request, application)
    indicator = get_object_or_404(
        Indicator.objects.select_related("item__section"),
        pk=indicator_id,
        item__section__version=application.cycle.criteria_version_id,
    )
    form = FigureForm(request.POST)
    form.is_valid()
    figures = {
        k: (form.cleaned_data.get(k) or "").strip() for k in ("numerator", "denominator", "value")
    }
    services.figure_save(application=application, indicator=indicator, by=request.user, **figures)
    evaluation = indicator_evaluate(indicator, parameters=application.cycle.parameters, **figures)
    if request.htmx:
        return render(
            request,
            "applications/partials/indicator_result.html",
            {"indicator": indicator, "evaluation": evaluation},
        )
    messages.info(request, f"{indicator.code} {indicator.name}: {evaluation.reason}")
    return redirect(
        reverse("applications:section", args=[application.pk, indicator.item.section.number])
        + f"#item-{indicator.item.code}"
    )


# Evidence -----------------------------------------------------------------------------


@login_required
@require_POST
def evidence_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload a file for an item (or, without item, the stamped scan of the form)."""
    application = application_for(user=request.user, pk=pk)
    _require_editable(request, application)
    form = EvidenceUploadForm(request.POST, request.FILES)
    item = None
    if form.is_valid() and form.cleaned_data["item"]:
        item = get_object_or_404(
            Item.objects.select_related("section"),
            pk=form.cleaned_data["item"],
            section__version=application.cycle.criteria_version_id,
        )
    back = (
        reverse("applications:section", args=[application.pk, item.section.number])
        + f"#item-{item.code}"
        if item
        else reverse("applications:detail", args=[application.pk])
    )
    if getattr(request, "upload_too_large", False):
        messages.error(
            request,
            _("The file is larger than %(mb)d MB.") % {"mb": settings.EVIDENCE_MAX_BYTES // 2**20},
        )
        return redirect(back)
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect(back)
    replaces = None
    if form.cleaned_data["replaces"]:
        replaces = get_object_or_404(
            application.evidence, pk=form.cleaned_data["replaces"], removed_at__isnull=True
        )
    try:
        evidence = services.evidence_add(
            application=application,
            item=item,
            upload=form.cleaned_data["file"],
            by=request.user,
            replaces=replaces,
        )
    except ValidationError as error:
        messages.error(
            request,
            _("“%(name)s” was not stored: %(reason)s")
            % {"name": form.cleaned_data["file"].name[:60], "reason": " ".join(error.messages)},
        )
        return redirect(back)
    messages.success(request, _("“%(name)s” uploaded.") % {"name": evidence.original_name})
    return redirect(back)


@login_required
@require_GET
def evidence_download(request: HttpRequest, pk: int, evidence_id: int) -> HttpResponse:
    """Serve a file to whoever may see the application: attachment, or inline for PDF/images."""
    application = application_for(user=request.user, pk=pk)
    evidence = get_object_or_404(application.evidence, pk=evidence_id)
    # Whoever may see the application may view PDFs and images in the browser; other types
    # are always attachments (private_file_response decides by type).
    return private_file_response(evidence, inline=request.GET.get("inline") == "1")


@login_required
@require_POST
def evidence_remove(request: HttpRequest, pk: int, evidence_id: int) -> HttpResponse:
    application = application_for(user=request.user, pk=pk)
    _require_editable(request, application)
    evidence = get_object_or_404(
        application.evidence.select_related("item__section"), pk=evidence_id
    )
    services.evidence_remove(evidence=evidence, by=request.user)
    messages.success(request, _("“%(name)s” removed.") % {"name": evidence.original_name})
    if evidence.item:
        return redirect(
            reverse("applications:section", args=[application.pk, evidence.item.section.number])
            + f"#item-{evidence.item.code}"
        )
    return redirect("applications:detail", pk=application.pk)


# Completeness, submission, withdrawal, PDF ----------------------------------------------


@login_required
@require_GET
def application_completeness(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_for(user=request.user, pk=pk)
    return render(
        request,
        "applications/application_completeness.html",
        {
            "application": application,
            "report": completeness_of(application),
            "history": history_of(application),
        },
    )


@login_required
def application_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """The county head's submission: what is missing, the warnings, and the pledge."""
    application = application_for(user=request.user, pk=pk)
    action = Action.RESUBMIT if application.state == ApplicationState.RETURNED else Action.SUBMIT
    if action not in available_actions(request.user, application):
        raise PermissionDenied(
            _("Only the county head submits, while the application is a draft or returned.")
        )
    report = completeness_of(application)
    form = SubmitForm(request.POST or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            application_transition(
                application=application,
                action=action,
                by=request.user,
                ip=client_ip(request),
                pledge=form.cleaned_data["pledge"],
                acknowledged=form.cleaned_data["acknowledged"],
            )
        except TransitionError as error:
            errors = error.messages
        else:
            messages.success(request, _("The application has been submitted to the city bureau."))
            return redirect("applications:detail", pk=application.pk)
    elif request.method not in ("GET", "POST"):
        return HttpResponse(status=405)
    return render(
        request,
        "applications/application_submit.html",
        {"application": application, "report": report, "form": form, "errors": errors},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def application_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_for(user=request.user, pk=pk)
    try:
        application_transition(
            application=application,
            action=Action.WITHDRAW,
            by=request.user,
            ip=client_ip(request),
            note=request.POST.get("note", "")[:2000],
        )
    except TransitionError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The application has been withdrawn."))
    return redirect("applications:detail", pk=application.pk)


@login_required
@require_GET
def application_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The application form as a PDF to print, stamp and scan back."""
    from .documents import application_form_pdf

    application = application_for(user=request.user, pk=pk)
    pdf = application_form_pdf(application)
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"申报表-{application.county.name}-{application.cycle.year}.pdf"
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=filename
    )
    return response


# Cycles -------------------------------------------------------------------------------


@login_required
@require_GET
def cycle_list(request: HttpRequest) -> HttpResponse:
    is_office = has_role(request.user, Role.CAMPAIGN_OFFICE)
    cities = [m.bureau for m in memberships_of(request.user) if m.role == Role.CITY_HEAD]
    cycles = Cycle.objects.select_related("criteria_version").prefetch_related(
        Prefetch(
            "county_deadlines",
            queryset=CountyDeadline.objects.filter(city__in=cities).select_related("city"),
            to_attr="own_deadlines",
        )
    )
    return render(
        request,
        "applications/cycle_list.html",
        {
            "cycles": cycles,
            "is_office": is_office,
            "is_city_head": bool(cities),
            "form": CycleForm() if is_office else None,
            "deadline_form": CountyDeadlineForm() if cities else None,
        },
    )


def _office_only(request: HttpRequest) -> None:
    if not has_role(request.user, Role.CAMPAIGN_OFFICE):
        raise PermissionDenied(_("Only the campaign office manages cycles."))


@login_required
@require_POST
def cycle_create(request: HttpRequest) -> HttpResponse:
    _office_only(request)
    form = CycleForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "applications/cycle_list.html",
            {
                "cycles": Cycle.objects.select_related("criteria_version"),
                "is_office": True,
                "form": form,
            },
            status=400,
        )
    parameters = {}
    if form.cleaned_data["legal_aid_provincial_average"] is not None:
        parameters["legal_aid_provincial_average"] = str(
            form.cleaned_data["legal_aid_provincial_average"]
        )
    cycle = services.cycle_create(
        year=form.cleaned_data["year"],
        criteria_version=form.cleaned_data["criteria_version"],
        city_deadline=form.cleaned_data["city_deadline"],
        parameters=parameters,
    )
    messages.success(request, _("The %(year)s cycle has been created.") % {"year": cycle.year})
    return redirect("applications:cycle_list")


@login_required
@require_POST
def cycle_transition(request: HttpRequest, pk: int, to: str) -> HttpResponse:
    _office_only(request)
    cycle = get_object_or_404(Cycle, pk=pk)
    try:
        if to == CycleState.OPEN:
            services.cycle_open(cycle=cycle)
            messages.success(
                request,
                _("The %(year)s cycle is open; its criteria version is now frozen.")
                % {"year": cycle.year},
            )
        elif to == CycleState.CLOSED:
            services.cycle_close(cycle=cycle)
            messages.success(request, _("The %(year)s cycle is closed.") % {"year": cycle.year})
        else:
            raise Http404
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("applications:cycle_list")


@login_required
@require_POST
def county_deadline_set(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = get_object_or_404(Cycle, pk=pk)
    city = next((m.bureau for m in memberships_of(request.user) if m.role == Role.CITY_HEAD), None)
    if city is None:
        raise PermissionDenied(_("Only a city head sets the deadline for its counties."))
    form = CountyDeadlineForm(request.POST)
    if form.is_valid():
        try:
            services.county_deadline_set(
                cycle=cycle, city=city, deadline=form.cleaned_data["deadline"], by=request.user
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The deadline for your counties has been set."))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("applications:cycle_list")
