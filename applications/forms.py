from django import forms
from django.core.validators import MaxLengthValidator
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.forms import date_field
from organizations.models import Bureau
from organizations.selectors import province_cities
from standards.models import CriteriaVersion

from .enums import UNDO_ACTIONS, Action, Answer, ApplicationState
from .models import FORM_FIELDS, Application, Cycle
from .selectors import bureau_search
from .services import default_city_deadline


class ApplicationFormForm(forms.ModelForm):
    """The bureau facts and the summary of the application form (申报表)."""

    class Meta:
        model = Application
        fields = FORM_FIELDS
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 10}),
            "contact_phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        }
        help_texts = {
            "summary": _(
                "How the bureau has worked towards the criteria (up to 5,000 characters)."
            ),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False
        self.fields["summary"].max_length = 5000
        self.fields["summary"].validators.append(MaxLengthValidator(5000))

    def clean_contact_phone(self) -> str:
        phone = self.cleaned_data["contact_phone"].strip()
        allowed = set("0123456789-+ ")
        if phone and (not set(phone) <= allowed or sum(c.isdigit() for c in phone) < 7):
            raise forms.ValidationError(
                _("Enter a phone number, e.g. 0451-12345678 or 13800000000.")
            )
        return phone

    def clean(self):
        cleaned = super().clean()
        authorized, actual = cleaned.get("staff_authorized"), cleaned.get("staff_actual")
        if authorized is not None and actual is not None and actual > authorized * 2:
            self.add_error(
                "staff_actual", _("Staff in post is more than twice the authorised posts.")
            )
        return cleaned


class ListFilterForm(forms.Form):
    """A list's search (GET): by bureau name or code, and by city where the list holds several
    cities' bureaus. ``narrow`` applies it; a value that does not parse shows no row and the
    form's error (the page answers 400)."""

    q = forms.CharField(
        label=_("Bureau name or code"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"class": "form-control", "type": "search"}),
    )
    city = forms.ModelChoiceField(
        label=_("City bureau"),
        queryset=Bureau.objects.none(),
        required=False,
        empty_label=_("All"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, several_cities: bool = False, **kwargs) -> None:
        # Its own ids: the page may hold another form with a field of the same name.
        kwargs.setdefault("auto_id", "filter-%s")
        super().__init__(*args, **kwargs)
        if several_cities:
            self.fields["city"].queryset = province_cities()
        else:
            del self.fields["city"]

    @property
    def failed(self) -> bool:
        return self.is_bound and not self.is_valid()

    def narrow(
        self, qs: QuerySet, *, prefix: str = "county__", city_path: str | None = None
    ) -> QuerySet:
        """``qs`` narrowed by the search and the city: ``prefix`` is the path to the bureau,
        ``city_path`` the path to its city (the bureau's parent by default)."""
        if self.failed:
            return qs.none()
        data = self.cleaned_data if self.is_bound else {}
        if data.get("city"):
            qs = qs.filter(**{city_path or f"{prefix}parent": data["city"]})
        return bureau_search(qs, data.get("q", ""), prefix=prefix)


class ApplicationFilterForm(ListFilterForm):
    """The application list's filters: the search, the state and the county's code."""

    state = forms.ChoiceField(
        label=_("State"),
        choices=[("", _("All")), *ApplicationState.choices],
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    county = forms.CharField(
        label=_("County code"),
        required=False,
        max_length=12,
        widget=forms.TextInput(attrs={"class": "form-control", "inputmode": "numeric"}),
    )

    def narrow(self, qs: QuerySet, **paths) -> QuerySet:
        qs = super().narrow(qs, **paths)
        data = self.cleaned_data if self.is_bound and not self.failed else {}
        if data.get("state"):
            qs = qs.filter(state=data["state"])
        if data.get("county"):
            qs = qs.filter(county__code=data["county"])
        return qs


class AssessmentForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Self-assessment"), choices=Answer.choices, widget=forms.RadioSelect, required=False
    )
    explanation = forms.CharField(
        label=_("Explanation"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class FigureForm(forms.Form):
    numerator = forms.CharField(required=False, max_length=40)
    denominator = forms.CharField(required=False, max_length=40)
    value = forms.CharField(required=False, max_length=40)


class EvidenceUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        error_messages={
            "required": _("Choose a file to upload."),
            "empty": _("The file is empty."),
        },
    )
    item = forms.IntegerField(required=False, widget=forms.HiddenInput)
    replaces = forms.IntegerField(required=False, widget=forms.HiddenInput)


class SubmitForm(forms.Form):
    pledge = forms.BooleanField(
        label=_(
            "I pledge that the application materials are objective and true, with no formalism "
            "and no falsification (plan §7(3))."
        ),
        error_messages={"required": _("The pledge is required to submit.")},
    )
    acknowledged = forms.BooleanField(
        label=_("I have read the warnings above and submit nonetheless."), required=False
    )


class WithdrawForm(forms.Form):
    note = forms.CharField(
        label=_("Reason for withdrawing (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class UndoForm(forms.Form):
    """Undo a slip (withdraw the preliminary approval, reopen the written result): the reason
    is required; it goes into the history and the audit trail."""

    action = forms.ChoiceField(
        choices=[(a.value, a.label) for a in UNDO_ACTIONS], widget=forms.HiddenInput
    )
    note = forms.CharField(
        label=_("Reason (required)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Give the reason for undoing it.")},
    )

    def clean_note(self) -> str:
        note = self.cleaned_data["note"].strip()
        if not note:
            raise forms.ValidationError(_("Give the reason for undoing it."))
        return note

    @property
    def action_label(self) -> str:
        value = self.data.get("action") if self.is_bound else self.initial.get("action")
        return Action(value).label if value in Action.values else ""


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class CycleForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2017, max_value=2100)
    criteria_version = forms.ModelChoiceField(
        label=_("Criteria version"), queryset=CriteriaVersion.objects.order_by("-year", "name")
    )
    city_deadline = date_field(
        _("Deadline for cities to forward"),
        required=False,
        help_text=_("Until the end of that day, Beijing time. Empty: 31 July of the year."),
    )
    legal_aid_provincial_average = forms.DecimalField(
        label=_("Provincial average of legal aid cases per county"),
        required=False,
        min_value=0,
        help_text=_("The Legal Aid Division's figure; item 6.4 compares with it."),
    )

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        if Cycle.objects.filter(year=year).exists():
            raise forms.ValidationError(
                _("There is already a cycle for %(year)s.") % {"year": year}
            )
        return year

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("year") and not cleaned.get("city_deadline"):
            cleaned["city_deadline"] = default_city_deadline(cleaned["year"])
        return cleaned


class CountyDeadlineForm(forms.Form):
    deadline = date_field(
        _("Deadline for your counties to submit"),
        help_text=_(
            "Until the end of that day, Beijing time; not later than the cycle's deadline."
        ),
    )
