from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "organizations"
    verbose_name = _("Bureaus and users")

    def ready(self) -> None:
        from . import signals  # noqa: F401  (a lockout by django-axes, in the audit trail)
