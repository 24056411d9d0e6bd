"""The inputs of the re-inspection rounds and the rectification page: every POST of the app
is read through one of these."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.enums import EVIDENCE_KINDS
from applications.evidence import accept_attribute
from core.forms import date_field
from designations.forms import note_field
from organizations.models import Division

from .enums import RectificationFileRole


def _passed_field(passed_label, failed_label) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=_("Result"),
        choices=[("1", passed_label), ("0", failed_label)],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
        initial="1",
    )


class ReinspectionOpenForm(forms.Form):
    """Open a re-inspection round: the county reports by the end of the day chosen."""

    deadline = date_field(_("report deadline (to the end of the day, Beijing time)"))

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if deadline <= timezone.localdate():
            raise forms.ValidationError(_("Set a deadline after today."))
        return deadline


class ReinspectionDecisionForm(forms.Form):
    """The office's decision on a round: the title kept, or rectification by a date with the
    requirements (one per line; the slipped items are filled in to start with)."""

    kept = _passed_field(
        _("Kept: the title stands, next re-inspection in 3 years"),
        _("Rectify: the bureau rectifies by a deadline"),
    )
    deadline = date_field(_("rectification deadline"), required=False)
    requirements = forms.CharField(
        label=_("Rectification requirements (one per line)"),
        max_length=20000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    note = note_field()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kept") is False:
            deadline = cleaned.get("deadline")
            if "deadline" not in self.errors and (
                deadline is None or deadline <= timezone.localdate()
            ):
                self.add_error("deadline", _("Set a rectification deadline in the future."))
            if "requirements" not in self.errors and not self.requirement_lines():
                self.add_error("requirements", _("State the rectification requirements."))
        return cleaned

    def requirement_lines(self) -> list[str]:
        text = self.cleaned_data.get("requirements") or ""
        return [line.strip() for line in text.splitlines() if line.strip()]


class RectificationPageForm(forms.Form):
    """Which of the rectification page's forms was sent."""

    UPLOAD = "upload"
    SUBMIT = "submit"
    JUDGE = "judge"
    CONCLUDE = "conclude"
    ACTIONS = (UPLOAD, SUBMIT, JUDGE, CONCLUDE)

    action = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") not in self.ACTIONS:
            raise forms.ValidationError(_("Unknown action."))
        return cleaned


def _requirement_field() -> forms.IntegerField:
    return forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={"invalid": _("Unknown requirement.")},
    )


class RectificationFileForm(forms.Form):
    """The county's report or a piece of evidence for one requirement."""

    action = forms.CharField(widget=forms.HiddenInput, initial=RectificationPageForm.UPLOAD)
    requirement = _requirement_field()
    role = forms.TypedChoiceField(
        label=_("file"),
        choices=RectificationFileRole.choices,
        coerce=RectificationFileRole,
        initial=RectificationFileRole.REPORT,
    )
    file = forms.FileField(
        label=_("File"), error_messages={"required": _("Choose the file to upload.")}
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = accept_attribute(EVIDENCE_KINDS)


class RectificationSubmitForm(forms.Form):
    """The county head submits the report."""

    action = forms.CharField(widget=forms.HiddenInput, initial=RectificationPageForm.SUBMIT)


class RequirementJudgeForm(forms.Form):
    """The office's judgement of one requirement, with the division's view if it asked one."""

    action = forms.CharField(widget=forms.HiddenInput, initial=RectificationPageForm.JUDGE)
    requirement = _requirement_field()
    met = _passed_field(_("Met"), _("Not met"))
    note = note_field(_("Judgement"))
    division = forms.ModelChoiceField(
        label=_("division consulted"),
        queryset=Division.objects.filter(is_active=True),
        required=False,
    )
    division_view = note_field(_("the division's view"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("met") is False and not cleaned.get("note", "").strip():
            self.add_error("note", _("Say what is still not put right."))
        division, view = cleaned.get("division"), cleaned.get("division_view", "").strip()
        if "division" not in self.errors and (division is None) != (not view):
            self.add_error(
                "division_view", _("Name the division consulted together with its view.")
            )
        return cleaned


class RectificationConcludeForm(forms.Form):
    """The office closes the rectification: the title kept, or revoked on a decision."""

    action = forms.CharField(widget=forms.HiddenInput, initial=RectificationPageForm.CONCLUDE)
    decision = forms.CharField(
        label=_("revocation decision (when a requirement is not met)"),
        max_length=120,
        required=False,
    )
    note = note_field()
