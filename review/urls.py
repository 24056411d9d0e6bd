from django.urls import path

from . import views, views_province

app_name = "review"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("applications/<int:pk>/", views.application_review, name="application"),
    path("meetings/", views.meetings, name="meetings"),
    path("meetings/<int:pk>/minutes/", views.meeting_minutes, name="minutes"),
    path("forward/", views.forward, name="forward"),
    path("batches/<int:pk>/", views.batch_detail, name="batch"),
    path("batches/<int:pk>/cover-letter/", views.batch_cover_letter, name="cover_letter"),
    path("batches/<int:pk>/scans/", views.batch_scan_upload, name="scan_upload"),
    path("batches/<int:pk>/scans/<int:scan_id>/", views.batch_scan, name="scan"),
    path("exceptions/", views.exceptions, name="exceptions"),
    path("province/assignments/", views_province.assignments, name="assignments"),
    path(
        "province/applications/<int:pk>/sheets/",
        views_province.sheets_prepare,
        name="sheets_prepare",
    ),
    path("province/sheets/", views_province.my_sheets, name="my_sheets"),
    path("province/sheets/<int:pk>/", views_province.sheet, name="sheet"),
    path("province/applications/<int:pk>/result/", views_province.result, name="result"),
    path(
        "province/applications/<int:pk>/scores.xlsx",
        views_province.application_xlsx,
        name="application_xlsx",
    ),
    path("province/ranking/", views_province.ranking, name="ranking"),
    path("province/ranking.xlsx", views_province.ranking_xlsx, name="ranking_xlsx"),
    path("province/inspections/", views_province.inspections, name="inspections"),
    path("province/inspections/<int:pk>/", views_province.inspection, name="inspection"),
    path(
        "province/inspections/<int:pk>/photos/<int:photo_id>/",
        views_province.inspection_photo,
        name="inspection_photo",
    ),
    path(
        "province/inspections/<int:pk>/report.pdf",
        views_province.inspection_report,
        name="inspection_report",
    ),
    path("province/decisions/", views_province.decisions, name="decisions"),
]
