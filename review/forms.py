from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.enums import MINUTES_KINDS, SCAN_KINDS, Action
from applications.evidence import accept_attribute
from core.forms import date_field
from organizations.selectors import province_cities

from .enums import MeetingKind, SignOffOutcome

# The longest comment on one item: a paragraph, not a report (the county reads them item by
# item beside its answers).
MAX_COMMENT_LENGTH = 2000


class DecisionForm(forms.Form):
    """The reviewer's decision with a comment field per item (``comment_<item pk>``, optional,
    at most ``MAX_COMMENT_LENGTH`` characters: a longer one is the field's error, never cut).
    What was typed is kept when the form is refused."""

    DECISIONS = (
        (Action.RETURN, _("Return for revision")),
        (Action.APPROVE, _("Approve")),
        (Action.DECLINE, _("Decline to recommend")),
    )
    decision = forms.ChoiceField(label=_("Decision"), choices=DECISIONS, widget=forms.RadioSelect)
    reasons = forms.CharField(
        label=_("Reasons / overall comment"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when returning or declining."),
    )

    def __init__(self, *args, items=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for item in self.items:
            self.fields[f"comment_{item.pk}"] = forms.CharField(
                label=_("Comment on item %(code)s") % {"code": item.code},
                required=False,
                max_length=MAX_COMMENT_LENGTH,
                widget=forms.Textarea(
                    attrs={
                        "rows": 1,
                        "class": "form-control-sm",
                        "placeholder": _("Comment on this item (optional)"),
                    }
                ),
                error_messages={
                    "max_length": _(
                        "A comment may have at most %(limit_value)d characters "
                        "(this one has %(show_value)d)."
                    )
                },
            )

    def comment_fields(self) -> dict[int, forms.BoundField]:
        """Each item's comment field, by the item's pk (for the page, item by item)."""
        return {item.pk: self[f"comment_{item.pk}"] for item in self.items}

    def comments(self) -> dict[int, str]:
        """The cleaned comments by item pk (the empty ones left out)."""
        return {
            item.pk: self.cleaned_data[f"comment_{item.pk}"]
            for item in self.items
            if self.cleaned_data.get(f"comment_{item.pk}")
        }

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("decision") in (Action.RETURN, Action.DECLINE)
            and not cleaned.get("reasons", "").strip()
        ):
            self.add_error("reasons", _("Give the reasons."))
        return cleaned

    def visible_fields(self):
        # The comments are drawn item by item on the page, not with the decision's fields.
        return [
            field for field in super().visible_fields() if field.name in ("decision", "reasons")
        ]


class PartyMeetingForm(forms.Form):
    meeting_kind = forms.ChoiceField(label=_("Meeting"), choices=MeetingKind.choices)
    held_on = forms.DateField(
        label=_("Date of the meeting"), widget=forms.DateInput(attrs={"type": "date"})
    )
    minutes_number = forms.CharField(label=_("Minutes number"), max_length=60)
    minutes = forms.FileField(
        label=_("Minutes document"),
        help_text=_("PDF, JPEG, PNG or Word (DOCX)."),
        error_messages={"required": _("Upload the minutes document.")},
        widget=forms.ClearableFileInput(attrs={"accept": accept_attribute(MINUTES_KINDS)}),
    )

    def clean_held_on(self):
        held_on = self.cleaned_data["held_on"]
        if held_on > timezone.localdate():
            raise forms.ValidationError(_("The meeting date cannot be in the future."))
        return held_on

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
    letter_number = forms.CharField(
        label=_("Cover letter number"),
        max_length=60,
        help_text=_("The number of the city's cover letter (上报函文号), e.g. 哈司呈〔2026〕12号."),
        error_messages={"required": _("Give the cover letter's number.")},
    )

    def clean_letter_number(self) -> str:
        number = self.cleaned_data["letter_number"].strip()
        if not number:
            raise forms.ValidationError(_("Give the cover letter's number."))
        return number

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
    file = forms.FileField(
        label=_("Stamped cover letter"),
        widget=forms.ClearableFileInput(attrs={"accept": accept_attribute(SCAN_KINDS)}),
    )


class DeadlineExtensionForm(forms.Form):
    city = forms.ModelChoiceField(
        label=_("City bureau"),
        queryset=province_cities(),
    )
    until = date_field(
        _("Forwarding allowed until"), help_text=_("Until the end of that day, Beijing time.")
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
