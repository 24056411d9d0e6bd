"""The in-app inbox and its mail: one Notification per user and subject matter, mailed once."""

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from .models import Notification, User


def notify(
    *, users: Iterable[User], key: str, subject: str, body: str, url: str = ""
) -> list[Notification]:
    """Put a message in each user's inbox and queue its mail; idempotent per (user, key).

    Returns the notifications created now (a repeated call creates none and mails nothing).
    """
    from portal.celery import queue_after_commit

    from .tasks import mail_notification

    created = []
    for user in {u.pk: u for u in users if u.is_active}.values():
        try:
            with transaction.atomic():
                notification = Notification.objects.create(
                    user=user, key=key[:120], subject=subject[:200], body=body, url=url[:200]
                )
        except IntegrityError:
            continue
        created.append(notification)
        if user.email:
            queue_after_commit(mail_notification, notification.pk)
    return created


def notification_mail(notification: Notification) -> bool:
    """Mail one notification unless it was mailed already. Returns whether a mail went out."""
    with transaction.atomic():
        locked = (
            Notification.objects.select_for_update().select_related("user").get(pk=notification.pk)
        )
        if locked.mailed_at is not None or not locked.user.email:
            return False
        context = {"notification": locked, "site_url": getattr(settings, "SITE_URL", "")}
        text = render_to_string("organizations/email/notification_body.txt", context)
        html = render_to_string("organizations/email/notification_body.html", context)
        send_mail(locked.subject, text, None, [locked.user.email], html_message=html)
        locked.mailed_at = timezone.now()
        locked.save(update_fields=["mailed_at"])
    return True


def notifications_mail_pending(*, older_than_seconds: int = 60) -> int:
    """Mail what the broker never delivered. Returns the number mailed."""
    cutoff = timezone.now() - timezone.timedelta(seconds=older_than_seconds)
    pending = Notification.objects.filter(
        mailed_at__isnull=True, created_at__lte=cutoff, user__is_active=True
    ).exclude(user__email="")
    return sum(notification_mail(n) for n in pending)


def unread_count(user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notifications_mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())
