from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import DetailView, ListView

from .models import CriteriaVersion
from .selectors import criteria_versions_with_counts, sections_of


class CriteriaVersionListView(LoginRequiredMixin, ListView):
    template_name = "standards/criteriaversion_list.html"
    context_object_name = "versions"

    def get_queryset(self):
        return criteria_versions_with_counts()


class CriteriaVersionDetailView(LoginRequiredMixin, DetailView):
    """The criteria by section, indicators and veto items marked."""

    template_name = "standards/criteriaversion_detail.html"
    context_object_name = "version"

    def get_queryset(self):
        return CriteriaVersion.objects.all()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sections"] = sections_of(version=self.object)
        return context
