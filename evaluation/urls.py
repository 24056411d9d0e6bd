"""The province's evaluation, under /review/province/ (the paths it has always had)."""

from django.urls import path

from .views import decisions, inspections, sheets

app_name = "evaluation"

urlpatterns = [
    path("assignments/", sheets.assignments, name="assignments"),
    path("applications/<int:pk>/sheets/", sheets.sheets_prepare, name="sheets_prepare"),
    path("sheets/", sheets.my_sheets, name="my_sheets"),
    path("sheets/<int:pk>/", sheets.sheet, name="sheet"),
    path("applications/<int:pk>/result/", sheets.result, name="result"),
    path("applications/<int:pk>/scores.xlsx", sheets.application_xlsx, name="application_xlsx"),
    path("ranking/", sheets.ranking, name="ranking"),
    path("results/confirm/", sheets.results_confirm, name="results_confirm"),
    path("ranking.xlsx", sheets.ranking_xlsx, name="ranking_xlsx"),
    path("inspections/", inspections.inspections, name="inspections"),
    path("inspections/<int:pk>/", inspections.inspection, name="inspection"),
    path(
        "inspections/<int:pk>/photos/<int:photo_id>/",
        inspections.inspection_photo,
        name="inspection_photo",
    ),
    path(
        "inspections/<int:pk>/report.pdf", inspections.inspection_report, name="inspection_report"
    ),
    path("decisions/", decisions.decisions, name="decisions"),
]
