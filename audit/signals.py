"""Log-in, log-out and failed log-ins, as Django's authentication signals report them."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .enums import Outcome
from .services import audit_record


@receiver(user_logged_in, dispatch_uid="audit_login")
def _logged_in(sender, request, user, **kwargs) -> None:
    audit_record(action="login", request=request, actor=user)


@receiver(user_logged_out, dispatch_uid="audit_logout")
def _logged_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        audit_record(action="logout", request=request, actor=user)


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def _login_failed(sender, credentials, request=None, **kwargs) -> None:
    # The username tried (never the password): an attempt on an unknown name is recorded too.
    audit_record(
        action="login_failed",
        request=request,
        actor_name=str(credentials.get("username", ""))[:150],
        outcome=Outcome.REFUSED,
    )
