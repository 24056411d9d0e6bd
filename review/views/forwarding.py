"""Forwarding to the province: the batch, its cover letter and the stamped scan."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from applications.enums import ApplicationState
from applications.evidence import private_file_response
from applications.forms import ListFilterForm
from applications.models import Application
from applications.selectors import (
    current_cycle,
)
from applications.workflow import TransitionError
from audit.downloads import audited_download
from audit.enums import AuditAction
from core.dates import is_past
from core.net import client_ip
from core.paging import page_of
from core.responses import PDF, file_response
from review import services
from review.documents import cover_letter_pdf
from review.forms import ForwardForm, ScanForm
from review.models import ForwardingBatch
from review.permissions import (
    can_forward,
)
from review.selectors import batches_visible_to, forwarding_deadline_for
from review.views.applications import city_or_403


@login_required
@require_http_methods(["GET", "POST"])
def forward(request: HttpRequest) -> HttpResponse:
    """The city head forwards signed-off applications as one batch with a cover letter; the
    batches forwarded, searched by a county in them, 50 a page."""
    city = city_or_403(request)
    cycle = current_cycle()
    is_head = can_forward(request.user, city)
    ready = list(
        Application.objects.filter(
            cycle=cycle, county__parent=city, state=ApplicationState.SIGNED_OFF
        )
        .select_related("county__parent", "cycle")
        .order_by("county__code")
        if cycle
        else []
    )
    form = ForwardForm(request.POST or None, applications=ready)
    filters = ListFilterForm(request.GET or None)
    batches = (
        batches_visible_to(user=request.user)
        .filter(city=city)
        .filter(
            pk__in=filters.narrow(
                ForwardingBatch.objects.all(), prefix="applications__county__"
            ).values("pk")
        )
        .prefetch_related("applications__county")
        .order_by("-forwarded_at")
    )
    page, query = page_of(request, batches)
    deadline = extension = None
    if cycle:
        deadline, extension = forwarding_deadline_for(cycle=cycle, city=city, now=timezone.now())
    if request.method == "POST":
        if not is_head:
            raise PermissionDenied(_("Only the city head forwards to the province."))
        if form.is_valid():
            chosen = [a for a in ready if str(a.pk) in form.cleaned_data["applications"]]
            try:
                batch = services.forwarding_batch_create(
                    cycle=cycle,
                    city=city,
                    by=request.user,
                    applications=chosen,
                    letter_number=form.cleaned_data["letter_number"],
                    ip=client_ip(request),
                )
            except (ValidationError, TransitionError) as error:
                form.add_error(None, " ".join(error.messages))
            else:
                messages.success(
                    request,
                    _("%(n)d application(s) forwarded to the province.") % {"n": len(chosen)},
                )
                return redirect("review:batch", pk=batch.pk)
    return render(
        request,
        "review/forward.html",
        {
            "form": form,
            "ready": ready,
            "cycle": cycle,
            "deadline": deadline,
            "extension": extension,
            "late": deadline is not None and is_past(deadline),
            "is_head": is_head,
            "filters": filters,
            "page": page,
            "query": query,
        },
        status=400 if request.method == "POST" or filters.failed else 200,
    )


@login_required
@require_GET
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(batches_visible_to(user=request.user), pk=pk)
    return render(
        request,
        "review/batch_detail.html",
        {
            "batch": batch,
            "applications": batch.applications.select_related("county").order_by("county__code"),
            "scans": batch.scans.select_related("uploaded_by"),
            "scan_form": ScanForm(),
            "is_head": can_forward(request.user, batch.city),
        },
    )


@login_required
@require_GET
def batch_cover_letter(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(batches_visible_to(user=request.user), pk=pk)
    response = file_response(
        cover_letter_pdf(batch),
        filename=f"上报函-{batch.city.name}-{batch.cycle.year}.pdf",
        content_type=PDF,
    )
    return audited_download(request, response, action=AuditAction.COVER_LETTER_DOWNLOAD, obj=batch)


@login_required
@require_POST
def batch_scan_upload(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(batches_visible_to(user=request.user), pk=pk)
    if not can_forward(request.user, batch.city):
        raise PermissionDenied(_("Only the city head uploads the stamped letter."))
    form = ScanForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.forwarding_scan_add(
                batch=batch,
                upload=form.cleaned_data["file"],
                by=request.user,
                ip=client_ip(request),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The stamped cover letter has been uploaded."))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("review:batch", pk=batch.pk)


@login_required
@require_GET
def batch_scan(request: HttpRequest, pk: int, scan_id: int) -> HttpResponse:
    batch = get_object_or_404(batches_visible_to(user=request.user), pk=pk)
    scan = get_object_or_404(batch.scans, pk=scan_id)
    return audited_download(
        request,
        private_file_response(scan),
        action=AuditAction.FORWARDING_SCAN_DOWNLOAD,
        obj=scan,
        details={"batch": batch.pk, "name": scan.original_name},
    )
