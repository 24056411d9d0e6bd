"""Publishing designations with the naming notice."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from applications.models import Cycle
from applications.selectors import current_cycle
from audit.downloads import audited_download
from audit.enums import AuditAction
from core.forms import add_errors
from core.net import client_ip
from core.responses import PDF, file_response
from designations import services
from designations.documents import notice_pdf
from designations.enums import HOLDING_STATES
from designations.forms import (
    PublishForm,
)
from designations.models import Designation, Publication
from designations.views.common import require_manage, require_view


@login_required
@require_http_methods(["GET", "POST"])
def publish(request: HttpRequest) -> HttpResponse:
    """Publish the cycle's unpublished designations as one act, with the naming notice."""
    require_view(request)
    cycle = current_cycle() or Cycle.objects.order_by("-year").first()
    pending = (
        Designation.objects.filter(cycle=cycle, publication__isnull=True, state__in=HOLDING_STATES)
        .select_related("bureau__parent")
        .order_by("bureau__code")
        if cycle
        else Designation.objects.none()
    )
    form = PublishForm(
        request.POST if request.method == "POST" else None,
        pending=pending,
        initial={"designations": [d.pk for d in pending]},
    )
    if request.method == "POST":
        require_manage(request)
        if cycle is None:
            form.add_error(None, _("No cycle to publish for."))
        elif form.is_valid():
            try:
                publication = services.publication_publish(
                    cycle=cycle,
                    by=request.user,
                    document_number=form.cleaned_data["document_number"],
                    published_on=form.cleaned_data["published_on"],
                    designations=list(form.cleaned_data["designations"]),
                    ip=client_ip(request),
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(
                    request, _("Published: %(number)s.") % {"number": publication.document_number}
                )
                return redirect("designations:publish")
    return render(
        request,
        "designations/publish.html",
        {
            "cycle": cycle,
            "pending": pending,
            "form": form,
            "publications": Publication.objects.filter(cycle=cycle).prefetch_related(
                "designations__bureau"
            )
            if cycle
            else [],
        },
        status=400 if request.method == "POST" else 200,
    )


@require_GET
def notice(request: HttpRequest, pk: int) -> HttpResponse:
    """The naming notice (命名通报) of a publication: public, as the publication is."""
    publication = get_object_or_404(Publication.objects.select_related("cycle"), pk=pk)
    response = file_response(
        notice_pdf(publication),
        filename=f"命名通报-{publication.document_number}.pdf",
        content_type=PDF,
        inline=True,
    )
    # Public: the actor may be anonymous (the entry keeps the address and the browser).
    return audited_download(
        request, response, action=AuditAction.PUBLICATION_DOWNLOAD, obj=publication
    )
