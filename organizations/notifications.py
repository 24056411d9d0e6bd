"""The in-app inbox and its mail: one Notification per user and subject matter, mailed once."""

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone

from core.tasks import queue_after_commit

from .mail import notification_mail
from .models import Notification, Reminder, User
from .tasks import mail_notification


def notify(
    *, users: Iterable[User], key: str, subject: str, body: str, url: str = ""
) -> list[Notification]:
    """Put a message in each user's inbox and queue its mail; idempotent per (user, key).

    Returns the notifications created now (a repeated call creates none and mails nothing).
    """
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


def remind_once(
    *, kind: str, users: Iterable[User], object_key: str, due, subject: str, body: str, url: str
) -> int:
    """Send a reminder to each user unless it was sent already for (kind, object, due date).

    The ``Reminder`` row is the guard: a rerun, a retry or a second beat sends nothing twice.
    Returns the number sent now.
    """
    sent = 0
    for user in users:
        try:
            with transaction.atomic():
                Reminder.objects.create(
                    kind=kind, recipient=user, object_key=object_key, due_date=due
                )
                notify(
                    users=[user],
                    key=f"reminder:{kind}:{object_key}:{due:%Y%m%d}",
                    subject=subject,
                    body=body,
                    url=url,
                )
        except IntegrityError:
            continue
        sent += 1
    return sent
