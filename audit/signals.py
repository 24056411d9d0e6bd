"""Log-in, log-out and failed log-ins, as Django's authentication signals report them; every
change made in the administration pages, as the admin's own change log records it."""

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save
from django.dispatch import receiver

from .enums import AuditAction, Outcome
from .middleware import current_request, objects_recorded
from .services import audit_record

# A failed log-in that a service recorded itself (a wrong second-factor code, ``otp.fail``)
# sends Django's signal with this key among the credentials, for the lockout to count it.
RECORDED_CREDENTIAL = "audit_recorded"


@receiver(user_logged_in, dispatch_uid="audit_login")
def _logged_in(sender, request, user, **kwargs) -> None:
    audit_record(action=AuditAction.AUTH_LOGIN, request=request, actor=user)


@receiver(user_logged_out, dispatch_uid="audit_logout")
def _logged_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        audit_record(action=AuditAction.AUTH_LOGOUT, request=request, actor=user)


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def _login_failed(sender, credentials, request=None, **kwargs) -> None:
    if credentials.get(RECORDED_CREDENTIAL):
        return
    # The username tried (never the password): an attempt on an unknown name is recorded too.
    audit_record(
        action=AuditAction.AUTH_LOGIN_FAIL,
        request=request,
        actor_name=str(credentials.get("username", ""))[:150],
        outcome=Outcome.REFUSED,
    )


ADMIN_ACTIONS = {
    ADDITION: AuditAction.ADMIN_ADD,
    CHANGE: AuditAction.ADMIN_CHANGE,
    DELETION: AuditAction.ADMIN_DELETE,
}


@receiver(post_save, sender=LogEntry, dispatch_uid="audit_admin_change")
def _admin_changed(sender, instance: LogEntry, created: bool, **kwargs) -> None:
    if not created:
        return
    model = (
        f"{instance.content_type.app_label}.{instance.content_type.model}"
        if instance.content_type_id
        else ""
    )
    request = current_request.get()
    # A page that saves through a service (an account, a role) has its act recorded by the
    # service already: the admin's change log of it is the same act, not a second one.
    if request is not None and (model, str(instance.object_id or "")) in objects_recorded(request):
        return
    audit_record(
        action=ADMIN_ACTIONS.get(instance.action_flag, AuditAction.ADMIN_CHANGE),
        request=request,
        actor=instance.user,
        details={
            "model": model,
            "object_id": str(instance.object_id or ""),
            "object": instance.object_repr,
            "change": instance.get_change_message(),
        },
    )
