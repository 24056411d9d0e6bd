from django.urls import path

from . import views

app_name = "designations"

urlpatterns = [
    path("", views.register, name="register"),
    path("designate/", views.designate, name="designate"),
    path("publish/", views.publish, name="publish"),
    path("quota/", views.quota, name="quota"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/certificate.pdf", views.certificate, name="certificate"),
    path("publications/<int:pk>/notice.pdf", views.notice, name="notice"),
    path("certificates/", views.certificate_batch_start, name="certificate_batch_start"),
    path("certificates/<int:pk>/", views.certificate_batch, name="certificate_batch"),
    path(
        "certificates/<int:pk>/download/",
        views.certificate_batch_download,
        name="certificate_batch_download",
    ),
]
