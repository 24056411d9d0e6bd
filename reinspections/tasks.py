from celery import shared_task

from .jobs import rectification_jobs as run_rectification_jobs


@shared_task(acks_late=True, reject_on_worker_lost=True, time_limit=600)
def rectification_jobs() -> dict[str, int]:
    """Daily: reminders before a rectification's deadline and the day after it."""
    return run_rectification_jobs()
