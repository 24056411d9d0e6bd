"""Certificates: one designation's, or a cycle's rendered in the background."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from applications.permissions import COUNTY_ROLES
from audit.downloads import audited_download
from audit.enums import AuditAction
from core.net import client_ip
from core.responses import PDF, file_response
from core.storage import private_download
from designations import batches
from designations.documents import certificate_pdf
from designations.forms import (
    CertificateBatchStartForm,
)
from designations.models import CertificateBatch, Designation
from designations.permissions import can_download_certificate
from designations.views.common import require_manage, require_view
from organizations.selectors import memberships_of


@login_required
@require_GET
def certificate(request: HttpRequest, pk: int) -> HttpResponse:
    """One designation's certificate: the office's, and the county's own once published."""
    designation = get_object_or_404(Designation.objects.select_related("bureau"), pk=pk)
    if not can_download_certificate(request.user, designation):
        # A county sees its own certificate only; another bureau's is not found.
        if any(m.role in COUNTY_ROLES for m in memberships_of(request.user)):
            raise Http404
        require_view(request)
    response = file_response(
        certificate_pdf([designation]),
        filename=f"证书-{designation.bureau.name}.pdf",
        content_type=PDF,
    )
    return audited_download(
        request, response, action=AuditAction.CERTIFICATE_DOWNLOAD, obj=designation
    )


@login_required
@require_POST
def certificate_batch_start(request: HttpRequest) -> HttpResponse:
    """Start rendering a cycle's certificates in the background."""
    require_manage(request)
    form = CertificateBatchStartForm(request.POST)
    if not form.is_valid():
        # The cycle is the object the action is on: a missing or unknown one is not found.
        raise Http404(_("No such cycle."))
    batch = batches.certificate_batch_start(
        cycle=form.cleaned_data["cycle"], by=request.user, ip=client_ip(request)
    )
    return redirect("designations:certificate_batch", pk=batch.pk)


@login_required
@require_GET
def certificate_batch(request: HttpRequest, pk: int) -> HttpResponse:
    """A batch's progress; the page polls it with htmx until the file is ready."""
    require_view(request)
    batch = get_object_or_404(CertificateBatch.objects.select_related("cycle"), pk=pk)
    template = (
        "designations/partials/batch_progress.html"
        if request.htmx
        else "designations/certificate_batch.html"
    )
    return render(request, template, {"batch": batch})


@login_required
@require_GET
def certificate_batch_download(request: HttpRequest, pk: int) -> HttpResponse:
    require_view(request)
    batch = get_object_or_404(CertificateBatch, pk=pk, state=CertificateBatch.State.DONE)
    response = private_download(
        batch.stored_name, filename=f"证书-{batch.cycle.year}.pdf", content_type=PDF
    )
    return audited_download(
        request, response, action=AuditAction.CERTIFICATE_BATCH_DOWNLOAD, obj=batch
    )
