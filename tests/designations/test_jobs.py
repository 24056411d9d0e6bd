"""The sweep of certificate batches: waiting ones and ones a lost worker left standing are
queued again (and recorded), ones that began too often are failed with the reason."""

import io
import json
from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from designations.batches import certificate_batch_begin, certificate_batch_start
from designations.jobs import certificate_batches_sweep
from designations.models import CertificateBatch, CertificateBatchRequeue

from .factories import designated
from .test_services import _blank_pdf

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("_pages_are_blank"),
]
B = CertificateBatch.State
STALL = 300


@pytest.fixture
def _pages_are_blank():
    with mock.patch("designations.batches.certificate_page_pdf", side_effect=_blank_pdf):
        yield


def _later(seconds: int = STALL + 1):
    return timezone.now() + timedelta(seconds=seconds)


def _broker_down():
    return mock.patch("designations.tasks.render_certificate_batch.delay", side_effect=OSError)


def _waiting(cycle, office, capture) -> CertificateBatch:
    """A batch asked for while the broker was down: its task was never queued."""
    with _broker_down(), capture(execute=True):
        return certificate_batch_start(cycle=cycle, by=office)


@override_settings(CERTIFICATE_BATCH_STALL_SECONDS=STALL)
def test_a_waiting_batch_is_queued_again_once_and_rendered(
    cast, cycle, django_capture_on_commit_callbacks
):
    designated(cycle, cast.office)
    batch = _waiting(cycle, cast.office, django_capture_on_commit_callbacks)
    assert certificate_batches_sweep() == {}  # not yet past the stall limit
    later = _later()
    with django_capture_on_commit_callbacks(execute=True):
        assert certificate_batches_sweep(now=later) == {"requeued": 1}
    batch.refresh_from_db()
    assert (batch.state, batch.done, batch.total, batch.attempts) == (B.DONE, 1, 1, 1)
    requeue = CertificateBatchRequeue.objects.get()
    assert (requeue.batch, requeue.state, requeue.done) == (batch, B.PENDING, 0)
    assert abs(requeue.stalled_since - batch.created_at) < timedelta(seconds=1)
    assert certificate_batches_sweep(now=later) == {}


@override_settings(CERTIFICATE_BATCH_STALL_SECONDS=STALL)
def test_a_batch_still_waiting_is_queued_again_once_per_stall_period(
    cast, cycle, django_capture_on_commit_callbacks
):
    batch = _waiting(cycle, cast.office, django_capture_on_commit_callbacks)
    # The broker is still down: every re-queue is lost, none counts as an attempt.
    with _broker_down(), django_capture_on_commit_callbacks(execute=True):
        assert certificate_batches_sweep(now=_later()) == {"requeued": 1}
        assert certificate_batches_sweep(now=_later(STALL - 5)) == {}  # its clock restarted
    with _broker_down(), django_capture_on_commit_callbacks(execute=True):
        assert certificate_batches_sweep(now=_later(2 * STALL + 2)) == {"requeued": 1}
    batch.refresh_from_db()
    assert (batch.state, batch.attempts) == (B.PENDING, 0)
    assert CertificateBatchRequeue.objects.filter(batch=batch).count() == 2


@override_settings(CERTIFICATE_BATCH_STALL_SECONDS=STALL)
def test_a_running_batch_whose_worker_was_lost_is_resumed(
    cast, cycle, django_capture_on_commit_callbacks
):
    designated(cycle, cast.office, code="230102")
    designated(cycle, cast.office, code="230103")
    batch = certificate_batch_start(cycle=cycle, by=cast.office)  # on_commit not run: queued
    certificate_batch_begin(batch_id=batch.pk)  # a worker took it, and was lost
    assert certificate_batches_sweep(now=_later(STALL - 5)) == {}  # still moving, maybe
    with django_capture_on_commit_callbacks(execute=True):
        assert certificate_batches_sweep(now=_later()) == {"requeued": 1}
    batch.refresh_from_db()
    assert (batch.state, batch.done, batch.attempts) == (B.DONE, 2, 2)
    requeue = CertificateBatchRequeue.objects.get()
    assert (requeue.state, requeue.done) == (B.RUNNING, 0)


@override_settings(CERTIFICATE_BATCH_STALL_SECONDS=STALL, CERTIFICATE_BATCH_MAX_ATTEMPTS=2)
def test_a_batch_that_keeps_stopping_is_failed_with_the_reason(
    client, cast, cycle, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    designated(cycle, cast.office)
    batch = certificate_batch_start(cycle=cycle, by=cast.office)
    certificate_batch_begin(batch_id=batch.pk)
    lost_again = mock.patch("designations.tasks.render_certificate_batch.delay")
    with lost_again, django_capture_on_commit_callbacks(execute=True):
        assert certificate_batches_sweep(now=_later()) == {"requeued": 1}
    certificate_batch_begin(batch_id=batch.pk)
    assert certificate_batches_sweep(now=_later(2 * STALL + 2)) == {"failed": 1}
    batch.refresh_from_db()
    assert (batch.state, batch.attempts) == (B.FAILED, 2)
    assert batch.finished_at is not None
    assert "2" in batch.failure_reason
    assert CertificateBatchRequeue.objects.filter(batch=batch).count() == 1
    client.force_login(cast.office)
    page = client.get(reverse("designations:certificate_batch", args=[batch.pk])).content.decode()
    assert batch.failure_reason in page
    assert 'hx-trigger="every' not in page  # no more polling
    # A late delivery of its task changes nothing.
    certificate_batch_begin(batch_id=batch.pk)
    batch.refresh_from_db()
    assert (batch.state, batch.attempts) == (B.FAILED, 2)


@override_settings(CERTIFICATE_BATCH_STALL_SECONDS=STALL)
def test_finished_batches_are_left_alone(cast, cycle, django_capture_on_commit_callbacks):
    designated(cycle, cast.office)
    with django_capture_on_commit_callbacks(execute=True):
        done = certificate_batch_start(cycle=cycle, by=cast.office)
    done.refresh_from_db()
    assert done.state == B.DONE
    assert certificate_batches_sweep(now=_later(10 * STALL)) == {}
    assert not CertificateBatchRequeue.objects.exists()


@override_settings(CERTIFICATE_BATCH_STALL_SECONDS=STALL)
def test_run_due_jobs_sweeps_the_batches(cast, cycle, django_capture_on_commit_callbacks):
    batch = _waiting(cycle, cast.office, django_capture_on_commit_callbacks)
    out = io.StringIO()
    with (
        time_machine.travel(_later(), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        call_command("run_due_jobs", stdout=out)
    assert json.loads(out.getvalue())["certificate_batches"] == {"requeued": 1}
    batch.refresh_from_db()
    assert (batch.state, batch.total) == (B.DONE, 0)
