"""Rectification pages: the county reports per requirement and submits; the office judges and
concludes. One page for both, scoped by ``rectifications_visible_to`` (another bureau's
rectification is a 404); each form on it is checked against the user's predicate (403)."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from applications.evidence import private_file_response
from applications.workflow import TransitionError
from audit.downloads import audited_download
from audit.enums import AuditAction
from core.forms import InlineForm, add_errors, cleaned_or_400
from core.net import client_ip
from core.paging import page_of
from designations.permissions import can_manage_designations
from organizations.enums import Role
from organizations.models import Division
from organizations.selectors import has_role
from reinspections import rectifications as services
from reinspections.deadlines import deadline_passed
from reinspections.enums import RectificationState
from reinspections.forms import (
    RectificationConcludeForm,
    RectificationFileForm,
    RectificationPageForm,
    RectificationSubmitForm,
    RequirementJudgeForm,
)
from reinspections.models import Rectification, RectificationFile, RectificationRequirement
from reinspections.permissions import can_submit_rectification, can_work_on_rectification
from reinspections.selectors import rectifications_visible_to

R = RectificationState
P = RectificationPageForm


def _rectification(request: HttpRequest, pk: int) -> Rectification:
    return get_object_or_404(rectifications_visible_to(user=request.user), pk=pk)


@login_required
@require_GET
def rectification_list(request: HttpRequest) -> HttpResponse:
    """The rectifications the user may see (office: all; county: its own), 50 a page."""
    if not has_role(request.user, Role.CAMPAIGN_OFFICE, Role.COUNTY_APPLICANT, Role.COUNTY_HEAD):
        raise PermissionDenied(_("Rectifications are the campaign office's and the counties'."))
    rows = (
        rectifications_visible_to(user=request.user)
        .select_related("designation__bureau__parent")
        .order_by("-ordered_at", "-pk")
    )
    page, query = page_of(request, rows)
    return render(request, "reinspections/rectification_list.html", {"page": page, "query": query})


def _requirement(rectification: Rectification, form: forms.Form) -> RectificationRequirement:
    return get_object_or_404(rectification.requirements, pk=form.cleaned_data["requirement"])


def _act(request: HttpRequest, rectification: Rectification, action: str, form: forms.Form):
    """Check the actor for ``action`` (403) and call its service with the form's data."""
    user, ip = request.user, client_ip(request)
    data = form.cleaned_data
    if action == P.UPLOAD:
        if not can_work_on_rectification(user, rectification):
            raise PermissionDenied(_("Only the designated county reports on its rectification."))
        file = services.rectification_file_add(
            requirement=_requirement(rectification, form),
            upload=data["file"],
            role=data["role"],
            by=user,
            ip=ip,
        )
        return _("“%(name)s” uploaded.") % {"name": file.original_name}
    if action == P.SUBMIT:
        if not can_submit_rectification(user, rectification):
            raise PermissionDenied(_("Only the county head submits the rectification report."))
        services.rectification_submit(rectification=rectification, by=user, ip=ip)
        return _("The rectification report is submitted.")
    if not can_manage_designations(user):
        raise PermissionDenied(_("Only the campaign office judges the rectification."))
    if action == P.JUDGE:
        services.rectification_judge(
            requirement=_requirement(rectification, form),
            met=data["met"],
            note=data["note"],
            division=data["division"],
            division_view=data["division_view"],
            by=user,
            ip=ip,
        )
        return _("Recorded.")
    services.rectification_conclude(
        rectification=rectification, by=user, decision=data["decision"], note=data["note"], ip=ip
    )
    return _("Recorded.")


FORM_CLASSES: dict[str, type[forms.Form]] = {
    P.UPLOAD: RectificationFileForm,
    P.SUBMIT: RectificationSubmitForm,
    P.JUDGE: RequirementJudgeForm,
    P.CONCLUDE: RectificationConcludeForm,
}


