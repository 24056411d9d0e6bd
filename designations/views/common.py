"""What the designations' pages share: the office's checks, a service's refusal on a form."""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _

from applications.workflow import TransitionError
from designations.permissions import can_manage_designations, can_view_designations


def require_view(request: HttpRequest) -> None:
    if not can_view_designations(request.user):
        raise PermissionDenied(_("The register is the campaign office's."))


def require_manage(request: HttpRequest) -> None:
    if not can_manage_designations(request.user):
        raise PermissionDenied(_("Only the campaign office acts on designations."))


def add_errors(form: forms.Form, error: ValidationError | TransitionError) -> None:
    """A service's refusal shown on the form: per field where it names one, else on top."""
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        for message in error.messages:
            form.add_error(None, message)
