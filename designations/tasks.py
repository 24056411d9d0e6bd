from celery import shared_task

from .batches import render_certificate_batch
from .jobs import certificate_batches_sweep
from .jobs import reinspection_jobs as run_reinspection_jobs

# The certificate batch's task is defined beside the batch (designations.batches) and listed
# here, where the worker's autodiscovery finds the app's tasks.
__all__ = ["certificate_batch_sweep", "reinspection_jobs", "render_certificate_batch"]


@shared_task(acks_late=True, reject_on_worker_lost=True, time_limit=600)
def reinspection_jobs() -> dict[str, int]:
    """Daily: re-inspections falling due and reminders before them."""
    return run_reinspection_jobs()


@shared_task(acks_late=True, reject_on_worker_lost=True, time_limit=120)
def certificate_batch_sweep() -> dict[str, int]:
    """Every minute: queue again the batches still waiting or left standing by a lost worker."""
    return certificate_batches_sweep()
