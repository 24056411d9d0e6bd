from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    name = "notices"
    verbose_name = _("Public notice")

    def ready(self) -> None:
        from applications import hooks as points
        from core.hooks import hooks

        from .guards import objection_upheld

        hooks.register(points.OBJECTION_UPHELD, objection_upheld)
