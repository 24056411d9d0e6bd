"""One inbox message mailed, once: what the mail task and the sweep both call."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone

from .models import Notification


def notification_mail(notification: Notification) -> bool:
    """Mail one notification unless it was mailed already. Returns whether a mail went out.

    The notification is claimed first (an atomic update of ``mailed_at``), so two workers never
    both send it; if sending fails the claim is released for the sweep to retry.
    """
    claimed = Notification.objects.filter(pk=notification.pk, mailed_at__isnull=True).update(
        mailed_at=timezone.now()
    )
    if not claimed:
        return False
    notification = Notification.objects.select_related("user").get(pk=notification.pk)
    if not notification.user.email:
        return False
    context = {"notification": notification, "site_url": getattr(settings, "SITE_URL", "")}
    text = render_to_string("organizations/email/notification_body.txt", context)
    html = render_to_string("organizations/email/notification_body.html", context)
    try:
        send_mail(notification.subject, text, None, [notification.user.email], html_message=html)
    except Exception:
        Notification.objects.filter(pk=notification.pk).update(mailed_at=None)
        raise
    return True
