"""Completeness, the head's submission with the pledge, withdrawal, the form as PDF and Word."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from applications.completeness import completeness_of
from applications.documents import application_form_docx, application_form_pdf
from applications.enums import Action
from applications.forms import SubmitForm, UndoForm, WithdrawForm
from applications.permissions import (
    can_see_contact,
    can_submit_application,
    can_withdraw_application,
)
from applications.selectors import application_for, history_of
from applications.workflow import (
    TransitionError,
    application_transition,
    in_scope,
    submit_action,
)
from audit.downloads import audited_download
from audit.enums import AuditAction
from core.net import client_ip
from core.responses import DOCX, PDF, file_response

from .applications import detail_page


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
@require_http_methods(["GET", "POST"])
def application_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """The county head's submission: what is missing, the warnings, and the pledge."""
    application = application_for(user=request.user, pk=pk)
    if not can_submit_application(request.user, application):
        raise PermissionDenied(
            _("Only the county head submits, while the application is a draft or returned.")
        )
    action = submit_action(application)
    report = completeness_of(application)
    # Bound on every POST, even an empty one (nothing ticked), so that its errors show.
    form = SubmitForm(request.POST) if request.method == "POST" else SubmitForm()
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
            messages.success(
                request,
                _("The re-inspection report has been submitted to the province.")
                if action == Action.REPORT
                else _("The application has been submitted to the city bureau."),
            )
            return redirect("applications:detail", pk=application.pk)
    return render(
        request,
        "applications/application_submit.html",
        {
            "application": application,
            "report": report,
            "form": form,
            "errors": errors,
            "history": history_of(application),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def application_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """The county head withdraws the application, with an optional reason."""
    application = application_for(user=request.user, pk=pk)
    if not can_withdraw_application(request.user, application):
        raise PermissionDenied(_("You may not do this."))
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        return detail_page(request, application, withdraw_form=form, status=400)
    try:
        application_transition(
            application=application,
            action=Action.WITHDRAW,
            by=request.user,
            ip=client_ip(request),
            note=form.cleaned_data["note"],
        )
    except TransitionError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The application has been withdrawn."))
    return redirect("applications:detail", pk=application.pk)


@login_required
@require_POST
def application_undo(request: HttpRequest, pk: int) -> HttpResponse:
    """Undo a slip with its reason: the city withdraws its preliminary approval, the office
    reopens a confirmed written result. The transition's guards say until when."""
    application = application_for(user=request.user, pk=pk)
    form = UndoForm(request.POST)
    valid = form.is_valid()
    # Whose move it is comes first (403), also when the reason is missing; the state and the
    # guards answer with a message.
    action = form.cleaned_data.get("action")
    if action and not in_scope(request.user, application, action):
        raise PermissionDenied(_("You may not do this."))
    if not valid:
        return detail_page(request, application, undo_form=form, status=400)
    try:
        application_transition(
            application=application,
            action=form.cleaned_data["action"],
            by=request.user,
            note=form.cleaned_data["note"],
            ip=client_ip(request),
        )
    except TransitionError as error:
        # Too late (the meeting recorded, the visit scheduled): the page says why.
        for message in error.messages:
            messages.error(request, message)
        return redirect("applications:detail", pk=application.pk)
    messages.success(
        request,
        _("Done: “%(action)s”. The reason is in the history.")
        % {"action": Action(form.cleaned_data["action"]).label},
    )
    return redirect("applications:detail", pk=application.pk)


@login_required
@require_GET
def application_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The application form as a PDF to print, stamp and scan back."""
    application = application_for(user=request.user, pk=pk)
    response = file_response(
        application_form_pdf(
            application, may_see_contact=can_see_contact(request.user, application)
        ),
        filename=f"申报表-{application.county.name}-{application.cycle.year}.pdf",
        content_type=PDF,
    )
    return audited_download(
        request, response, action=AuditAction.APPLICATION_PDF_DOWNLOAD, obj=application
    )


@login_required
@require_GET
def application_docx(request: HttpRequest, pk: int) -> HttpResponse:
    """The application form as Word, for offices that edit and print Word."""
    application = application_for(user=request.user, pk=pk)
    return file_response(
        application_form_docx(
            application, may_see_contact=can_see_contact(request.user, application)
        ),
        filename=f"申报表-{application.county.name}-{application.cycle.year}.docx",
        content_type=DOCX,
    )