@login_required
@require_http_methods(["GET", "POST"])
def rectification(request: HttpRequest, pk: int) -> HttpResponse:
    """One rectification: its requirements with the county's files and the office's
    judgements; the forms the user may use in its state."""
    rectification = _rectification(request, pk)
    sent, sent_action = None, None
    if request.method == "POST":
        chosen = RectificationPageForm(request.POST)
        if not chosen.is_valid():
            sent = chosen
        else:
            sent_action = chosen.cleaned_data["action"]
            sent = FORM_CLASSES[sent_action](request.POST, request.FILES)
            if getattr(request, "upload_too_large", False):
                sent.is_valid()
                sent.add_error(
                    "file",
                    _("The file is larger than %(mb)d MB.")
                    % {"mb": settings.EVIDENCE_MAX_BYTES // 2**20},
                )
            elif sent.is_valid():
                try:
                    done = _act(request, rectification, sent_action, sent)
                except (ValidationError, TransitionError) as error:
                    add_errors(sent, error)
                else:
                    messages.success(request, done)
                    return redirect("reinspections:rectification", pk=rectification.pk)
        rectification.refresh_from_db()
    return render(
        request,
        "reinspections/rectification.html",
        _page_context(request, rectification, sent, sent_action),
        status=400 if request.method == "POST" else 200,
    )


def _sent_for(sent, sent_action, action, requirement_pk=None):
    """The form sent back with its errors where it belongs on the page, or None."""
    if sent is None or sent_action != action:
        return None
    if requirement_pk is None:
        return sent
    return sent if str(sent["requirement"].value()) == str(requirement_pk) else None


def _page_context(request, rectification, sent, sent_action) -> dict:
    user = request.user
    is_office = can_manage_designations(user)
    may_upload = (
        can_work_on_rectification(user, rectification)
        and rectification.state == R.OPEN
        and not deadline_passed(rectification)
    )
    may_judge = is_office and rectification.state == R.SUBMITTED
    requirements = list(
        rectification.requirements.select_related("item", "division", "judged_by").prefetch_related(
            "files"
        )
    )
    divisions = list(Division.objects.filter(is_active=True))
    rows = []
    for requirement in requirements:
        upload = _sent_for(sent, sent_action, P.UPLOAD, requirement.pk) or RectificationFileForm(
            auto_id=f"u{requirement.pk}-%s", initial={"requirement": requirement.pk}
        )
        judge = _sent_for(sent, sent_action, P.JUDGE, requirement.pk)
        if judge is None:
            judge = RequirementJudgeForm(
                auto_id=f"j{requirement.pk}-%s",
                initial={
                    "requirement": requirement.pk,
                    "met": "0" if requirement.met is False else "1",
                    "note": requirement.judgement_note,
                    "division": requirement.division_id,
                    "division_view": requirement.division_view,
                },
            )
        # The divisions once, not one query per requirement's picker.
        judge.fields["division"].choices = [("", "---------")] + [(d.pk, d.name) for d in divisions]
        rows.append({"requirement": requirement, "upload": upload, "judge": judge})
    unplaced = sent if sent is not None and sent_action not in FORM_CLASSES else None
    return {
        "rectification": rectification,
        "designation": rectification.designation,
        "rows": rows,
        "history": rectification.events.select_related("actor"),
        "deadline_passed": deadline_passed(rectification),
        "may_upload": may_upload,
        "may_submit": may_upload and can_submit_rectification(user, rectification),
        "may_judge": may_judge,
        "may_conclude": is_office and rectification.is_running,
        "is_office": is_office,
        "submit_form": _sent_for(sent, sent_action, P.SUBMIT) or RectificationSubmitForm(),
        "conclude_form": _sent_for(sent, sent_action, P.CONCLUDE)
        or RectificationConcludeForm(auto_id="c-%s"),
        "unplaced": unplaced,
    }


def _file(request: HttpRequest, pk: int, file_id: int) -> RectificationFile:
    rectification = _rectification(request, pk)
    return get_object_or_404(
        RectificationFile.objects.select_related("requirement__rectification__designation"),
        pk=file_id,
        requirement__rectification=rectification,
    )


@login_required
@require_GET
def rectification_file(request: HttpRequest, pk: int, file_id: int) -> HttpResponse:
    """A report or evidence file, to whoever may see the rectification (audited)."""
    file = _file(request, pk, file_id)
    inline = cleaned_or_400(InlineForm(request.GET))["inline"]
    return audited_download(
        request,
        private_file_response(file, inline=inline),
        action=AuditAction.RECTIFICATION_FILE_DOWNLOAD,
        obj=file,
        details={"rectification": pk, "name": file.original_name},
    )


@login_required
@require_POST
def rectification_file_remove(request: HttpRequest, pk: int, file_id: int) -> HttpResponse:
    """The county removes a file of its report while the report is open."""
    file = _file(request, pk, file_id)
    if not can_work_on_rectification(request.user, file.requirement.rectification):
        raise PermissionDenied(_("Only the designated county reports on its rectification."))
    try:
        services.rectification_file_remove(file=file, by=request.user, ip=client_ip(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("“%(name)s” removed.") % {"name": file.original_name})
    return redirect("reinspections:rectification", pk=pk)
