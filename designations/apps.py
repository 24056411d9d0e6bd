from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DesignationsConfig(AppConfig):
    name = "designations"
    verbose_name = _("Designations")

    def ready(self) -> None:
        from applications import hooks as points  # noqa: PLC0415 ready
        from core.hooks import hooks  # noqa: PLC0415 ready
        from evaluation.quota import TITLES_HELD  # noqa: PLC0415 ready

        from .guards import county_has_no_title, designation_recorded  # noqa: PLC0415 ready
        from .selectors import titles_held_count  # noqa: PLC0415 ready

        hooks.register(points.CREATE_GUARDS, county_has_no_title)
        hooks.register(points.DESIGNATION_RECORDED, designation_recorded)
        hooks.register(TITLES_HELD, titles_held_count)
