"""The application pages: the list, starting one, the overview, the form and a section.

Every page loads the application through ``application_for`` (outside the user's scope: 404).
"""

from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from applications import services
from applications.completeness import completeness_of
from applications.deadlines import county_deadline
from applications.enums import UNDO_ACTIONS, ApplicationKind
from applications.forms import (
    ApplicationFilterForm,
    ApplicationFormForm,
    AssessmentForm,
    UndoForm,
    WithdrawForm,
)
from applications.models import Application, Evidence
from applications.permissions import (
    can_create_application,
    can_edit_application,
    can_see_contact,
    can_upload_form_scan,
)
from applications.selectors import (
    application_for,
    applications_visible_to,
    comments_to_fix,
    current_cycle,
    history_of,
    own_county,
)
from applications.workflow import TransitionError, available_actions
from core.net import client_ip
from core.paging import page_of
from organizations.enums import Role
from organizations.selectors import has_role

from .common import require_editable, upload_limits


@login_required
@require_GET
def application_list(request: HttpRequest) -> HttpResponse:
    """The applications the user may see, searched by bureau, filtered by city (the office's),
    state and county code, 50 a page."""
    applications = (
        applications_visible_to(user=request.user)
        .annotate(
            answered=Count("assessments", filter=~Q(assessments__answer=""), distinct=True),
            files=Count("evidence", filter=Q(evidence__removed_at__isnull=True), distinct=True),
        )
        .order_by("-cycle__year", "county__code")
    )
    filters = ApplicationFilterForm(
        request.GET or None, several_cities=has_role(request.user, Role.CAMPAIGN_OFFICE)
    )
    page, query = page_of(request, filters.narrow(applications))
    cycle = current_cycle()
    county_bureau = own_county(user=request.user)
    can_start = (
        cycle is not None
        and county_bureau is not None
        and can_create_application(request.user)
        and not Application.objects.filter(
            cycle=cycle, county=county_bureau, kind=ApplicationKind.APPLICATION
        ).exists()
    )
    return render(
        request,
        "applications/application_list.html",
        {
            "form": filters,
            "page": page,
            "query": query,
            "cycle": cycle,
            "can_start": can_start,
        },
        status=400 if filters.failed else 200,
    )


@login_required
@require_POST
def application_create(request: HttpRequest) -> HttpResponse:
    if not can_create_application(request.user):
        raise PermissionDenied(_("Only county bureaus apply."))
    county = own_county(user=request.user)
    cycle = current_cycle()
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


def detail_page(
    request: HttpRequest,
    application: Application,
    *,
    withdraw_form: WithdrawForm | None = None,
    undo_form: UndoForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The application's overview; the withdrawal view shows it again with its form's errors."""
    report = completeness_of(application)
    actions = available_actions(request.user, application)
    # One form per undo move the user may make now; the one posted keeps its errors.
    undo_forms = [
        undo_form
        if undo_form is not None and undo_form.data.get("action") == action
        else UndoForm(initial={"action": action})
        for action in UNDO_ACTIONS
        if action in actions
    ]
    to_fix = comments_to_fix(application)
    form_scans = application.evidence.filter(item__isnull=True).select_related("uploaded_by")
    return render(
        request,
        "applications/application_detail.html",
        {
            "application": application,
            "report": report,
            "history": history_of(application),
            "actions": actions,
            "undo_forms": undo_forms,
            "to_fix": to_fix,
            "sections_commented": Counter(c.item.section.number for c in to_fix if c.item),
            "editable": can_edit_application(request.user, application),
            "may_upload_scan": can_upload_form_scan(request.user, application),
            "may_see_contact": can_see_contact(request.user, application),
            "deadline": county_deadline(application),
            "form_scans": form_scans,
            "withdraw_form": withdraw_form or WithdrawForm(),
            **upload_limits(),
        },
        status=status,
    )


@login_required
@require_GET
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return detail_page(request, application_for(user=request.user, pk=pk))


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
@require_http_methods(["GET", "POST"])
def application_form(request: HttpRequest, pk: int) -> HttpResponse:
    """The bureau facts and summary; saved as the user types (htmx) or with the button."""
    application = application_for(user=request.user, pk=pk)
    if request.method == "GET":
        return _form_page(request, application, ApplicationFormForm(instance=application))
    require_editable(request, application)
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
            **upload_limits(),
        },
    )
