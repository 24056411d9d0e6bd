from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DesignationsConfig(AppConfig):
    name = "designations"
    verbose_name = _("Designations")

    def ready(self) -> None:
        from applications.workflow import CREATE_GUARDS, GUARD_HOOKS

        from .guards import county_has_no_title, designation_recorded

        if county_has_no_title not in CREATE_GUARDS:
            CREATE_GUARDS.append(county_has_no_title)
        GUARD_HOOKS["designation_recorded"] = designation_recorded
