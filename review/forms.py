from django import forms
from django.utils.translation import gettext_lazy as _

from organizations.enums import BureauLevel
from organizations.models import Bureau

from .enums import Decision, InspectionResult, MeetingKind, SignOffOutcome


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (photos taken on site)."""

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return super().clean(data, initial)


class DecisionForm(forms.Form):
    DECISIONS = (
        ("return", _("Return for revision")),
        ("approve", _("Approve")),
        ("decline", _("Decline to recommend")),
    )
    decision = forms.ChoiceField(label=_("Decision"), choices=DECISIONS, widget=forms.RadioSelect)
    reasons = forms.CharField(
        label=_("Reasons / overall comment"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when returning or declining."),
    )

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("decision") in ("return", "decline")
            and not cleaned.get("reasons", "").strip()
        ):
            self.add_error("reasons", _("Give the reasons."))
        return cleaned


class PartyMeetingForm(forms.Form):
    meeting_kind = forms.ChoiceField(label=_("Meeting"), choices=MeetingKind.choices)
    held_on = forms.DateField(
        label=_("Date of the meeting"), widget=forms.DateInput(attrs={"type": "date"})
    )
    minutes_number = forms.CharField(label=_("Minutes number"), max_length=60)
    minutes = forms.FileField(
        label=_("Minutes document"),
        help_text=_("PDF, image or Word file, as for evidence."),
        error_messages={"required": _("Upload the minutes document.")},
    )

    def __init__(self, *args, applications=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.applications = list(applications)
        for application in self.applications:
            self.fields[f"outcome_{application.pk}"] = forms.ChoiceField(
                label=application.county.name,
                choices=[("", _("Not on this meeting's agenda")), *SignOffOutcome.choices],
                required=False,
            )

    def outcomes(self) -> dict[int, str]:
        return {
            a.pk: self.cleaned_data[f"outcome_{a.pk}"]
            for a in self.applications
            if self.cleaned_data.get(f"outcome_{a.pk}")
        }

    def clean(self):
        cleaned = super().clean()
        if self.applications and not any(cleaned.get(f"outcome_{a.pk}") for a in self.applications):
            raise forms.ValidationError(
                _("Give the meeting's outcome for at least one application.")
            )
        return cleaned


class ForwardForm(forms.Form):
    letter_number = forms.CharField(label=_("Cover letter number"), max_length=60, required=False)

    def __init__(self, *args, applications=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["applications"] = forms.MultipleChoiceField(
            label=_("Applications to forward"),
            choices=[(str(a.pk), a.county.name) for a in applications],
            widget=forms.CheckboxSelectMultiple,
            initial=[str(a.pk) for a in applications],
            error_messages={
                "required": _("Choose at least one signed-off application to forward.")
            },
        )


class ScanForm(forms.Form):
    file = forms.FileField(label=_("Stamped cover letter"))


class ExceptionForm(forms.Form):
    city = forms.ModelChoiceField(
        label=_("City bureau"),
        queryset=Bureau.objects.filter(level=BureauLevel.CITY, is_active=True),
    )
    until = forms.DateTimeField(
        label=_("Forwarding allowed until"),
        help_text=_("Beijing time."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class InspectionScheduleForm(forms.Form):
    visit_date = forms.DateField(
        label=_("Date of the visit"), widget=forms.DateInput(attrs={"type": "date"})
    )
    itinerary = forms.CharField(
        label=_("Itinerary"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, applications=(), **kwargs) -> None:
        from organizations.enums import Role
        from organizations.models import User

        super().__init__(*args, **kwargs)
        self.fields = {
            "application": forms.ModelChoiceField(label=_("Application"), queryset=applications),
            **self.fields,
            "team": forms.ModelMultipleChoiceField(
                label=_("Inspection team"),
                queryset=User.objects.filter(memberships__role=Role.EVALUATOR, is_active=True)
                .distinct()
                .order_by("username"),
                widget=forms.CheckboxSelectMultiple,
            ),
        }


class InspectionRecordForm(forms.Form):
    result = forms.ChoiceField(
        label=_("Result"), choices=InspectionResult.choices, widget=forms.RadioSelect
    )
    summary = forms.CharField(
        label=_("Summary"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    photos = MultipleFileField(
        label=_("Photos"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )

    def __init__(self, *args, sections=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.sections = list(sections)
        for section in self.sections:
            self.fields[f"findings_{section.pk}"] = forms.CharField(
                label=_("Findings, section %(n)d") % {"n": section.number},
                required=False,
                max_length=4000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"adjusted_{section.pk}"] = forms.DecimalField(
                label=_("Adjusted score of section %(n)d (%%), empty to confirm the written score")
                % {"n": section.number},
                required=False,
                min_value=0,
                max_value=100,
            )

    def findings(self) -> dict:
        out = {}
        for section in self.sections:
            text = self.cleaned_data.get(f"findings_{section.pk}", "")
            adjusted = self.cleaned_data.get(f"adjusted_{section.pk}")
            if text or adjusted is not None:
                out[section.pk] = (text, adjusted is None, adjusted)
        return out


class ProvincialMeetingForm(forms.Form):
    held_on = forms.DateField(
        label=_("Date of the meeting"), widget=forms.DateInput(attrs={"type": "date"})
    )
    number = forms.CharField(label=_("Meeting number"), max_length=60)
    minutes = forms.FileField(label=_("Minutes document"))

    def __init__(self, *args, applications=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.applications = list(applications)
        for application in self.applications:
            self.fields[f"decision_{application.pk}"] = forms.ChoiceField(
                label=application.county.name,
                choices=[("", _("Not decided at this meeting")), *Decision.choices],
                required=False,
            )
            self.fields[f"override_{application.pk}"] = forms.CharField(
                label=_("Reason for approving %(county)s past the quota")
                % {"county": application.county.name},
                required=False,
                max_length=2000,
            )

    def decisions(self) -> dict:
        return {
            a.pk: (
                self.cleaned_data[f"decision_{a.pk}"],
                self.cleaned_data.get(f"override_{a.pk}", ""),
            )
            for a in self.applications
            if self.cleaned_data.get(f"decision_{a.pk}")
        }
