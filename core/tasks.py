"""Queueing background work safely from a request."""

import logging

from django.db import transaction

logger = logging.getLogger(__name__)


def queue_after_commit(task, *args) -> None:
    """Queue ``task`` once the current transaction commits; never fail the request over it.

    If the broker cannot be reached the error is logged and the request goes on: the work is
    done later by the sweeps of ``run_due_jobs`` (and the beat schedule), which look for rows
    still marked as pending (events not notified, notifications not mailed).
    """

    def send() -> None:
        try:
            task.delay(*args)
        except Exception:  # broker down or unreachable: a sweep will pick the work up
            logger.warning(
                "could not queue %s%r; a sweep will retry", task.name, args, exc_info=True
            )

    transaction.on_commit(send)
