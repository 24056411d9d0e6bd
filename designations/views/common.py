"""What the designations' pages share: the office's checks."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _

from designations.permissions import can_manage_designations, can_view_designations


def require_view(request: HttpRequest) -> None:
    if not can_view_designations(request.user):
        raise PermissionDenied(_("The register is the campaign office's."))


def require_manage(request: HttpRequest) -> None:
    if not can_manage_designations(request.user):
        raise PermissionDenied(_("Only the campaign office acts on designations."))
