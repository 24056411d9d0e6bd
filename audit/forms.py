from django import forms
from django.utils.translation import gettext_lazy as _

from .enums import Outcome, action_choices


class AuditFilterForm(forms.Form):
    """The audit administrator's filters; every one optional, every one validated."""

    actor = forms.CharField(label=_("User"), required=False, max_length=150)
    bureau = forms.CharField(label=_("Bureau"), required=False, max_length=100)
    action = forms.ChoiceField(
        label=_("Action"),
        required=False,
        # Grouped by what the act is about; a member stands for its legacy codes too.
        choices=lambda: [("", _("All")), *action_choices()],
    )
    object = forms.CharField(
        label=_("Object"), required=False, max_length=100, help_text=_("Type, id or name")
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"), required=False, choices=[("", _("All")), *Outcome.choices]
    )
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs["class"] = (
                "form-select" if name in ("action", "outcome") else "form-control"
            )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("since") and cleaned.get("until") and cleaned["since"] > cleaned["until"]:
            self.add_error("until", _("The end is before the start."))
        return cleaned
