"""Cycles (the campaign office) and the earlier deadline a city head sets for its counties."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from applications import services
from applications.enums import CycleState
from applications.forms import CountyDeadlineForm, CycleForm
from applications.models import CountyDeadline, Cycle
from applications.permissions import can_manage_cycles, can_set_county_deadline
from applications.selectors import cities_headed_by
from core.forms import add_errors
from core.net import client_ip


def _cycle_page(
    request: HttpRequest,
    *,
    form: CycleForm | None = None,
    deadline_form: CountyDeadlineForm | None = None,
    deadline_cycle: Cycle | None = None,
    status: int = 200,
) -> HttpResponse:
    """The cycles with, for the office, the new-cycle form and, for a city head, its deadlines
    (``deadline_form``: the one refused for ``deadline_cycle``, with what was typed)."""
    is_office = can_manage_cycles(request.user)
    cities = cities_headed_by(user=request.user)
    cycles = Cycle.objects.select_related("criteria_version").prefetch_related(
        Prefetch(
            "county_deadlines",
            queryset=CountyDeadline.objects.filter(city__in=cities).select_related("city"),
            to_attr="own_deadlines",
        )
    )
    if form is None and is_office:
        form = CycleForm()
    return render(
        request,
        "applications/cycle_list.html",
        {
            "cycles": cycles,
            "is_office": is_office,
            "is_city_head": can_set_county_deadline(request.user),
            "form": form if is_office else None,
            "deadline_form": deadline_form or (CountyDeadlineForm() if cities else None),
            "deadline_cycle": deadline_cycle.pk if deadline_cycle else None,
        },
        status=status,
    )


@login_required
@require_GET
def cycle_list(request: HttpRequest) -> HttpResponse:
    return _cycle_page(request)


def _require_cycle_manager(request: HttpRequest) -> None:
    if not can_manage_cycles(request.user):
        raise PermissionDenied(_("Only the campaign office manages cycles."))


@login_required
@require_POST
def cycle_create(request: HttpRequest) -> HttpResponse:
    _require_cycle_manager(request)
    form = CycleForm(request.POST)
    if not form.is_valid():
        return _cycle_page(request, form=form, status=400)
    parameters = {}
    if form.cleaned_data["legal_aid_provincial_average"] is not None:
        parameters["legal_aid_provincial_average"] = str(
            form.cleaned_data["legal_aid_provincial_average"]
        )
    cycle = services.cycle_create(
        year=form.cleaned_data["year"],
        criteria_version=form.cleaned_data["criteria_version"],
        city_deadline=form.cleaned_data["city_deadline"],
        parameters=parameters,
        by=request.user,
        ip=client_ip(request),
    )
    messages.success(request, _("The %(year)s cycle has been created.") % {"year": cycle.year})
    return redirect("applications:cycle_list")


@login_required
@require_POST
def cycle_transition(request: HttpRequest, pk: int, to: str) -> HttpResponse:
    _require_cycle_manager(request)
    cycle = get_object_or_404(Cycle, pk=pk)
    try:
        if to == CycleState.OPEN:
            services.cycle_open(cycle=cycle, by=request.user, ip=client_ip(request))
            messages.success(
                request,
                _("The %(year)s cycle is open; its criteria version is now frozen.")
                % {"year": cycle.year},
            )
        elif to == CycleState.CLOSED:
            services.cycle_close(cycle=cycle, by=request.user, ip=client_ip(request))
            messages.success(request, _("The %(year)s cycle is closed.") % {"year": cycle.year})
        else:
            raise Http404
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("applications:cycle_list")


@login_required
@require_POST
def county_deadline_set(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = get_object_or_404(Cycle, pk=pk)
    if not can_set_county_deadline(request.user, cycle):
        raise PermissionDenied(_("Only a city head sets the deadline for its counties."))
    city = cities_headed_by(user=request.user)[0]
    form = CountyDeadlineForm(request.POST)
    if form.is_valid():
        try:
            services.county_deadline_set(
                cycle=cycle,
                city=city,
                deadline=form.cleaned_data["deadline"],
                by=request.user,
                ip=client_ip(request),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The deadline for your counties has been set."))
            return redirect("applications:cycle_list")
    return _cycle_page(request, deadline_form=form, deadline_cycle=cycle, status=400)
