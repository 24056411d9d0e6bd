from celery import shared_task
from django.conf import settings

from .batches import certificate_batch_render
from .jobs import certificate_batches_sweep
from .jobs import reinspection_jobs as run_reinspection_jobs


@shared_task(acks_late=True, reject_on_worker_lost=True, time_limit=600)
def reinspection_jobs() -> dict[str, int]:
    """Daily: re-inspections falling due and reminders before them."""
    return run_reinspection_jobs()


# The longest task: its limit bounds the broker's visibility timeout (portal/settings.py). A
# batch cut off by it is resumed by the sweep from the pages already stored.
@shared_task(
    acks_late=True, reject_on_worker_lost=True, time_limit=settings.CERTIFICATE_BATCH_TIME_LIMIT
)
def render_certificate_batch(batch_id: int) -> int:
    """Render a cycle's certificates into one PDF; each page is stored as it is done, so a
    re-delivery renders only what is missing, and one for a finished batch does nothing."""
    batch = certificate_batch_render(batch_id=batch_id)
    return batch.done if batch is not None else 0


@shared_task(acks_late=True, reject_on_worker_lost=True, time_limit=120)
def certificate_batch_sweep() -> dict[str, int]:
    """Every minute: queue again the batches still waiting or left standing by a lost worker."""
    return certificate_batches_sweep()
