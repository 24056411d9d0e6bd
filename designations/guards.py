from django.utils.translation import gettext as _

from notices.guards import naming_blocked
from organizations.models import Bureau

from .models import Designation
from .selectors import bureau_holds_designation


def county_has_no_title(county: Bureau) -> str | None:
    """A bureau holding the title does not apply again: it is re-inspected (plan §三(六))."""
    if bureau_holds_designation(bureau=county):
        return _(
            "Your bureau holds the model bureau title; it is re-inspected instead of applying."
        )
    return None


def designation_recorded(application, ctx) -> str | None:
    """The application becomes ``designated`` only with its designation record, and only
    after its public notice (公示) has closed with every objection handled."""
    if reason := naming_blocked(application):
        return reason

    if not Designation.objects.filter(application=application).exists():
        return _("Record the designation first.")
    return None
