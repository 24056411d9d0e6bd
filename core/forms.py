"""What every app's forms share: the date picker, a service's refusal shown on a form, and the
small query forms (page, inline, next) with their 400 (``InvalidInput``)."""

from django import forms
from django.core.exceptions import BadRequest, ValidationError
from django.utils.http import url_has_allowed_host_and_scheme
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


class InvalidInput(BadRequest):
    """A query that does not parse where no page shows its form (a download, a pager): the
    portal's 400 page lists the form's messages (``portal.views.bad_request``)."""

    def __init__(self, form: forms.Form) -> None:
        super().__init__(form.errors.as_text())
        self.messages = [message for errors in form.errors.values() for message in errors]


def cleaned_or_400(form: forms.Form) -> dict:
    """The form's cleaned data, or ``InvalidInput`` (400 with its messages)."""
    if not form.is_valid():
        raise InvalidInput(form)
    return form.cleaned_data


class PageForm(forms.Form):
    """A list's page (``?page=``): a whole number from 1, the first page when absent. A number
    past the end is the last page (``Paginator.get_page`` of the clean number); anything else
    is refused, never quietly the first page."""

    page = forms.IntegerField(
        required=False,
        min_value=1,
        error_messages={
            "invalid": _("The page must be a positive whole number."),
            "min_value": _("The page must be a positive whole number."),
        },
    )


class InlineForm(forms.Form):
    """``?inline=1``: show the file in the browser (where its type allows) rather than save it;
    absent or ``0`` saves it."""

    inline = forms.TypedChoiceField(
        required=False,
        choices=(("0", "0"), ("1", "1")),
        coerce=lambda value: value == "1",
        empty_value=False,
        error_messages={"invalid_choice": _("“inline” must be 1 or 0.")},
    )


class NextForm(forms.Form):
    """Where to go after a step (``?next=``): a path or address of this host only (``host``,
    and https when the request is). Another host, another scheme or a malformed address cleans
    to "" — the caller's default — as Django's own log-in treats it; an address longer than
    2,000 characters is refused (400)."""

    next = forms.CharField(
        required=False,
        max_length=2000,
        error_messages={"max_length": _("The address to go to next is too long.")},
    )

    def __init__(self, *args, host: str, https: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.host, self.https = host, https

    def clean_next(self) -> str:
        value = self.cleaned_data["next"]
        if value and url_has_allowed_host_and_scheme(
            value, allowed_hosts={self.host}, require_https=self.https
        ):
            return value
        return ""
