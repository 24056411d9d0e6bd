from celery import shared_task

from .jobs import reinspection_jobs as run_reinspection_jobs


@shared_task(acks_late=True, reject_on_worker_lost=True, time_limit=600)
def reinspection_jobs() -> dict[str, int]:
    """Daily: re-inspections falling due, reminders before them and before rectification ends."""
    return run_reinspection_jobs()


@shared_task(acks_late=True, reject_on_worker_lost=True, time_limit=1800)
def render_certificate_batch(batch_id: int) -> int:
    """Render a cycle's certificates into one PDF; progress is saved as it goes."""
    from .services import certificate_batch_render

    batch = certificate_batch_render(batch_id=batch_id)
    return batch.done if batch is not None else 0
