"""The office's register, designation, publication and dynamic management; the public list."""

import io
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from applications.enums import ApplicationState
from applications.models import Application, Cycle
from applications.services import current_cycle
from organizations.enums import BureauLevel, Role
from organizations.models import Bureau
from organizations.selectors import has_role

from . import services
from .enums import HOLDING_STATES, DesignationState, RevocationGround, Reward
from .models import Designation, Publication


def _office_only(request: HttpRequest) -> None:
    if not has_role(request.user, Role.CAMPAIGN_OFFICE):
        raise PermissionDenied(_("The register is the campaign office's."))


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


@login_required
@require_GET
def register(request: HttpRequest) -> HttpResponse:
    """Every designation with its state (office only)."""
    _office_only(request)
    designations = Designation.objects.select_related(
        "bureau__parent", "publication", "cycle"
    ).order_by("-designated_on", "number")
    state = request.GET.get("state", "")
    if state in DesignationState.values:
        designations = designations.filter(state=state)
    return render(
        request,
        "designations/register.html",
        {"designations": designations, "states": DesignationState.choices, "state": state},
    )


@login_required
@require_http_methods(["GET", "POST"])
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One designation: its history and the office's actions in its current state."""
    _office_only(request)
    designation = get_object_or_404(
        Designation.objects.select_related("bureau__parent", "publication"), pk=pk
    )
    if request.method == "POST":
        action = request.POST.get("action", "")
        note = request.POST.get("note", "")[:4000]
        try:
            if action == "reinspection":
                services.reinspection_record(
                    designation=designation,
                    by=request.user,
                    passed=request.POST.get("passed") == "1",
                    note=note,
                    deadline=_date(request.POST.get("deadline", "")),
                )
            elif action == "rectification":
                services.rectification_record(
                    designation=designation,
                    by=request.user,
                    passed=request.POST.get("passed") == "1",
                    note=note,
                    decision=request.POST.get("decision", "")[:120],
                )
            elif action == "revoke":
                services.designation_revoke(
                    designation=designation,
                    by=request.user,
                    ground=request.POST.get("ground", ""),
                    decision=request.POST.get("decision", "")[:120],
                    revoked_on=_date(request.POST.get("revoked_on", "")) or timezone.localdate(),
                    plaque_removed_on=_date(request.POST.get("plaque_removed_on", ""))
                    or timezone.localdate(),
                    note=note,
                )
            else:
                raise ValidationError(_("Unknown action."))
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Recorded."))
            return redirect("designations:detail", pk=designation.pk)
    return render(
        request,
        "designations/detail.html",
        {
            "designation": designation,
            "events": designation.events.select_related("actor"),
            "grounds": [(v, label) for v, label in RevocationGround.choices if v != "reinspection"],
            "holding": designation.state in HOLDING_STATES,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def designate(request: HttpRequest) -> HttpResponse:
    """Approved applications become designations: number, date, decision, reward."""
    _office_only(request)
    if request.method == "POST":
        application = get_object_or_404(
            Application.objects.select_related("county", "cycle"),
            pk=request.POST.get("application"),
            state=ApplicationState.APPROVED,
        )
        decision = getattr(application, "provincial_decision", None)
        try:
            designation = services.designation_grant(
                application=application,
                by=request.user,
                designated_on=_date(request.POST.get("designated_on", "")) or timezone.localdate(),
                reward=request.POST.get("reward", ""),
                head_name=request.POST.get("head_name", "")[:40],
                decision_reference=decision.meeting.number if decision else "",
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("%(bureau)s is designated: %(number)s.")
                % {"bureau": designation.bureau.name, "number": designation.number},
            )
            return redirect("designations:designate")
    approved = Application.objects.filter(state=ApplicationState.APPROVED).select_related(
        "county__parent", "cycle", "provincial_decision__meeting"
    )
    return render(
        request,
        "designations/designate.html",
        {"approved": approved, "rewards": Reward.choices, "today": timezone.localdate()},
    )


@login_required
@require_GET
def certificate(request: HttpRequest, pk: int) -> HttpResponse:
    from .documents import certificate_pdf

    _office_only(request)
    designation = get_object_or_404(Designation.objects.select_related("bureau"), pk=pk)
    response = HttpResponse(certificate_pdf([designation]), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"证书-{designation.bureau.name}.pdf"
    )
    return response


@login_required
@require_http_methods(["GET", "POST"])
def publish(request: HttpRequest) -> HttpResponse:
    """Publish the cycle's unpublished designations as one act, with the naming notice."""
    _office_only(request)
    cycle = current_cycle() or Cycle.objects.order_by("-year").first()
    pending = (
        Designation.objects.filter(cycle=cycle, publication__isnull=True, state__in=HOLDING_STATES)
        .select_related("bureau__parent")
        .order_by("bureau__code")
        if cycle
        else Designation.objects.none()
    )
    if request.method == "POST" and cycle:
        chosen = [d for d in pending if str(d.pk) in request.POST.getlist("designations")]
        try:
            publication = services.publication_publish(
                cycle=cycle,
                by=request.user,
                document_number=request.POST.get("document_number", "").strip()[:60],
                published_on=_date(request.POST.get("published_on", "")) or timezone.localdate(),
                designations=chosen,
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
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
            "publications": Publication.objects.filter(cycle=cycle).prefetch_related(
                "designations__bureau"
            )
            if cycle
            else [],
            "today": timezone.localdate(),
        },
    )


@require_GET
def notice(request: HttpRequest, pk: int) -> HttpResponse:
    """The naming notice (命名通报) of a publication: public, as the publication is."""
    from .documents import notice_pdf

    publication = get_object_or_404(Publication.objects.select_related("cycle"), pk=pk)
    response = HttpResponse(notice_pdf(publication), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=False, filename=f"命名通报-{publication.document_number}.pdf"
    )
    return response


def _public_rows(year: str, city: str):
    qs = (
        Designation.objects.filter(state__in=HOLDING_STATES, publication__isnull=False)
        .select_related("bureau__parent", "publication")
        .order_by("bureau__parent__code", "bureau__code")
    )
    if year.isdigit():
        qs = qs.filter(designated_on__year=int(year))
    if city:
        qs = qs.filter(bureau__parent__code=city)
    return list(qs)


@require_GET
def public_list(request: HttpRequest) -> HttpResponse:
    """The published, active model bureaus by city (no log-in). Cached until the next
    publication or revocation; its query count does not depend on the number of bureaus."""
    year, city = request.GET.get("year", ""), request.GET.get("city", "")
    version = services.public_cache_version()
    # Browsers and proxies may keep the page, but must ask again: a publication or a
    # revocation changes the version, and with it the ETag.
    etag = f'"{version}-{request.LANGUAGE_CODE}-{year}-{city}"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=304)
    else:
        key = f"public-list:{version}:{request.LANGUAGE_CODE}:{year}:{city}"
        html = cache.get(key)
        if html is None:
            html = _public_list_html(request, year, city)
            cache.set(key, html, 3600)
        response = HttpResponse(html)
    response["ETag"] = etag
    response["Cache-Control"] = "public, no-cache"
    response["Vary"] = "Accept-Language, Cookie"
    return response


def _public_list_html(request: HttpRequest, year: str, city: str) -> str:
    rows = _public_rows(year, city)
    groups: dict = {}
    for designation in rows:
        groups.setdefault(designation.bureau.parent, []).append(designation)
    return render_to_string(
        "designations/public_list.html",
        {
            "groups": list(groups.items()),
            "count": len(rows),
            "year": year,
            "city": city,
            "cities": Bureau.objects.filter(level=BureauLevel.CITY, is_active=True).order_by(
                "code"
            ),
            "years": range(timezone.localdate().year, 2016, -1),
            "publications": Publication.objects.select_related("cycle").order_by("-published_on")[
                :20
            ],
        },
        request=request,
    )


@require_GET
def public_xlsx(request: HttpRequest) -> HttpResponse:
    from openpyxl import Workbook

    rows = _public_rows(request.GET.get("year", ""), request.GET.get("city", ""))
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "示范司法局名单"
    sheet.append(["序号", "所属市(地)", "单位", "命名文号", "命名日期", "命名通报"])
    for index, designation in enumerate(rows, start=1):
        sheet.append(
            [
                index,
                designation.bureau.parent.name,
                designation.bureau.name,
                designation.number,
                designation.designated_on.isoformat(),
                designation.publication.document_number,
            ]
        )
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename="全省示范司法局名单.xlsx"
    )
    return response


