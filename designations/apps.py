from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DesignationsConfig(AppConfig):
    name = "designations"
    verbose_name = _("Designations")

    def ready(self) -> None:
        from applications import hooks as points
        from core.hooks import hooks
        from evaluation.quota import TITLES_HELD

        from .guards import county_has_no_title, designation_recorded
        from .selectors import titles_held_count

        hooks.register(points.CREATE_GUARDS, county_has_no_title)
        hooks.register(points.DESIGNATION_RECORDED, designation_recorded)
        hooks.register(TITLES_HELD, titles_held_count)
