"""The forms of the portal's own pages."""

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from applications.enums import PROGRESS_STAGES
from applications.forms import ListFilterForm


class ProgressFilterForm(ListFilterForm):
    """The progress page's filters (GET): name or code, city (the office's only), stage."""

    stage = forms.ChoiceField(
        label=_("Stage"),
        choices=[("", _("All")), *PROGRESS_STAGES],
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def narrow(self, qs: QuerySet, **paths) -> QuerySet:
        """The counties (``applications.selectors.county_progress``) that match."""
        qs = super().narrow(qs, **{"prefix": "", **paths})
        data = self.cleaned_data if self.is_bound and not self.failed else {}
        if data.get("stage"):
            qs = qs.filter(stage=data["stage"])
        return qs
