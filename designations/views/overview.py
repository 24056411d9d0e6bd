"""The quota and the campaign office's dashboard."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from designations.dashboard import dashboard_data
from designations.selectors import quota_overview
from designations.views.common import require_view


@login_required
@require_GET
def quota(request: HttpRequest) -> HttpResponse:
    """Per cycle and over the 3-year horizon: bureaus, target, active, revoked, freed, share."""
    require_view(request)
    return render(request, "designations/quota.html", {"overview": quota_overview()})


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    require_view(request)
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
