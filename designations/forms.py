"""The office's inputs on designations: every POST of the app is read through one of these."""

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.enums import EVIDENCE_KINDS
from applications.evidence import accept_attribute
from applications.models import Application, Cycle
from core.forms import date_field
from organizations.models import Division
from organizations.selectors import province_cities

from .enums import (
    IMMEDIATE_GROUNDS,
    DesignationState,
    RectificationFileRole,
    RevocationGround,
    Reward,
)
from .models import Designation
from .rectifications import MAX_REQUIREMENT_LENGTH, MAX_REQUIREMENTS
from .verification import (
    CODE_LENGTH,
    verification_code_normalize,
    verification_code_valid,
)


class DesignateForm(forms.Form):
    """Designate one approved application: the date, the reward, the head named for merit."""

    application = forms.ModelChoiceField(
        queryset=Application.objects.select_related("county", "cycle"),
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("This application cannot be designated.")},
    )
    designated_on = date_field(_("designated on"), initial=timezone.localdate)
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
    published_on = date_field(_("published on"), initial=timezone.localdate)

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
    REVOKE = "revoke"

    action = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self):
        cleaned = super().clean()
        # On the page, not on a hidden field nobody sees.
        if cleaned.get("action") not in (self.REINSPECTION, self.REVOKE):
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


class RequirementsField(forms.CharField):
    """Rectification requirements, one a line: the list of non-blank lines."""

    widget = forms.Textarea(attrs={"rows": 4})

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("label", _("Rectification requirements (one a line)"))
        kwargs.setdefault("max_length", 20000)
        super().__init__(**kwargs)

    def to_python(self, value) -> list[str]:  # type: ignore[override]
        text = super().to_python(value)
        return [line.strip() for line in text.splitlines() if line.strip()]

    def validate(self, value) -> None:
        if self.required and not value:
            raise forms.ValidationError(
                _("Write at least one rectification requirement, one a line."), code="required"
            )

    def run_validators(self, value) -> None:
        super().run_validators("\n".join(value))
        if len(value) > MAX_REQUIREMENTS:
            raise forms.ValidationError(
                _("At most %(max)d requirements, one a line.") % {"max": MAX_REQUIREMENTS}
            )
        if any(len(line) > MAX_REQUIREMENT_LENGTH for line in value):
            raise forms.ValidationError(
                _("A requirement is longer than %(max)d characters.")
                % {"max": MAX_REQUIREMENT_LENGTH}
            )


class ReinspectionForm(forms.Form):
    """The re-inspection's result: passed, or rectification by a deadline in the future."""

    action = forms.CharField(widget=forms.HiddenInput, initial=DesignationActionForm.REINSPECTION)
    passed = _passed_field(
        _("Passed: the title stands, next re-inspection in 3 years"),
        _("Below the standard: rectification by a deadline"),
    )
    deadline = date_field(_("rectification deadline"), required=False)
    requirements = RequirementsField(required=False)
    note = _note_field()

    def clean(self):
        cleaned = super().clean()
        deadline = cleaned.get("deadline")
        if cleaned.get("passed") is not False:
            return cleaned
        if "deadline" not in self.errors and (deadline is None or deadline <= timezone.localdate()):
            self.add_error("deadline", _("Set a rectification deadline in the future."))
        if "requirements" not in self.errors and not cleaned.get("requirements"):
            self.add_error(
                "requirements", _("Write at least one rectification requirement, one a line.")
            )
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
    revoked_on = date_field(_("revoked on"), initial=timezone.localdate)
    plaque_removed_on = date_field(_("plaque removed on"), initial=timezone.localdate)

    def clean(self):
        cleaned = super().clean()
        revoked_on, removed_on = cleaned.get("revoked_on"), cleaned.get("plaque_removed_on")
        if revoked_on and removed_on and removed_on < revoked_on:
            self.add_error(
                "plaque_removed_on", _("The plaque cannot be removed before the title is revoked.")
            )
        return cleaned


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
    note = _note_field(_("Judgement"))
    division = forms.ModelChoiceField(
        label=_("division consulted"),
        queryset=Division.objects.filter(is_active=True),
        required=False,
    )
    division_view = _note_field(_("the division's view"))

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
    note = _note_field()


class CertificateBatchStartForm(forms.Form):
    """The cycle whose certificates are rendered into one file."""

    cycle = forms.ModelChoiceField(queryset=Cycle.objects.all(), widget=forms.HiddenInput)


class DocumentVerifyForm(forms.Form):
    """A PDF someone received, to check its signature; refused past the size limit."""

    document = forms.FileField(label=_("Signed PDF"))

    def clean_document(self):
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


class VerificationCodeForm(forms.Form):
    """The code printed under the QR code of a certificate or a notice, as a reader types it
    (spaces, hyphens and small letters allowed)."""

    code = forms.CharField(label=_("Verification code"), max_length=40)

    def clean_code(self):
        code = verification_code_normalize(self.cleaned_data["code"])
        if not verification_code_valid(code):
            raise forms.ValidationError(
                _(
                    "A verification code has %(n)d letters and digits (no 0, O, 1 or I), "
                    "as printed under the QR code."
                )
                % {"n": CODE_LENGTH}
            )
        return code


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
    note = _note_field()

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


# The first year a bureau was named; the public list's year picker starts there.
PUBLIC_LIST_FIRST_YEAR = 2017


class CityChoiceField(forms.ModelChoiceField):
    """A city bureau of the province, by its code; shown by its region's name."""

    def label_from_instance(self, obj) -> str:
        return obj.region_name


class PublicListFilterForm(forms.Form):
    """The public list's filters (GET, no log-in): a year the campaign has named bureaus in and
    a city of the province. Only the cleaned values reach the query, the cache key and the
    ETag; anything else is the form's error (400), never a new cache entry."""

    year = forms.IntegerField(label=_("Year"), required=False)
    city = CityChoiceField(
        label=_("City bureau"),
        queryset=province_cities(),
        to_field_name="code",
        required=False,
        empty_label=_("All"),
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={"invalid_choice": _("Choose one of the province's cities.")},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        last = timezone.localdate().year
        message = _("Choose a year from %(first)d to %(last)d.") % {
            "first": PUBLIC_LIST_FIRST_YEAR,
            "last": last,
        }
        year = self.fields["year"]
        year.min_value, year.max_value = PUBLIC_LIST_FIRST_YEAR, last
        year.validators = [MinValueValidator(PUBLIC_LIST_FIRST_YEAR), MaxValueValidator(last)]
        year.error_messages.update(invalid=message, min_value=message, max_value=message)
        self.years = range(last, PUBLIC_LIST_FIRST_YEAR - 1, -1)

    @property
    def key(self) -> str:
        """The cleaned filter as it appears in a cache key or an ETag: ``<year>-<city code>``."""
        year, city = self.cleaned_data["year"], self.cleaned_data["city"]
        return f"{year or ''}-{city.code if city else ''}"

    def narrow(self, qs: QuerySet[Designation]) -> QuerySet[Designation]:
        if self.cleaned_data["year"]:
            qs = qs.filter(designated_on__year=self.cleaned_data["year"])
        if self.cleaned_data["city"]:
            qs = qs.filter(bureau__parent=self.cleaned_data["city"])
        return qs
