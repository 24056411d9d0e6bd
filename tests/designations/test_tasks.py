"""Certificate batches on a real worker and a real Redis (``REDIS_URL_TEST``): a worker killed
halfway, and a batch asked for while the broker is down. Each ends with the batch's file read
back: every certificate in it exactly once, in the bureaus' order."""

import json
import os
import re
import signal
import time
from datetime import timedelta

import pytest
import redis
from django.utils import timezone

from designations.batches import certificate_batch_start
from designations.models import CertificateBatch, CertificateBatchRequeue, Designation
from organizations.models import Bureau
from tests.documents import page_count, text_of
from tests.states import stored_copy
from tests.workers import REDIS_URL_TEST, Worker, celery_broker, run_due_jobs, wait_for

from .factories import designated

pytestmark = pytest.mark.django_db(transaction=True)
B = CertificateBatch.State
# The sweep in the tests' run_due_jobs: a batch still for a second is queued again.
STALL = {"CERTIFICATE_BATCH_STALL_SECONDS": "1"}


def _designations(cycle, office, count: int) -> list[str]:
    """``count`` counties designated through the workflow; their numbers in the bureaus' order."""
    codes = list(
        Bureau.objects.filter(level="county").order_by("code").values_list("code", flat=True)
    )[:count]
    for code in reversed(codes):  # granted out of order: the file is in the bureaus' order
        designated(cycle, office, code=code)
    return list(
        Designation.objects.filter(cycle=cycle)
        .order_by("bureau__code")
        .values_list("number", flat=True)
    )


def _numbers_in(batch: CertificateBatch) -> list[str]:
    with stored_copy(batch.stored_name) as path:
        pages = page_count(path)
        text = text_of(path)
    numbers = re.findall(r"黑司示〔\d{4}〕\d+号", text)
    assert pages == len(numbers)
    return numbers


def _still_for(batch: CertificateBatch, seconds: float) -> None:
    """Wait until the batch's progress has not moved for ``seconds``."""
    batch.refresh_from_db()
    assert wait_for(lambda: timezone.now() - batch.progressed_at > timedelta(seconds=seconds))


def _state(batch: CertificateBatch) -> str:
    batch.refresh_from_db()
    return batch.state


@pytest.fixture
def broker():
    client = redis.Redis.from_url(REDIS_URL_TEST)
    client.flushdb()
    yield client
    client.flushdb()


def test_a_worker_killed_halfway_leaves_a_batch_the_sweep_resumes_rendering_each_once(
    cast, cycle, broker, tmp_path
):
    numbers = _designations(cycle, cast.office, 6)
    first = Worker(tmp_path / "first.log", slow_page_seconds=1)
    second = None
    try:
        with celery_broker(REDIS_URL_TEST):
            batch = certificate_batch_start(cycle=cycle, by=cast.office)
        assert wait_for(lambda: CertificateBatch.objects.get(pk=batch.pk).done >= 2), first.output()
        first.kill()
        batch.refresh_from_db()
        assert batch.state == B.RUNNING
        assert 2 <= batch.done < 6
        done_before = dict(
            batch.pages.exclude(stored_name="").values_list("position", "rendered_at")
        )
        assert len(done_before) == batch.done
        # Killed, the worker acknowledged nothing: its task waits out the visibility timeout.
        assert (broker.llen("celery"), broker.hlen("unacked")) == (0, 1)
        second = Worker(tmp_path / "second.log")
        _still_for(batch, 1)
        swept = json.loads(run_due_jobs(**STALL))
        assert swept["certificate_batches"] == {"requeued": 1}
        assert wait_for(lambda: _state(batch) == B.DONE), second.output()
    finally:
        if first.process.poll() is None:
            first.kill()
        output = second.stop() if second else ""
    assert "Traceback" not in output, output
    batch.refresh_from_db()
    assert (batch.done, batch.total, batch.attempts) == (6, 6, 2)
    requeue = CertificateBatchRequeue.objects.get(batch=batch)
    assert (requeue.state, requeue.done) == (B.RUNNING, len(done_before))
    # The pages rendered before the kill were not rendered again.
    after = dict(batch.pages.values_list("position", "rendered_at"))
    assert {position: after[position] for position in done_before} == done_before
    assert _numbers_in(batch) == numbers


def test_a_child_process_killed_halfway_puts_its_batch_back_at_once(cast, cycle, broker, tmp_path):
    numbers = _designations(cycle, cast.office, 4)
    worker = Worker(tmp_path / "worker.log", slow_page_seconds=1, prefork=True)
    try:
        with celery_broker(REDIS_URL_TEST):
            batch = certificate_batch_start(cycle=cycle, by=cast.office)
        assert wait_for(lambda: CertificateBatch.objects.get(pk=batch.pk).done >= 1), (
            worker.output()
        )
        [child] = worker.children()
        os.kill(child, signal.SIGKILL)
        # The parent sees its child lost and rejects the task back onto the queue
        # (reject_on_worker_lost): a new child resumes it, no sweep needed.
        assert wait_for(lambda: _state(batch) == B.DONE), worker.output()
    finally:
        output = worker.stop()
    assert "WorkerLostError" in output
    batch.refresh_from_db()
    assert (batch.done, batch.total, batch.attempts) == (4, 4, 2)
    assert not CertificateBatchRequeue.objects.filter(batch=batch).exists()
    assert _numbers_in(batch) == numbers


def test_a_batch_asked_for_while_the_broker_is_down_is_rendered_once_it_answers(
    cast, cycle, broker, tmp_path, caplog
):
    numbers = _designations(cycle, cast.office, 3)
    started = time.monotonic()
    with celery_broker("redis://127.0.0.1:1/0"):  # nothing listens there
        batch = certificate_batch_start(cycle=cycle, by=cast.office)
    assert time.monotonic() - started < 15
    assert "could not queue designations.tasks.render_certificate_batch" in caplog.text
    batch.refresh_from_db()
    assert (batch.state, batch.attempts) == (B.PENDING, 0)
    assert broker.llen("celery") == 0
    worker = Worker(tmp_path / "worker.log")
    try:
        time.sleep(1)
        assert _state(batch) == B.PENDING  # the worker has nothing to do: nothing was queued
        _still_for(batch, 1)
        swept = json.loads(run_due_jobs(**STALL))
        assert swept["certificate_batches"] == {"requeued": 1}
        assert wait_for(lambda: _state(batch) == B.DONE), worker.output()
    finally:
        output = worker.stop()
    assert "Traceback" not in output, output
    batch.refresh_from_db()
    assert (batch.done, batch.total, batch.attempts) == (3, 3, 1)
    requeue = CertificateBatchRequeue.objects.get(batch=batch)
    assert (requeue.state, requeue.done) == (B.PENDING, 0)
    assert _numbers_in(batch) == numbers
