from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    name = "notices"
    verbose_name = _("Public notice")

    def ready(self) -> None:
        from applications import hooks as points  # noqa: PLC0415 ready
        from core.hooks import hooks  # noqa: PLC0415 ready

        from .guards import objection_upheld  # noqa: PLC0415 ready

        hooks.register(points.OBJECTION_UPHELD, objection_upheld)
