"""The office's inputs on designations: every POST of the app is read through one of these."""

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.models import Application, Cycle
from core.forms import date_field
from organizations.selectors import province_cities

from .enums import (
    IMMEDIATE_GROUNDS,
    DesignationState,
    RevocationGround,
    Reward,
)
from .models import Designation
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

    REVOKE = "revoke"

    action = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self):
        cleaned = super().clean()
        # On the page, not on a hidden field nobody sees.
        if cleaned.get("action") != self.REVOKE:
            raise forms.ValidationError(_("Unknown action."))
        return cleaned


def note_field(label=None, *, required=False) -> forms.CharField:
    return forms.CharField(
        label=label or _("Note"),
        max_length=4000,
        required=required,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RevocationForm(forms.Form):
    """Immediate revocation: ground, incident, decision, the dates of revocation and plaque."""

    action = forms.CharField(widget=forms.HiddenInput, initial=DesignationActionForm.REVOKE)
    ground = forms.TypedChoiceField(
        label=_("ground"),
        choices=[(g.value, g.label) for g in RevocationGround if g in IMMEDIATE_GROUNDS],
        coerce=RevocationGround,
    )
    note = note_field(_("The incident"), required=True)
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
