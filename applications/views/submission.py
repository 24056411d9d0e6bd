"""Completeness, the head's submission with the pledge, withdrawal, the form as a PDF."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from applications.completeness import completeness_of
from applications.enums import Action, ApplicationState
from applications.forms import SubmitForm
from applications.selectors import application_for, history_of
from applications.workflow import TransitionError, application_transition, available_actions
from portal.views import client_ip


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
    from applications.documents import application_form_pdf

    application = application_for(user=request.user, pk=pk)
    pdf = application_form_pdf(application)
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"申报表-{application.county.name}-{application.cycle.year}.pdf"
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=filename
    )
    return response
