"""The inputs of the public notice (公示): the office's window, handling and calendar, and the
public's objection and look-up."""

import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.evidence import accept_attribute, kinds_label
from core.forms import date_field

from .models import ObjectionOutcome
from .selectors import applications_for_notice
from .services import FACTS_MAX_LENGTH, OBJECTION_KINDS, WORKING_DAYS_MAX

PHONE = re.compile(r"^\+?[0-9][0-9\- ]{5,18}[0-9]$")


class NoticeOpenForm(forms.Form):
    applications = forms.ModelMultipleChoiceField(
        label=_("bureaus approved by the Party committee"),
        queryset=applications_for_notice(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose the bureaus to put on notice."),
            "invalid_choice": _("This application cannot be put on notice."),
        },
    )
    starts_on = date_field(_("starts on"), initial=timezone.localdate)
    working_days = forms.IntegerField(
        label=_("working days"),
        initial=5,
        min_value=1,
        max_value=WORKING_DAYS_MAX,
        error_messages={"invalid": _("Enter a whole number of working days.")},
    )
    contact_office = forms.CharField(label=_("contact office"), max_length=80)
    contact_phone = forms.CharField(label=_("contact telephone"), max_length=40)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Evaluated per request: the approved applications not on notice now.
        self.fields["applications"].queryset = applications_for_notice()
        self.fields["applications"].label_from_instance = lambda a: (
            f"{a.county.name}（{a.cycle.year}）"
        )

    def clean_applications(self):
        chosen = list(self.cleaned_data["applications"])
        if len({a.cycle_id for a in chosen}) > 1:
            raise forms.ValidationError(_("Put the bureaus of one cycle on one notice."))
        return chosen


class ObjectionHandleForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("handling"),
        choices=[c for c in ObjectionOutcome.choices if c[0] != ObjectionOutcome.WAITING],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("reasons and verification"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )


class CalendarYearForm(forms.Form):
    notice_reference = forms.CharField(
        label=_("State Council notice"),
        max_length=120,
        required=False,
        help_text=_("For example 国办发明电〔2026〕7号."),
    )
    schedule = forms.CharField(
        label=_("holidays and make-up working days"),
        widget=forms.Textarea(attrs={"rows": 16, "class": "font-monospace"}),
        max_length=20000,
        help_text=_(
            "One day a line: the date, “holiday” (放假) or “workday” (上班), and the holiday's "
            "name, e.g. “2027-10-01 holiday 国庆节”. List every day off of each holiday, "
            "weekends within it included, and each Saturday or Sunday worked in exchange."
        ),
    )


class CalendarFormSent(forms.Form):
    """Which of the calendar page's two forms was sent: the typed schedule or the file."""

    form = forms.ChoiceField(choices=[("entry", "entry"), ("import", "import")])


class CalendarImportForm(forms.Form):
    notice_reference = forms.CharField(
        label=_("State Council notice"), max_length=120, required=False
    )
    file = forms.FileField(
        label=_("schedule file (CSV or text: date,kind,name)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,text/csv,text/plain"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 100 * 1024:
            raise forms.ValidationError(_("A schedule file is at most 100 KB."))
        return upload


class ObjectionForm(forms.Form):
    application = forms.ModelChoiceField(
        label=_("the bureau concerned"),
        queryset=None,
        empty_label=_("— choose —"),
        error_messages={"invalid_choice": _("Choose a bureau on this notice.")},
    )
    name = forms.CharField(label=_("your real name"), max_length=40)
    phone = forms.CharField(label=_("your telephone"), max_length=20)
    facts = forms.CharField(
        label=_("the facts"),
        widget=forms.Textarea(attrs={"rows": 8, "maxlength": FACTS_MAX_LENGTH}),
        max_length=FACTS_MAX_LENGTH,
        help_text=_("At most %(max)d characters: what happened, when, where, who can confirm it.")
        % {"max": FACTS_MAX_LENGTH},
    )
    attachment = forms.FileField(
        label=_("attachment (optional)"),
        required=False,
        help_text=_("One file: %(kinds)s.") % {"kinds": kinds_label(OBJECTION_KINDS)},
        widget=forms.ClearableFileInput(attrs={"accept": accept_attribute(OBJECTION_KINDS)}),
    )

    def __init__(self, *args, notice, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["application"].queryset = notice.applications.select_related("county")
        self.fields["application"].label_from_instance = lambda a: a.county.name

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if len(name) < 2:
            raise forms.ValidationError(_("Give your real name."))
        return name

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        if not PHONE.match(phone):
            raise forms.ValidationError(
                _("Enter a telephone number we can call (digits, e.g. 13800000000).")
            )
        return phone

    def clean_facts(self) -> str:
        facts = self.cleaned_data["facts"].strip()
        if len(facts) < 10:
            raise forms.ValidationError(_("Describe the facts (at least 10 characters)."))
        return facts


class ObjectionLookupForm(forms.Form):
    reference = forms.CharField(label=_("reference number"), max_length=30)
