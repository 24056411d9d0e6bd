"""What the designation's page (``designations.views.register.detail``) shows of the
re-inspection rounds and the rectifications, through ``designations.hooks.DESIGNATION_PANEL``."""

from django.http import HttpRequest
from django.template.loader import render_to_string

from designations.enums import DesignationState
from designations.models import Designation

from .models import Rectification, Reinspection


def designation_panel(request: HttpRequest, designation: Designation) -> str:
    """The link to the rounds; the round open for the due date, or the way to open it while the
    designation is due; the rectifications with their states. Two queries."""
    open_round = Reinspection.objects.filter(
        designation=designation, due=designation.reinspection_due
    ).first()
    return render_to_string(
        "reinspections/partials/designation_panel.html",
        {
            "designation": designation,
            "open_round": open_round,
            "may_open_round": open_round is None
            and designation.state == DesignationState.REINSPECTION_DUE,
            "rectifications": list(
                Rectification.objects.filter(designation=designation).order_by("-pk")
            ),
        },
        request=request,
    )
