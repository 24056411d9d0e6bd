"""The forms of the portal's own pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from applications.enums import PROGRESS_STAGES
from organizations.selectors import province_cities


class ProgressFilterForm(forms.Form):
    """The progress page's filters (GET): city (the office's only), stage, name or code."""

    city = forms.ModelChoiceField(
        label=_("City bureau"),
        queryset=None,
        required=False,
        empty_label=_("All"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    stage = forms.ChoiceField(
        label=_("Stage"),
        choices=[("", _("All")), *PROGRESS_STAGES],
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    q = forms.CharField(
        label=_("Bureau name or code"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"class": "form-control", "type": "search"}),
    )

    def __init__(self, *args, several_cities: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if several_cities:
            self.fields["city"].queryset = province_cities()
        else:
            del self.fields["city"]
