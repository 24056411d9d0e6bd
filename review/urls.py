from django.urls import path

from . import views

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
    path("exceptions/", views.deadline_extensions, name="deadline_extensions"),
]
