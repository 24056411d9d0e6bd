from django.urls import path

from .views import certificates, overview, publication, rectifications, register, reinspection

app_name = "designations"

urlpatterns = [
    path("", register.register, name="register"),
    path("designate/", register.designate, name="designate"),
    path("publish/", publication.publish, name="publish"),
    path("quota/", overview.quota, name="quota"),
    path("dashboard/", overview.dashboard, name="dashboard"),
    path("<int:pk>/", register.detail, name="detail"),
    path("<int:pk>/reinspection/", reinspection.reinspection_start, name="reinspection_start"),
    path("reinspections/<int:pk>/", reinspection.reinspection, name="reinspection"),
    path(
        "reinspections/<int:pk>/slippage.xlsx",
        reinspection.reinspection_xlsx,
        name="reinspection_xlsx",
    ),
    path("<int:pk>/certificate.pdf", certificates.certificate, name="certificate"),
    path("publications/<int:pk>/notice.pdf", publication.notice, name="notice"),
    path("rectifications/", rectifications.rectification_list, name="rectifications"),
    path("rectifications/<int:pk>/", rectifications.rectification, name="rectification"),
    path(
        "rectifications/<int:pk>/files/<int:file_id>/",
        rectifications.rectification_file,
        name="rectification_file",
    ),
    path(
        "rectifications/<int:pk>/files/<int:file_id>/remove/",
        rectifications.rectification_file_remove,
        name="rectification_file_remove",
    ),
    path("certificates/", certificates.certificate_batch_start, name="certificate_batch_start"),
    path("certificates/<int:pk>/", certificates.certificate_batch, name="certificate_batch"),
    path(
        "certificates/<int:pk>/download/",
        certificates.certificate_batch_download,
        name="certificate_batch_download",
    ),
]
