from django.urls import path

from .views import applications, extensions, forwarding, meetings

app_name = "review"

urlpatterns = [
    path("", applications.dashboard, name="dashboard"),
    path("applications/<int:pk>/", applications.application_review, name="application"),
    path("meetings/", meetings.meetings, name="meetings"),
    path("meetings/<int:pk>/minutes/", meetings.meeting_minutes, name="minutes"),
    path("forward/", forwarding.forward, name="forward"),
    path("batches/<int:pk>/", forwarding.batch_detail, name="batch"),
    path("batches/<int:pk>/cover-letter/", forwarding.batch_cover_letter, name="cover_letter"),
    path("batches/<int:pk>/scans/", forwarding.batch_scan_upload, name="scan_upload"),
    path("batches/<int:pk>/scans/<int:scan_id>/", forwarding.batch_scan, name="scan"),
    path("exceptions/", extensions.deadline_extensions, name="deadline_extensions"),
]
