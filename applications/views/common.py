"""What the application views share: the upload limits and the editability check."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _

from applications.enums import EVIDENCE_KINDS
from applications.evidence import accept_attribute
from applications.models import Application
from applications.permissions import can_edit_application


def upload_limits() -> dict[str, int | str]:
    return {
        "max_bytes": settings.EVIDENCE_MAX_BYTES,
        "max_mb": settings.EVIDENCE_MAX_BYTES // (1024 * 1024),
        "evidence_accept": accept_attribute(EVIDENCE_KINDS),
    }


def require_editable(request: HttpRequest, application: Application) -> None:
    if not can_edit_application(request.user, application):
        raise PermissionDenied(_("This application cannot be changed now."))