@require_GET
def public_pdf(request: HttpRequest) -> HttpResponse:
    from .documents import public_list_pdf

    rows = _public_rows(request.GET.get("year", ""), request.GET.get("city", ""))
    response = HttpResponse(public_list_pdf(rows), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename="全省示范司法局名单.pdf"
    )
    return response


@login_required
@require_GET
def quota(request: HttpRequest) -> HttpResponse:
    """Per cycle and over the 3-year horizon: bureaus, target, active, revoked, freed, share."""
    from .selectors import quota_overview

    _office_only(request)
    return render(request, "designations/quota.html", {"overview": quota_overview()})


@login_required
@require_POST
def certificate_batch_start(request: HttpRequest) -> HttpResponse:
    """Start rendering a cycle's certificates in the background."""
    from core.tasks import queue_after_commit

    from .models import CertificateBatch
    from .tasks import render_certificate_batch

    _office_only(request)
    cycle = get_object_or_404(Cycle, pk=request.POST.get("cycle"))
    batch = CertificateBatch.objects.create(cycle=cycle, requested_by=request.user)
    queue_after_commit(render_certificate_batch, batch.pk)
    return redirect("designations:certificate_batch", pk=batch.pk)


@login_required
@require_GET
def certificate_batch(request: HttpRequest, pk: int) -> HttpResponse:
    """A batch's progress; the page polls it with htmx until the file is ready."""
    from .models import CertificateBatch

    _office_only(request)
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
    from applications.evidence import stored_path

    from .models import CertificateBatch

    _office_only(request)
    batch = get_object_or_404(CertificateBatch, pk=pk, state="done")
    response = FileResponse(
        stored_path(batch.stored_name).open("rb"), content_type="application/pdf"
    )
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"证书-{batch.cycle.year}.pdf"
    )
    return response


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    from .dashboard import dashboard_data

    _office_only(request)
    data = dashboard_data()
    labels = {
        "county": _("At the county"),
        "city": _("At the city"),
        "written": _("Written review"),
        "inspection": _("On-site inspection"),
        "decision": _("Party committee decision"),
        "designated": _("Designated"),
        "out": _("Not continued"),
    }
    chart = {
        "cities": [row["city"].region_name for row in data["rows"]],
        "stages": [
            {"label": str(labels[stage]), "data": [row["stages"][index] for row in data["rows"]]}
            for index, stage in enumerate(data["stages"])
        ],
        "designated": {
            "label": str(_("Model bureaus")),
            "data": [row["designated"] for row in data["rows"]],
        },
    }
    return render(
        request,
        "designations/dashboard.html",
        {**data, "stage_labels": [labels[s] for s in data["stages"]], "chart": chart},
    )
