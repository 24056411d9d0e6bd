"""The office's inputs on designations: every POST of the app is read through one of these."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.models import Application, Cycle

from .enums import IMMEDIATE_GROUNDS, DesignationState, RevocationGround, Reward
from .models import Designation


class DateInput(forms.DateInput):
    """A browser date picker; the value travels as ISO 8601 (YYYY-MM-DD)."""

    input_type = "date"

    def __init__(self, attrs=None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _date_field(label, **kwargs) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=DateInput(),
        error_messages={"invalid": _("Enter a valid date (YYYY-MM-DD).")},
        **kwargs,
    )


class DesignateForm(forms.Form):
    """Designate one approved application: the date, the reward, the head named for merit."""

    application = forms.ModelChoiceField(
        queryset=Application.objects.select_related("county", "cycle"),
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("This application cannot be designated.")},
    )
    designated_on = _date_field(_("designated on"), initial=timezone.localdate)
    reward = forms.TypedChoiceField(
        label=_("reward recommendation"),
        choices=Reward.choices,
        coerce=Reward,
        initial=Reward.COLLECTIVE,
    )
    head_name = forms.CharField(
        label=_("head recommended for merit"), max_length=40, required=False
    )

    def clean_head_name(self) -> str:
        return self.cleaned_data["head_name"].strip()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("reward") == Reward.PERSONAL and not cleaned.get("head_name"):
            self.add_error("head_name", _("Name the head recommended for personal merit."))
        return cleaned


class PublishForm(forms.Form):
    """Publish some of the cycle's unpublished designations under one document number."""

    designations = forms.ModelMultipleChoiceField(
        label=_("Designations to publish"),
        queryset=Designation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose the designations to publish.")},
    )
    document_number = forms.CharField(
        label=_("document number"),
        max_length=60,
        # The id the page has always had (bookmarks, browser tests).
        widget=forms.TextInput(attrs={"id": "docno"}),
    )
    published_on = _date_field(_("published on"), initial=timezone.localdate)

    def __init__(self, *args, pending, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["designations"]
        field.queryset = pending
        field.label_from_instance = lambda d: f"{d.bureau.name} · {d.number}"

    def clean_document_number(self) -> str:
        return self.cleaned_data["document_number"].strip()


class DesignationActionForm(forms.Form):
    """Which of the detail page's forms was sent."""

    REINSPECTION = "reinspection"
    RECTIFICATION = "rectification"
    REVOKE = "revoke"

    action = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self):
        cleaned = super().clean()
        # On the page, not on a hidden field nobody sees.
        if cleaned.get("action") not in (self.REINSPECTION, self.RECTIFICATION, self.REVOKE):
            raise forms.ValidationError(_("Unknown action."))
        return cleaned


def _passed_field(passed_label, failed_label) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=_("Result"),
        choices=[("1", passed_label), ("0", failed_label)],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
        initial="1",
    )


def _note_field(label=None, *, required=False) -> forms.CharField:
    return forms.CharField(
        label=label or _("Note"),
        max_length=4000,
        required=required,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReinspectionForm(forms.Form):
    """The re-inspection's result: passed, or rectification by a deadline in the future."""

    action = forms.CharField(widget=forms.HiddenInput, initial=DesignationActionForm.REINSPECTION)
    passed = _passed_field(
        _("Passed: the title stands, next re-inspection in 3 years"),
        _("Below the standard: rectification by a deadline"),
    )
    deadline = _date_field(_("rectification deadline"), required=False)
    note = _note_field()

    def clean(self):
        cleaned = super().clean()
        deadline = cleaned.get("deadline")
        if (
            cleaned.get("passed") is False
            and "deadline" not in self.errors
            and (deadline is None or deadline <= timezone.localdate())
        ):
            self.add_error("deadline", _("Set a rectification deadline in the future."))
        return cleaned


class RectificationForm(forms.Form):
    """After the rectification: the standard is met again, or the title is revoked."""

    action = forms.CharField(widget=forms.HiddenInput, initial=DesignationActionForm.RECTIFICATION)
    passed = _passed_field(
        _("Standard met again: the title stands"),
        _("Still below the standard: revoke the title and remove the plaque"),
    )
    decision = forms.CharField(label=_("revocation decision"), max_length=120, required=False)
    note = _note_field()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("passed") is False and not cleaned.get("decision", "").strip():
            self.add_error("decision", _("Record the revocation decision."))
        return cleaned


class RevocationForm(forms.Form):
    """Immediate revocation: ground, incident, decision, the dates of revocation and plaque."""

    action = forms.CharField(widget=forms.HiddenInput, initial=DesignationActionForm.REVOKE)
    ground = forms.TypedChoiceField(
        label=_("ground"),
        choices=[(g.value, g.label) for g in RevocationGround if g in IMMEDIATE_GROUNDS],
        coerce=RevocationGround,
    )
    note = _note_field(_("The incident"), required=True)
    decision = forms.CharField(label=_("revocation decision"), max_length=120)
    revoked_on = _date_field(_("revoked on"), initial=timezone.localdate)
    plaque_removed_on = _date_field(_("plaque removed on"), initial=timezone.localdate)

    def clean(self):
        cleaned = super().clean()
        revoked_on, removed_on = cleaned.get("revoked_on"), cleaned.get("plaque_removed_on")
        if revoked_on and removed_on and removed_on < revoked_on:
            self.add_error(
                "plaque_removed_on", _("The plaque cannot be removed before the title is revoked.")
            )
        return cleaned


class CertificateBatchStartForm(forms.Form):
    """The cycle whose certificates are rendered into one file."""

    cycle = forms.ModelChoiceField(queryset=Cycle.objects.all(), widget=forms.HiddenInput)


class DocumentVerifyForm(forms.Form):
    """A PDF someone received, to check its signature; refused past the size limit."""

    document = forms.FileField(label=_("Signed PDF"))

    def clean_document(self):
        from django.conf import settings

        document = self.cleaned_data["document"]
        if document.size > settings.DOCUMENT_VERIFY_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(mb)d MB.")
                % {"mb": settings.DOCUMENT_VERIFY_MAX_BYTES // (1024 * 1024)}
            )
        head = document.read(5)
        document.seek(0)
        if head != b"%PDF-":
            raise forms.ValidationError(_("This is not a PDF file."))
        return document


class RegisterFilterForm(forms.Form):
    """The register's GET filter: a state and a bureau's name or code (or the number)."""

    state = forms.ChoiceField(
        label=_("State"),
        choices=[("", _("All")), *DesignationState.choices],
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    q = forms.CharField(
        label=_("Bureau name or code"),
        required=False,
        max_length=60,
        widget=forms.TextInput(attrs={"class": "form-control", "type": "search"}),
    )
