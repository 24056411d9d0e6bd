"""The register of designations, one designation's page and its actions, naming."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from applications.enums import ApplicationState
from applications.models import Application
from applications.workflow import TransitionError
from core.forms import add_errors
from core.net import client_ip
from core.paging import page_of
from designations import services
from designations.enums import DesignationAction
from designations.forms import (
    DesignateForm,
    DesignationActionForm,
    RegisterFilterForm,
    RevocationForm,
)
from designations.hooks import designation_panel
from designations.models import Designation
from designations.views.common import require_manage, require_view
from designations.workflow import available_actions
from evaluation.decisions import with_decision_in_force
from notices.selectors import with_window_latest


@login_required
@require_GET
def register(request: HttpRequest) -> HttpResponse:
    """Every designation with its state (office only), filtered by state and searched by the
    bureau's name or code or the designation number, 50 a page with the total."""
    require_view(request)
    designations = Designation.objects.select_related(
        "bureau__parent", "publication", "cycle"
    ).order_by("-designated_on", "number")
    form = RegisterFilterForm(request.GET or None)
    valid = not form.is_bound or form.is_valid()
    if not valid:
        designations = designations.none()
    elif form.is_bound:
        if state := form.cleaned_data["state"]:
            designations = designations.filter(state=state)
        if search := form.cleaned_data["q"].strip():
            designations = designations.filter(
                Q(bureau__name__icontains=search)
                | Q(bureau__code__startswith=search)
                | Q(number__icontains=search)
            )
    page, query = page_of(request, designations)
    return render(
        request,
        "designations/register.html",
        {"page": page, "query": query, "form": form},
        status=200 if valid else 400,
    )


@login_required
@require_http_methods(["GET", "POST"])
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One designation: its history, the re-inspection rounds and rectifications (the
    reinspections app's part, ``designation_panel``) and the office's immediate revocation.
    The re-inspection's result is decided on its round's page, never here."""
    require_view(request)
    designation = get_object_or_404(
        Designation.objects.select_related("bureau__parent", "publication"), pk=pk
    )
    revocation_form = RevocationForm(auto_id="rv-%s")
    sent = None
    if request.method == "POST":
        require_manage(request)
        sent = DesignationActionForm(request.POST)
        if sent.is_valid():
            sent = revocation_form = RevocationForm(request.POST, auto_id="rv-%s")
            if sent.is_valid():
                data = sent.cleaned_data
                try:
                    services.designation_revoke(
                        designation=designation,
                        by=request.user,
                        ground=data["ground"],
                        decision=data["decision"],
                        revoked_on=data["revoked_on"],
                        plaque_removed_on=data["plaque_removed_on"],
                        note=data["note"],
                        ip=client_ip(request),
                    )
                except (ValidationError, TransitionError) as error:
                    add_errors(sent, error)
                else:
                    messages.success(request, _("Recorded."))
                    return redirect("designations:detail", pk=designation.pk)
    actions = available_actions(request.user, designation)
    return render(
        request,
        "designations/detail.html",
        {
            "designation": designation,
            "events": designation.events.select_related("actor"),
            "sent": sent,
            "panel": designation_panel(request, designation),
            "revocation_form": revocation_form,
            "may_revoke": DesignationAction.REVOKE in actions,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def designate(request: HttpRequest) -> HttpResponse:
    """Approved applications become designations: number, date, decision, reward."""
    require_view(request)
    sent = None
    if request.method == "POST":
        require_manage(request)
        sent = DesignateForm(request.POST)
        if sent.is_valid():
            application = sent.cleaned_data["application"]
            try:
                designation = services.designation_grant(
                    application=application,
                    by=request.user,
                    designated_on=sent.cleaned_data["designated_on"],
                    reward=sent.cleaned_data["reward"],
                    head_name=sent.cleaned_data["head_name"],
                    ip=client_ip(request),
                )
            except (ValidationError, TransitionError) as error:
                add_errors(sent, error)
            else:
                messages.success(
                    request,
                    _("%(bureau)s is designated: %(number)s.")
                    % {"bureau": designation.bureau.name, "number": designation.number},
                )
                return redirect("designations:designate")
    approved = with_window_latest(
        with_decision_in_force(Application.objects.filter(state=ApplicationState.APPROVED))
    ).select_related("county__parent", "cycle")
    rows, unmatched = [], sent
    for application in approved:
        auto_id = f"d{application.pk}-%s"
        if sent is not None and str(sent["application"].value()) == str(application.pk):
            # The form sent for this application comes back with its errors and its values.
            sent.auto_id, unmatched = auto_id, None
            rows.append((application, sent))
        else:
            initial = {"application": application.pk, "head_name": application.head_name}
            rows.append((application, DesignateForm(auto_id=auto_id, initial=initial)))
    return render(
        request,
        "designations/designate.html",
        {"rows": rows, "unmatched": unmatched},
        status=400 if request.method == "POST" else 200,
    )
