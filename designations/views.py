"""The office's register, designation, publication and dynamic management; the public list."""

import io

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from applications.enums import ApplicationState
from applications.models import Application, Cycle
from applications.services import current_cycle
from applications.workflow import TransitionError
from organizations.enums import BureauLevel
from organizations.models import Bureau

from . import services
from .caching import public_cache_version
from .enums import HOLDING_STATES, DesignationAction, DesignationState
from .forms import (
    CertificateBatchStartForm,
    DesignateForm,
    DesignationActionForm,
    PublishForm,
    RectificationForm,
    ReinspectionForm,
    RevocationForm,
)
from .models import CertificateBatch, Designation, Publication
from .permissions import can_manage_designations, can_view_designations
from .workflow import available_actions


def _require_view(request: HttpRequest) -> None:
    if not can_view_designations(request.user):
        raise PermissionDenied(_("The register is the campaign office's."))


def _require_manage(request: HttpRequest) -> None:
    if not can_manage_designations(request.user):
        raise PermissionDenied(_("Only the campaign office acts on designations."))


def _add_errors(form: forms.Form, error: ValidationError | TransitionError) -> None:
    """A service's refusal shown on the form: per field where it names one, else on top."""
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        for message in error.messages:
            form.add_error(None, message)


@login_required
@require_GET
def register(request: HttpRequest) -> HttpResponse:
    """Every designation with its state (office only)."""
    _require_view(request)
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


# The detail page's forms, by the action each records; ``auto_id`` keeps the field ids apart.
ACTION_FORMS: dict[str, tuple[type[forms.Form], str]] = {
    DesignationActionForm.REINSPECTION: (ReinspectionForm, "ri-%s"),
    DesignationActionForm.RECTIFICATION: (RectificationForm, "rc-%s"),
    DesignationActionForm.REVOKE: (RevocationForm, "rv-%s"),
}


def _action_record(action: str, designation: Designation, by, data: dict) -> Designation:
    if action == DesignationActionForm.REINSPECTION:
        return services.reinspection_record(
            designation=designation,
            by=by,
            passed=data["passed"],
            note=data["note"],
            deadline=data["deadline"],
        )
    if action == DesignationActionForm.RECTIFICATION:
        return services.rectification_record(
            designation=designation,
            by=by,
            passed=data["passed"],
            note=data["note"],
            decision=data["decision"],
        )
    return services.designation_revoke(
        designation=designation,
        by=by,
        ground=data["ground"],
        decision=data["decision"],
        revoked_on=data["revoked_on"],
        plaque_removed_on=data["plaque_removed_on"],
        note=data["note"],
    )


@login_required
@require_http_methods(["GET", "POST"])
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One designation: its history and the office's actions in its current state."""
    _require_view(request)
    designation = get_object_or_404(
        Designation.objects.select_related("bureau__parent", "publication"), pk=pk
    )
    action_forms = {
        action: form_class(auto_id=auto_id)
        for action, (form_class, auto_id) in ACTION_FORMS.items()
    }
    sent = None
    if request.method == "POST":
        _require_manage(request)
        sent = DesignationActionForm(request.POST)
        if sent.is_valid():
            action = sent.cleaned_data["action"]
            form_class, auto_id = ACTION_FORMS[action]
            sent = action_forms[action] = form_class(request.POST, auto_id=auto_id)
            if sent.is_valid():
                try:
                    _action_record(action, designation, request.user, sent.cleaned_data)
                except (ValidationError, TransitionError) as error:
                    _add_errors(sent, error)
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
            "reinspection_form": action_forms[DesignationActionForm.REINSPECTION],
            "rectification_form": action_forms[DesignationActionForm.RECTIFICATION],
            "revocation_form": action_forms[DesignationActionForm.REVOKE],
            "may_reinspect": DesignationAction.REINSPECTION_PASS in actions,
            "may_close_rectification": DesignationAction.RECTIFICATION_PASS in actions,
            "may_revoke": DesignationAction.REVOKE in actions,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def designate(request: HttpRequest) -> HttpResponse:
    """Approved applications become designations: number, date, decision, reward."""
    _require_view(request)
    sent = None
    if request.method == "POST":
        _require_manage(request)
        sent = DesignateForm(request.POST)
        if sent.is_valid():
            application = sent.cleaned_data["application"]
            decision = getattr(application, "provincial_decision", None)
            try:
                designation = services.designation_grant(
                    application=application,
                    by=request.user,
                    designated_on=sent.cleaned_data["designated_on"],
                    reward=sent.cleaned_data["reward"],
                    head_name=sent.cleaned_data["head_name"],
                    decision_reference=decision.meeting.number if decision else "",
                )
            except (ValidationError, TransitionError) as error:
                _add_errors(sent, error)
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


@login_required
@require_GET
def certificate(request: HttpRequest, pk: int) -> HttpResponse:
    from .documents import certificate_pdf

    _require_view(request)
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
    _require_view(request)
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
        _require_manage(request)
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
                )
            except ValidationError as error:
                _add_errors(form, error)
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
    version = public_cache_version()
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

    _require_view(request)
    return render(request, "designations/quota.html", {"overview": quota_overview()})


@login_required
@require_POST
def certificate_batch_start(request: HttpRequest) -> HttpResponse:
    """Start rendering a cycle's certificates in the background."""
    _require_manage(request)
    form = CertificateBatchStartForm(request.POST)
    if not form.is_valid():
        # The cycle is the object the action is on: a missing or unknown one is not found.
        raise Http404(_("No such cycle."))
    batch = services.certificate_batch_start(cycle=form.cleaned_data["cycle"], by=request.user)
    return redirect("designations:certificate_batch", pk=batch.pk)


@login_required
@require_GET
def certificate_batch(request: HttpRequest, pk: int) -> HttpResponse:
    """A batch's progress; the page polls it with htmx until the file is ready."""
    _require_view(request)
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

    _require_view(request)
    batch = get_object_or_404(CertificateBatch, pk=pk, state=CertificateBatch.State.DONE)
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

    _require_view(request)
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
