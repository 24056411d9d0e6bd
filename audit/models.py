from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .enums import Outcome


class AuditEntry(models.Model):
    """One act that matters: who (with their role and bureau at the time), from where, what,
    on which object, with what outcome. Append-only (a PostgreSQL trigger refuses UPDATE and
    DELETE) and chained: ``hash`` is the SHA-256 of ``previous_hash`` and the row's content,
    so ``manage.py audit_verify`` finds the first row changed behind the portal's back."""

    created_at = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # As they were at the time of the act (a user's name or roles may change later).
    actor_name = models.CharField(_("username"), max_length=150, blank=True)
    roles = models.CharField(_("roles"), max_length=300, blank=True)
    bureau = models.CharField(_("bureau"), max_length=200, blank=True)
    ip = models.GenericIPAddressField(_("address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    action = models.CharField(_("action"), max_length=60)
    object_type = models.CharField(_("object type"), max_length=60, blank=True)
    object_id = models.CharField(_("object id"), max_length=40, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    details = models.JSONField(_("details"), default=dict, blank=True)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-id"]
        indexes = [
            # The audit administrator's filters: by action, by actor, by object, over time.
            models.Index(fields=["action", "created_at"], name="audit_action_time"),
            models.Index(fields=["actor", "created_at"], name="audit_actor_time"),
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.actor_name} {self.action}"
