import calendar
from datetime import date, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.enums import MINUTES_KINDS, PHOTO_KINDS
from applications.evidence import accept_attribute
from applications.models import Application, Cycle
from organizations.enums import Role
from organizations.models import Division, User

from .enums import Decision, InspectionResult, Rating, WrittenDecision
from .models import ScoreSheet


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (photos taken on site)."""

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return super().clean(data, initial)


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
        help_text=_("JPEG or PNG photos."),
        widget=MultipleFileInput(
            attrs={"accept": accept_attribute(PHOTO_KINDS), "capture": "environment"}
        ),
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

    minutes = forms.FileField(
        label=_("Minutes document"),
        help_text=_("PDF, JPEG, PNG or Word (DOCX)."),
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
            # A bureau decided before (``with_decision_in_force``) was sent back by an
            # objection upheld during its public notice.
            earlier = getattr(application, "decision_number", None)
            self.fields[f"decision_{application.pk}"] = forms.ChoiceField(
                label=application.county.name,
                choices=[("", _("Not decided at this meeting")), *Decision.choices],
                required=False,
                help_text=_(
                    "Decided before at %(number)s; sent back after an objection during its "
                    "public notice was upheld."
                )
                % {"number": earlier}
                if earlier
                else "",
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


class SectionAssignmentForm(forms.Form):
    """A whole section of every forwarded application of the cycle to a division's evaluators."""

    section = forms.TypedChoiceField(label=_("Section"), coerce=int)
    division = forms.ModelChoiceField(label=_("Division"), queryset=Division.objects.none())

    def __init__(self, *args, sections=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["section"].choices = [(s.number, f"{s.number}. {s.name}") for s in sections]
        self.fields["division"].queryset = Division.objects.filter(is_active=True)


class SheetAssignmentForm(forms.Form):
    """One section of one application to one evaluator."""

    sheet = forms.ModelChoiceField(
        label=_("Application and section"), queryset=ScoreSheet.objects.none()
    )
    evaluator = forms.ModelChoiceField(label=_("Evaluator"), queryset=User.objects.none())

    def __init__(self, *args, sheets=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if sheets is not None:
            self.fields["sheet"].queryset = sheets
        self.fields["evaluator"].queryset = (
            User.objects.filter(memberships__role=Role.EVALUATOR, is_active=True)
            .distinct()
            .order_by("username")
        )


class ScoreSheetForm(forms.Form):
    """Each item of a section rated met / partly met / not met, a comment, the veto check;
    ``version`` is the sheet's version the evaluator loaded (the optimistic lock)."""

    version = forms.IntegerField(
        min_value=0,
        widget=forms.HiddenInput,
        error_messages={
            "required": _("The page is out of date: reload it and enter your ratings again."),
            "invalid": _("The page is out of date: reload it and enter your ratings again."),
            "min_value": _("The page is out of date: reload it and enter your ratings again."),
        },
    )
    sign = forms.BooleanField(required=False, widget=forms.HiddenInput)
    # "Every item met": the items left unrated are rated met, the evaluator then changes
    # the exceptions (what is rated already stays as it is). An item whose own figures are
    # below its standard (``below_standard``) is never rated met this way: it stays unrated
    # for the evaluator to judge.
    all_met = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, items=(), below_standard=frozenset(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.items = list(items)
        self.below_standard = frozenset(below_standard)
        for item in self.items:
            self.fields[f"rating_{item.pk}"] = forms.ChoiceField(
                label=item.code,
                choices=[("", "—"), *Rating.choices],
                required=False,
                error_messages={"invalid_choice": _("Choose met, partly met or not met.")},
            )
            if item.is_veto:
                self.fields[f"veto_{item.pk}"] = forms.BooleanField(required=False)
            self.fields[f"comment_{item.pk}"] = forms.CharField(
                label=_("Comment"), required=False, max_length=2000
            )

    def ratings(self) -> dict[int, tuple[str, bool, str]]:
        return {
            item.pk: (
                self.cleaned_data[f"rating_{item.pk}"] or self._by_all_met(item),
                self.cleaned_data.get(f"veto_{item.pk}", False),
                self.cleaned_data[f"comment_{item.pk}"],
            )
            for item in self.items
        }

    def _by_all_met(self, item) -> str:
        if self.cleaned_data.get("all_met") and item.pk not in self.below_standard:
            return Rating.MET
        return ""

    def left_unrated(self) -> list:
        """The items "every item met" left unrated for their figures, in the sheet's order."""
        if not self.cleaned_data.get("all_met"):
            return []
        return [
            item
            for item in self.items
            if item.pk in self.below_standard and not self.cleaned_data[f"rating_{item.pk}"]
        ]

    def values(self, scores: dict) -> dict[int, dict]:
        """What each item's fields show: what the user typed when the form is bound, else
        the saved score."""
        out = {}
        for item in self.items:
            if self.is_bound:
                out[item.pk] = {
                    "rating": self.data.get(f"rating_{item.pk}", ""),
                    "veto_failed": bool(self.data.get(f"veto_{item.pk}")),
                    "comment": self.data.get(f"comment_{item.pk}", ""),
                }
            else:
                score = scores.get(item.pk)
                out[item.pk] = {
                    "rating": score.rating if score else "",
                    "veto_failed": score.veto_failed if score else False,
                    "comment": score.comment if score else "",
                }
        return out


class WrittenResultForm(forms.Form):
    """The campaign office confirms the written review's result."""

    decision = forms.ChoiceField(
        label=_("Result"),
        choices=WrittenDecision.choices,
        error_messages={
            "required": _("Choose passed or failed."),
            "invalid_choice": _("Choose passed or failed."),
        },
    )
    note = forms.CharField(label=_("Reasons"), required=False, max_length=4000)


class WrittenResultsConfirmForm(forms.Form):
    """The office confirms several written results as passed at once; the workflow checks
    each against the pass rule."""

    applications = forms.ModelMultipleChoiceField(
        label=_("Applications"),
        queryset=Application.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose the applications whose result to confirm."),
            "invalid_choice": _("Choose the applications whose result to confirm."),
            "invalid_pk_value": _("Choose the applications whose result to confirm."),
        },
    )

    def __init__(self, *args, applications=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if applications is not None:
            self.fields["applications"].queryset = applications


class MySheetsFilterForm(forms.Form):
    """The GET filter of 我的评分表: one cycle (the latest when none is chosen) and a county
    bureau's name or code."""

    cycle = forms.ModelChoiceField(
        label=_("Cycle"),
        queryset=Cycle.objects.order_by("-year"),
        required=False,
        empty_label=_("The latest cycle"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    q = forms.CharField(
        label=_("Bureau name or code"),
        required=False,
        max_length=60,
        widget=forms.TextInput(attrs={"class": "form-control", "type": "search"}),
    )


class CalendarForm(forms.Form):
    """The visit calendar's period (GET): an ISO week (``2026-W37``) or a month (``2026-09``);
    neither is the current month. A week wins over a month. Cleaned to the period's first and
    last day (``period``)."""

    week = forms.RegexField(
        regex=r"^\d{4}-W\d{2}$",
        required=False,
        error_messages={"invalid": _("Give the week as YYYY-Www, e.g. 2026-W37.")},
    )
    month = forms.RegexField(
        regex=r"^\d{4}-\d{2}$",
        required=False,
        error_messages={"invalid": _("Give the month as YYYY-MM, e.g. 2026-09.")},
    )

    def clean_week(self) -> date | None:
        value = self.cleaned_data["week"]
        if not value:
            return None
        year, week = value.split("-W")
        try:
            return date.fromisocalendar(int(year), int(week), 1)
        except ValueError:
            raise forms.ValidationError(
                _("Give the week as YYYY-Www, e.g. 2026-W37."), code="invalid"
            ) from None

    def clean_month(self) -> date | None:
        value = self.cleaned_data["month"]
        if not value:
            return None
        year, month = value.split("-")
        try:
            return date(int(year), int(month), 1)
        except ValueError:
            raise forms.ValidationError(
                _("Give the month as YYYY-MM, e.g. 2026-09."), code="invalid"
            ) from None

    def period(self) -> tuple[date, date, str]:
        """First day, last day and ``"week"`` or ``"month"``; the current month when the form
        is not valid or names no period."""
        data = self.cleaned_data if self.is_valid() else {}
        if data.get("week"):
            return data["week"], data["week"] + timedelta(days=6), "week"
        first = data.get("month") or timezone.localdate().replace(day=1)
        last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
        return first, last, "month"
