"""Evidence files: upload, download (scoped), removal."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from applications import services
from applications.evidence import private_file_response
from applications.forms import EvidenceUploadForm
from applications.permissions import can_upload_form_scan
from applications.selectors import application_for
from audit.downloads import audited_download
from audit.enums import AuditAction
from core.forms import InlineForm, cleaned_or_400
from standards.models import Item

from .common import require_editable


@login_required
@require_POST
def evidence_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload a file for an item (or, without item, the stamped scan of the form)."""
    application = application_for(user=request.user, pk=pk)
    form = EvidenceUploadForm(request.POST, request.FILES)
    valid = form.is_valid()
    # Evidence of an item (also a mistyped item) while the application is editable; without an
    # item, the stamped form, also wanted after submission until the city forwards.
    item_id = form.cleaned_data.get("item")
    if item_id is not None or "item" in form.errors:
        require_editable(request, application)
    elif not can_upload_form_scan(request.user, application):
        raise PermissionDenied(_("The stamped form can no longer be changed."))
    item = None
    if valid and item_id is not None:
        item = get_object_or_404(
            Item.objects.select_related("section"),
            pk=item_id,
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
    if not valid:
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
        # The file checks name the file in their message.
        messages.error(request, " ".join(error.messages))
        return redirect(back)
    messages.success(request, _("“%(name)s” uploaded.") % {"name": evidence.original_name})
    return redirect(back)


@login_required
@require_GET
def evidence_download(request: HttpRequest, pk: int, evidence_id: int) -> HttpResponse:
    """Serve a file to whoever may see the application: attachment, or inline for PDF/images."""
    application = application_for(user=request.user, pk=pk)
    evidence = get_object_or_404(application.evidence, pk=evidence_id)
    inline = cleaned_or_400(InlineForm(request.GET))["inline"]
    # Whoever may see the application may view PDFs and images in the browser; other types
    # are always attachments (private_file_response decides by type).
    return audited_download(
        request,
        private_file_response(evidence, inline=inline),
        action=AuditAction.EVIDENCE_DOWNLOAD,
        obj=evidence,
        details={"application": evidence.application_id, "name": evidence.original_name},
    )


@login_required
@require_POST
def evidence_remove(request: HttpRequest, pk: int, evidence_id: int) -> HttpResponse:
    application = application_for(user=request.user, pk=pk)
    require_editable(request, application)
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
