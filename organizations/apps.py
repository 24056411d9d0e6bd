from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "organizations"
    verbose_name = _("Bureaus and users")

    def ready(self) -> None:
        from audit.display import ROLE_LABELS  # noqa: PLC0415 ready
        from core.hooks import hooks  # noqa: PLC0415 ready

        from . import signals  # noqa: F401, PLC0415 ready (a lockout by django-axes, in the audit trail)

        hooks.register(ROLE_LABELS, role_labels)


def role_labels() -> dict[str, str]:
    """The roles' labels, for the codes the audit trail keeps (``audit.display``)."""
    from .enums import Role  # noqa: PLC0415 ready

    return dict(Role.choices)
