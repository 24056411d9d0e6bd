import json

from django.core.management.base import BaseCommand

from applications.tasks import events_notify_pending
from designations.jobs import certificate_batches_sweep, reinspection_jobs
from organizations.notifications import notifications_mail_pending
from reinspections.jobs import rectification_jobs
from review.jobs import deadline_jobs


class Command(BaseCommand):
    help = (
        "Run the periodic jobs once: deadline reminders and summary, the notification sweep "
        "and the sweep of certificate batches that stood still. Safe to run as often as you "
        "like (cron, or the embedded default)."
    )

    def handle(self, *args, **options) -> None:
        result = {
            "reminders": deadline_jobs(),
            "designations": reinspection_jobs(),
            "rectifications": rectification_jobs(),
            "events_notified": events_notify_pending(older_than_seconds=0),
            "mails": notifications_mail_pending(older_than_seconds=0),
            # Only batches still for CERTIFICATE_BATCH_STALL_SECONDS: one rendering now is left.
            "certificate_batches": certificate_batches_sweep(),
        }
        self.stdout.write(json.dumps(result, ensure_ascii=False))
