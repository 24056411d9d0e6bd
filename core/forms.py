"""What every app's forms share: the date picker and a service's refusal shown on a form."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class DateInput(forms.DateInput):
    """A browser date picker; the value travels as ISO 8601 (YYYY-MM-DD)."""

    input_type = "date"

    def __init__(self, attrs=None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def date_field(label, **kwargs) -> forms.DateField:
    """A date typed or picked as YYYY-MM-DD; anything else is the field's error, never today."""
    return forms.DateField(
        label=label,
        widget=DateInput(),
        error_messages={"invalid": _("Enter a valid date (YYYY-MM-DD).")},
        **kwargs,
    )


def add_errors(form: forms.Form, error: Exception) -> None:
    """A service's refusal shown on the form: per field where it names one, else on top.

    ``error`` is a ``ValidationError`` or any refusal carrying its reasons as ``messages``
    (the workflows' ``TransitionError``)."""
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        for message in error.messages:
            form.add_error(None, message)
