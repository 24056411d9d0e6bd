from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        from django.contrib import admin

        from core.excel import ADMIN_FILE_RECORDED
        from core.hooks import hooks

        from . import signals  # noqa: F401  (log-in, log-out, failed log-in, admin changes)
        from .downloads import admin_file_record

        hooks.register(ADMIN_FILE_RECORDED, admin_file_record)
        # Deleting many rows at once bypasses the admin's per-object change log, and with it
        # the trail; a deletion goes through the object's own page, one recorded act each.
        admin.site.disable_action("delete_selected")
