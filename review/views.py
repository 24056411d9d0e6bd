"""The city's pages: dashboard, preliminary review, Party sign-off, forwarding; and the
campaign office's deadline extensions."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from applications.completeness import completeness_of
from applications.enums import Action, ApplicationState
from applications.evidence import private_file_response
from applications.models import Application, IndicatorFigure
from applications.selectors import application_for, applications_visible_to, history_of
from applications.services import current_cycle
from applications.workflow import TransitionError, available_actions, can_fire
from core.net import client_ip
from organizations.enums import Role
from organizations.selectors import has_role
from standards.enums import EvaluationStatus
from standards.evaluation import indicator_evaluate
from standards.models import Indicator

from . import services
from .forms import DeadlineExtensionForm, DecisionForm, ForwardForm, PartyMeetingForm, ScanForm
from .models import DeadlineExtension
from .selectors import batches_visible_to, cities_of, forwarding_deadline_for, meetings_visible_to


def _city_or_403(request: HttpRequest, *roles: str):
    cities = cities_of(request.user, *roles)
    if not cities:
        raise PermissionDenied(_("This page is for city bureaus."))
    return cities[0]


@dataclass
class DashboardRow:
    application: Application
    answered: int
    files: int
    unmet: int
    invalid: int


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """The city's applications in the current cycle: state, completeness, shortfalls, days left."""
    city = _city_or_403(request)
    cycle = current_cycle()
    rows: list[DashboardRow] = []
    deadline = extension = None
    if cycle is not None:
        applications = (
            applications_visible_to(user=request.user)
            .filter(cycle=cycle, county__parent=city)
            .annotate(
                answered=Count("assessments", filter=~Q(assessments__answer=""), distinct=True),
                files=Count("evidence", filter=Q(evidence__removed_at__isnull=True), distinct=True),
            )
            .prefetch_related(
                Prefetch(
                    "figures",
                    queryset=IndicatorFigure.objects.only(
                        "application_id", "indicator_id", "numerator", "denominator", "value"
                    ),
                )
            )
            .order_by("county__code")
        )
        state = request.GET.get("state", "")
        if state in ApplicationState.values:
            applications = applications.filter(state=state)
        county = request.GET.get("county", "")
        if county:
            applications = applications.filter(county__code=county)
        indicators = list(
            Indicator.objects.filter(item__section__version=cycle.criteria_version_id)
        )
        for application in applications:
            figures = {f.indicator_id: f for f in application.figures.all()}
            statuses = [
                indicator_evaluate(
                    indicator,
                    numerator=getattr(figures.get(indicator.pk), "numerator", None),
                    denominator=getattr(figures.get(indicator.pk), "denominator", None),
                    value=getattr(figures.get(indicator.pk), "value", None),
                    parameters=cycle.parameters,
                ).status
                for indicator in indicators
            ]
            rows.append(
                DashboardRow(
                    application,
                    application.answered,
                    application.files,
                    statuses.count(EvaluationStatus.NOT_MET),
                    statuses.count(EvaluationStatus.INVALID),
                )
            )
        deadline, extension = forwarding_deadline_for(cycle=cycle, city=city, now=timezone.now())
    days_left = None
    if deadline is not None:
        days_left = (timezone.localtime(deadline).date() - timezone.localdate()).days
    return render(
        request,
        "review/dashboard.html",
        {
            "city": city,
            "cycle": cycle,
            "rows": rows,
            "deadline": deadline,
            "extension": extension,
            "days_left": days_left,
            "states": ApplicationState.choices,
            "state": request.GET.get("state", ""),
            "county": request.GET.get("county", ""),
            "is_head": has_role(request.user, Role.CITY_HEAD),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_review(request: HttpRequest, pk: int) -> HttpResponse:
    """The reviewer reads the whole application, comments per item and decides."""
    application = application_for(user=request.user, pk=pk)
    if application.county.parent not in cities_of(request.user):
        # Visible (the county's own, or the province's) but not this user's to review.
        raise PermissionDenied(_("The preliminary review is the city bureau's."))
    form = DecisionForm(request.POST or None)
    may_decide = can_fire(request.user, application, Action.APPROVE)
    if request.method == "POST":
        if not may_decide:
            raise PermissionDenied(_("Only the city reviewer decides on a submitted application."))
        if form.is_valid():
            comments = {
                int(key.removeprefix("comment_")): value[:2000]
                for key, value in request.POST.items()
                if key.startswith("comment_") and key.removeprefix("comment_").isdigit()
            }
            try:
                services.review_decide(
                    application=application,
                    action=form.cleaned_data["decision"],
                    by=request.user,
                    reasons=form.cleaned_data["reasons"],
                    comments=comments,
                    ip=client_ip(request),
                )
            except TransitionError as error:
                for message in error.messages:
                    messages.error(request, message)
            else:
                messages.success(request, _("Your decision has been recorded."))
                return redirect("review:dashboard")
    report = completeness_of(application)
    evidence: dict[int, list] = {}
    for file in application.evidence.filter(removed_at__isnull=True).order_by("uploaded_at"):
        evidence.setdefault(file.item_id, []).append(file)
    comments = {}
    for comment in application.review_comments.select_related("author").order_by("created_at"):
        comments.setdefault(comment.item_id, []).append(comment)
    return render(
        request,
        "review/application_review.html",
        {
            "application": application,
            "report": report,
            "evidence": evidence,
            "comments": comments,
            "form": form,
            "may_decide": may_decide,
            "history": history_of(application),
            "actions": available_actions(request.user, application),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def meetings(request: HttpRequest) -> HttpResponse:
    """The city's Party meetings; the city head records a new one with its outcomes."""
    city = _city_or_403(request)
    cycle = current_cycle()
    is_head = has_role(request.user, Role.CITY_HEAD)
    candidates = (
        Application.objects.filter(
            cycle=cycle, county__parent=city, state=ApplicationState.CITY_APPROVED
        )
        .select_related("county")
        .order_by("county__code")
        if cycle
        else Application.objects.none()
    )
    form = PartyMeetingForm(request.POST or None, request.FILES or None, applications=candidates)
    if request.method == "POST":
        if not is_head:
            raise PermissionDenied(_("Only the city head records the Party meeting."))
        if form.is_valid():
            try:
                services.party_meeting_record(
                    cycle=cycle,
                    city=city,
                    by=request.user,
                    meeting_kind=form.cleaned_data["meeting_kind"],
                    held_on=form.cleaned_data["held_on"],
                    minutes_number=form.cleaned_data["minutes_number"],
                    minutes_upload=form.cleaned_data["minutes"],
                    outcomes=form.outcomes(),
                    ip=client_ip(request),
                )
            except (ValidationError, TransitionError) as error:
                reasons = error.messages
                form.add_error(None, " ".join(reasons))
            else:
                messages.success(
                    request, _("The Party meeting and its outcomes have been recorded.")
                )
                return redirect("review:meetings")
    return render(
        request,
        "review/meetings.html",
        {
            "meetings": meetings_visible_to(user=request.user)
            .filter(city=city)
            .prefetch_related("sign_offs__application__county"),
            "form": form,
            "candidates": candidates,
            "is_head": is_head,
            "cycle": cycle,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def meeting_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(meetings_visible_to(user=request.user), pk=pk)
    return private_file_response(meeting)


@login_required
@require_http_methods(["GET", "POST"])
def forward(request: HttpRequest) -> HttpResponse:
    """The city head forwards signed-off applications as one batch with a cover letter."""
    city = _city_or_403(request)
    cycle = current_cycle()
    is_head = has_role(request.user, Role.CITY_HEAD)
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
            "late": deadline is not None and timezone.now() > deadline,
            "is_head": is_head,
            "batches": batches_visible_to(user=request.user)
            .filter(city=city)
            .prefetch_related("applications__county"),
        },
        status=400 if request.method == "POST" else 200,
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
            "is_head": has_role(request.user, Role.CITY_HEAD)
            and batch.city in cities_of(request.user),
        },
    )


@login_required
@require_GET
def batch_cover_letter(request: HttpRequest, pk: int) -> HttpResponse:
    from .documents import cover_letter_pdf

    batch = get_object_or_404(batches_visible_to(user=request.user), pk=pk)
    response = HttpResponse(cover_letter_pdf(batch), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"上报函-{batch.city.name}-{batch.cycle.year}.pdf"
    )
    return response


@login_required
@require_POST
def batch_scan_upload(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(batches_visible_to(user=request.user), pk=pk)
    if not (has_role(request.user, Role.CITY_HEAD) and batch.city in cities_of(request.user)):
        raise PermissionDenied(_("Only the city head uploads the stamped letter."))
    form = ScanForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.forwarding_scan_add(
                batch=batch, upload=form.cleaned_data["file"], by=request.user
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
    return private_file_response(get_object_or_404(batch.scans, pk=scan_id))


@login_required
@require_http_methods(["GET", "POST"])
def deadline_extensions(request: HttpRequest) -> HttpResponse:
    """The campaign office grants a city a recorded extension to forward after the deadline."""
    if not has_role(request.user, Role.CAMPAIGN_OFFICE):
        raise PermissionDenied(_("Only the campaign office grants deadline extensions."))
    cycle = current_cycle()
    form = DeadlineExtensionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if cycle is None:
            form.add_error(None, _("No cycle is open."))
        else:
            try:
                services.deadline_extension_grant(
                    cycle=cycle,
                    city=form.cleaned_data["city"],
                    by=request.user,
                    until=form.cleaned_data["until"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                form.add_error(None, " ".join(error.messages))
            else:
                messages.success(request, _("The extension has been granted and recorded."))
                return redirect("review:deadline_extensions")
    return render(
        request,
        "review/deadline_extensions.html",
        {
            "form": form,
            "cycle": cycle,
            "extensions": DeadlineExtension.objects.select_related("city", "granted_by", "cycle"),
        },
        status=400 if request.method == "POST" else 200,
    )
