from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        from django.contrib import admin  # noqa: PLC0415 ready

        from core.excel import ADMIN_FILE_RECORDED  # noqa: PLC0415 ready
        from core.hooks import hooks  # noqa: PLC0415 ready

        from . import signals  # noqa: F401, PLC0415 ready (log-in, log-out, failed log-in, admin changes)
        from .downloads import admin_file_record  # noqa: PLC0415 ready

        hooks.register(ADMIN_FILE_RECORDED, admin_file_record)
        # Deleting many rows at once bypasses the admin's per-object change log, and with it
        # the trail; a deletion goes through the object's own page, one recorded act each.
        admin.site.disable_action("delete_selected")
