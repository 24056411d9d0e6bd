from celery import shared_task

from .jobs import deadline_jobs as run_deadline_jobs


@shared_task(acks_late=True, reject_on_worker_lost=True, time_limit=600)
def deadline_jobs() -> dict[str, int]:
    """Daily: deadline reminders to cities and counties, the summary after the deadline."""
    return run_deadline_jobs()
