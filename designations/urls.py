from django.urls import path

from .views import certificates, overview, publication, register

app_name = "designations"

urlpatterns = [
    path("", register.register, name="register"),
    path("designate/", register.designate, name="designate"),
    path("publish/", publication.publish, name="publish"),
    path("quota/", overview.quota, name="quota"),
    path("dashboard/", overview.dashboard, name="dashboard"),
    path("<int:pk>/", register.detail, name="detail"),
    path("<int:pk>/certificate.pdf", certificates.certificate, name="certificate"),
    path("publications/<int:pk>/notice.pdf", publication.notice, name="notice"),
    path("certificates/", certificates.certificate_batch_start, name="certificate_batch_start"),
    path("certificates/<int:pk>/", certificates.certificate_batch, name="certificate_batch"),
    path(
        "certificates/<int:pk>/download/",
        certificates.certificate_batch_download,
        name="certificate_batch_download",
    ),
]
