"""The re-inspection rounds' and the rectifications' pages, under /designations/ where they
have always been (``portal/urls.py``)."""

from django.urls import path

from .views import rectifications, rounds

app_name = "reinspections"

urlpatterns = [
    path("<int:pk>/reinspection/", rounds.reinspection_start, name="reinspection_start"),
    path("reinspections/<int:pk>/", rounds.reinspection, name="reinspection"),
    path(
        "reinspections/<int:pk>/slippage.xlsx",
        rounds.reinspection_xlsx,
        name="reinspection_xlsx",
    ),
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
]
