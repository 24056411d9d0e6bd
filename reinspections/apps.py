from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReinspectionsConfig(AppConfig):
    name = "reinspections"
    verbose_name = _("Re-inspection and rectification")

    def ready(self) -> None:
        from core.hooks import hooks  # noqa: PLC0415 ready
        from designations import hooks as points  # noqa: PLC0415 ready

        from .panels import designation_panel  # noqa: PLC0415 ready
        from .rectifications import rectification_end_by_revocation  # noqa: PLC0415 ready

        hooks.register(points.DESIGNATION_PANEL, designation_panel)
        hooks.register(points.DESIGNATION_REVOKED, rectification_end_by_revocation)
