from celery import shared_task

from .mail import notification_mail
from .models import Notification


@shared_task(acks_late=True, reject_on_worker_lost=True, time_limit=120)
def mail_notification(notification_id: int) -> bool:
    """Mail one inbox message; a retry or a duplicate delivery mails nothing more."""
    notification = Notification.objects.filter(pk=notification_id).first()
    return notification_mail(notification) if notification else False
