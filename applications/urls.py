from django.urls import path, re_path

from . import views

app_name = "applications"

urlpatterns = [
    path("", views.application_list, name="list"),
    path("create/", views.application_create, name="create"),
    path("<int:pk>/", views.application_detail, name="detail"),
    path("<int:pk>/form/", views.application_form, name="form"),
    path("<int:pk>/sections/<int:number>/", views.application_section, name="section"),
    path("<int:pk>/items/<int:item_id>/assessment/", views.assessment_save, name="assessment"),
    path("<int:pk>/indicators/<int:indicator_id>/", views.figure_save, name="figure"),
    path("<int:pk>/evidence/", views.evidence_upload, name="evidence_upload"),
    path("<int:pk>/evidence/<int:evidence_id>/", views.evidence_download, name="evidence_download"),
    path(
        "<int:pk>/evidence/<int:evidence_id>/remove/", views.evidence_remove, name="evidence_remove"
    ),
    path("<int:pk>/completeness/", views.application_completeness, name="completeness"),
    path("<int:pk>/submit/", views.application_submit, name="submit"),
    path("<int:pk>/withdraw/", views.application_withdraw, name="withdraw"),
    path("<int:pk>/pdf/", views.application_pdf, name="pdf"),
    path("cycles/", views.cycle_list, name="cycle_list"),
    path("cycles/create/", views.cycle_create, name="cycle_create"),
    re_path(
        r"^cycles/(?P<pk>\d+)/(?P<to>open|closed)/$",
        views.cycle_transition,
        name="cycle_transition",
    ),
    path("cycles/<int:pk>/county-deadline/", views.county_deadline_set, name="county_deadline"),
]
