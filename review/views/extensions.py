"""The campaign office's deadline extensions for cities that forward late."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from applications.forms import ListFilterForm
from applications.selectors import (
    current_cycle,
)
from core.net import client_ip
from core.paging import page_of
from review import services
from review.forms import DeadlineExtensionForm
from review.models import DeadlineExtension
from review.permissions import (
    can_grant_deadline_extension,
)


@login_required
@require_http_methods(["GET", "POST"])
def deadline_extensions(request: HttpRequest) -> HttpResponse:
    """The campaign office grants a city a recorded extension to forward after the deadline;
    the extensions granted, searched by city, 50 a page."""
    if not can_grant_deadline_extension(request.user):
        raise PermissionDenied(_("Only the campaign office grants deadline extensions."))
    cycle = current_cycle()
    form = DeadlineExtensionForm(request.POST or None)
    filters = ListFilterForm(request.GET or None, several_cities=True)
    page, query = page_of(
        request,
        filters.narrow(
            DeadlineExtension.objects.select_related("city", "granted_by", "cycle"),
            prefix="city__",
            city_path="city",
        ),
    )
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
                    ip=client_ip(request),
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
            "filters": filters,
            "page": page,
            "query": query,
        },
        status=400 if request.method == "POST" or filters.failed else 200,
    )
