"""A username locked by django-axes (wrong passwords and wrong codes together), in the trail."""

from axes.signals import user_locked_out
from django.dispatch import receiver

from audit.enums import AuditAction, Outcome
from audit.services import audit_record


@receiver(user_locked_out, dispatch_uid="organizations_login_locked")
def _locked_out(sender, request, username, ip_address=None, **kwargs) -> None:
    audit_record(
        action=AuditAction.AUTH_LOCK,
        request=request,
        actor_name=str(username or "")[:150],
        outcome=Outcome.REFUSED,
        details={"failures": getattr(request, "axes_failures_since_start", None)},
    )
