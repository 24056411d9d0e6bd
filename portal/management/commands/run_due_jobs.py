import json

from django.core.management.base import BaseCommand

from applications.tasks import events_notify_pending
from designations.jobs import reinspection_jobs
from organizations.notifications import notifications_mail_pending
from review.jobs import deadline_jobs


class Command(BaseCommand):
    help = (
        "Run the periodic jobs once: deadline reminders and summary, and the notification "
        "sweep. Safe to run as often as you like (cron, or the embedded default)."
    )

    def handle(self, *args, **options) -> None:
        result = {
            "reminders": deadline_jobs(),
            "designations": reinspection_jobs(),
            "events_notified": events_notify_pending(older_than_seconds=0),
            "mails": notifications_mail_pending(older_than_seconds=0),
        }
        self.stdout.write(json.dumps(result, ensure_ascii=False))
