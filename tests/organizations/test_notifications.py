import pytest
from django.core import mail

from organizations.mail import notification_mail
from organizations.models import Notification
from organizations.notifications import notify, unread_count

pytestmark = pytest.mark.django_db


def test_notify_is_idempotent_per_user_and_key(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = notify(users=[cast.office, cast.office], key="k1", subject="主题", body="正文")
        second = notify(users=[cast.office], key="k1", subject="主题", body="正文")
    assert len(first) == 1
    assert second == []
    assert Notification.objects.filter(user=cast.office).count() == 1
    assert len(mail.outbox) == 1
    assert unread_count(cast.office) == 1


def test_a_notification_is_mailed_once(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        [notification] = notify(users=[cast.office], key="k2", subject="主题", body="正文")
    assert notification_mail(notification) is True
    assert notification_mail(notification) is False
    assert len(mail.outbox) == 1


def test_a_failed_mail_is_released_for_the_sweep(
    cast, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        [notification] = notify(users=[cast.office], key="k3", subject="主题", body="正文")
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 1
    with pytest.raises(ConnectionRefusedError):
        notification_mail(notification)
    notification.refresh_from_db()
    assert notification.mailed_at is None
