from django.urls import path, re_path

from .views import answers, cycles, evidence, submission
from .views import applications as pages

app_name = "applications"

urlpatterns = [
    path("", pages.application_list, name="list"),
    path("create/", pages.application_create, name="create"),
    path("<int:pk>/", pages.application_detail, name="detail"),
    path("<int:pk>/form/", pages.application_form, name="form"),
    path("<int:pk>/sections/<int:number>/", pages.application_section, name="section"),
    path("<int:pk>/items/<int:item_id>/assessment/", answers.assessment_save, name="assessment"),
    path("<int:pk>/indicators/<int:indicator_id>/", answers.figure_save, name="figure"),
    path("<int:pk>/evidence/", evidence.evidence_upload, name="evidence_upload"),
    path(
        "<int:pk>/evidence/<int:evidence_id>/", evidence.evidence_download, name="evidence_download"
    ),
    path(
        "<int:pk>/evidence/<int:evidence_id>/remove/",
        evidence.evidence_remove,
        name="evidence_remove",
    ),
    path("<int:pk>/completeness/", submission.application_completeness, name="completeness"),
    path("<int:pk>/submit/", submission.application_submit, name="submit"),
    path("<int:pk>/withdraw/", submission.application_withdraw, name="withdraw"),
    path("<int:pk>/undo/", submission.application_undo, name="undo"),
    path("<int:pk>/pdf/", submission.application_pdf, name="pdf"),
    path("<int:pk>/docx/", submission.application_docx, name="docx"),
    path("cycles/", cycles.cycle_list, name="cycle_list"),
    path("cycles/create/", cycles.cycle_create, name="cycle_create"),
    re_path(
        r"^cycles/(?P<pk>\d+)/(?P<to>open|closed)/$",
        cycles.cycle_transition,
        name="cycle_transition",
    ),
    path("cycles/<int:pk>/county-deadline/", cycles.county_deadline_set, name="county_deadline"),
]
