"""The city's dashboard and its preliminary review of an application."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from applications.completeness import completeness_of
from applications.enums import Action
from applications.forms import ApplicationFilterForm
from applications.selectors import (
    application_for,
    current_cycle,
    history_of,
)
from applications.workflow import TransitionError, available_actions, can_fire
from core.dates import days_left
from core.forms import add_errors
from core.net import client_ip
from core.paging import page_of
from review import services
from review.forms import (
    DecisionForm,
)
from review.permissions import (
    can_forward,
    can_review_application,
    can_use_city_review,
)
from review.selectors import (
    DashboardRow,
    cities_of,
    city_applications,
    dashboard_rows,
    forwarding_deadline_for,
)
from standards.models import Item


def city_or_403(request: HttpRequest, *roles: str):
    cities = cities_of(request.user, *roles)
    if not (cities and can_use_city_review(request.user)):
        raise PermissionDenied(_("This page is for city bureaus."))
    return cities[0]


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """The city's applications in the current cycle: state, completeness, shortfalls, days left;
    searched by county name or code, filtered by state, 50 a page."""
    city = city_or_403(request)
    cycle = current_cycle()
    filters = ApplicationFilterForm(request.GET or None)
    rows: list[DashboardRow] = []
    page = query = deadline = extension = None
    if cycle is not None:
        applications = city_applications(user=request.user, city=city, cycle=cycle)
        page, query = page_of(request, filters.narrow(applications))
        rows = dashboard_rows(page, cycle=cycle)
        deadline, extension = forwarding_deadline_for(cycle=cycle, city=city, now=timezone.now())
    left = None if deadline is None else days_left(deadline)
    return render(
        request,
        "review/dashboard.html",
        {
            "city": city,
            "cycle": cycle,
            "rows": rows,
            "deadline": deadline,
            "extension": extension,
            "days_left": left,
            "form": filters,
            "page": page,
            "query": query,
            "is_head": can_forward(request.user, city),
        },
        status=400 if filters.failed else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_review(request: HttpRequest, pk: int) -> HttpResponse:
    """The reviewer reads the whole application, comments per item and decides."""
    application = application_for(user=request.user, pk=pk)
    if not can_review_application(request.user, application):
        # Visible (the county's own, or the province's) but not this user's to review.
        raise PermissionDenied(_("The preliminary review is the city bureau's."))
    items = Item.objects.filter(section__version_id=application.cycle.criteria_version_id).order_by(
        "section__number", "order"
    )
    form = DecisionForm(request.POST or None, items=items.only("pk", "code"))
    may_decide = can_fire(request.user, application, Action.APPROVE)
    if request.method == "POST":
        if not may_decide:
            raise PermissionDenied(_("Only the city reviewer decides on a submitted application."))
        if form.is_valid():
            try:
                services.review_decide(
                    application=application,
                    action=form.cleaned_data["decision"],
                    by=request.user,
                    reasons=form.cleaned_data["reasons"],
                    comments=form.comments(),
                    ip=client_ip(request),
                )
            except TransitionError as error:
                add_errors(form, error)
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
            "comment_fields": form.comment_fields(),
            "may_decide": may_decide,
            "history": history_of(application),
            "actions": available_actions(request.user, application),
        },
        status=400 if request.method == "POST" else 200,
    )
