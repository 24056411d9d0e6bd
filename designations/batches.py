"""Certificate batches: a cycle's certificates rendered in the background, one page row per
designation, resumed where they stopped, joined in order; the one place a batch's state
changes (``CertificateBatch.State``)."""

import secrets
from collections.abc import Iterable
from contextlib import ExitStack

from celery import shared_task
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.models import Cycle
from audit.enums import AuditAction
from audit.services import audit_record
from core.storage import private_delete, private_delete_all, private_open, private_save
from core.tasks import queue_after_commit
from organizations.models import User

from .documents import certificate_page_pdf, certificates_join
from .enums import (
    HOLDING_STATES,
)
from .models import (
    CertificateBatch,
    CertificateBatchRequeue,
    CertificatePage,
    Designation,
)
from .permissions import can_manage_designations

B = CertificateBatch.State
BATCH_OPEN_STATES = (B.PENDING, B.RUNNING)


@transaction.atomic
def certificate_batch_start(*, cycle: Cycle, by: User, ip: str | None = None) -> CertificateBatch:
    """Ask for all certificates of ``cycle`` as one PDF: a pending batch, recorded in the
    audit trail, rendered by the ``render_certificate_batch`` task queued after commit. If the
    broker cannot be reached the batch waits, and the sweep (``certificate_batch_requeue``)
    queues it later."""
    if not can_manage_designations(by):
        raise PermissionDenied(_("Only the campaign office renders certificates."))
    batch = CertificateBatch.objects.create(cycle=cycle, requested_by=by, state=B.PENDING)
    audit_record(
        action=AuditAction.CERTIFICATE_BATCH_START,
        actor=by,
        obj=batch,
        ip=ip,
        details={"cycle": cycle.year},
    )
    queue_after_commit(render_certificate_batch, batch.pk)
    return batch


def _batch_update(batch: CertificateBatch, states: Iterable[str], **fields) -> bool:
    """Write ``fields`` if the batch's row is still in one of ``states`` (and mirror them on
    ``batch``); a batch another worker or the sweep moved meanwhile is left alone."""
    changed = CertificateBatch.objects.filter(pk=batch.pk, state__in=list(states)).update(**fields)
    if changed:
        for name, value in fields.items():
            setattr(batch, name, value)
    return bool(changed)


@transaction.atomic
def certificate_batch_begin(*, batch_id: int) -> CertificateBatch | None:
    """Pending (or running, after a lost worker) → running: one more attempt.

    The first attempt fixes what the batch covers: a ``CertificatePage`` for every holding
    designation of the cycle, in the order of the bureaus' codes. Later attempts keep them, so
    a designation that changes state meanwhile neither joins nor leaves the file, and ``done``
    counts the pages already rendered. A batch that already began
    ``CERTIFICATE_BATCH_MAX_ATTEMPTS`` times without finishing is marked failed instead.
    Returns None when the batch is no longer open (a late or repeated delivery).
    """
    locked = (
        CertificateBatch.objects.select_for_update()
        .filter(pk=batch_id, state__in=BATCH_OPEN_STATES)
        .first()
    )
    if locked is None:
        return None
    if locked.attempts >= settings.CERTIFICATE_BATCH_MAX_ATTEMPTS:
        certificate_batch_fail(batch=locked, reason=_batch_stalled_reason(locked))
        return None
    if not locked.pages.exists():
        designations = Designation.objects.filter(
            cycle_id=locked.cycle_id, state__in=HOLDING_STATES
        ).order_by("bureau__code", "pk")
        CertificatePage.objects.bulk_create(
            CertificatePage(batch=locked, designation=designation, position=position)
            for position, designation in enumerate(designations, start=1)
        )
    total = locked.pages.count()
    done = locked.pages.exclude(stored_name="").count()
    _batch_update(
        locked,
        BATCH_OPEN_STATES,
        state=B.RUNNING,
        total=total,
        done=done,
        attempts=locked.attempts + 1,
        progressed_at=timezone.now(),
    )
    return locked


def certificate_batch_page_store(
    *, batch: CertificateBatch, page: CertificatePage, content: bytes
) -> bool:
    """Store one rendered certificate and move the batch's progress (``done``, and
    ``progressed_at``, the sweep's clock). Idempotent per designation: a page that another
    attempt stored first keeps its file and this one is removed. Returns whether the batch is
    still running (the sweep may have failed it, or a second worker finished it)."""
    name = secrets.token_hex(20)
    private_save(name, content)
    now = timezone.now()
    with transaction.atomic():
        stored = CertificatePage.objects.filter(pk=page.pk, stored_name="").update(
            stored_name=name, rendered_at=now
        )
        done = CertificatePage.objects.filter(batch_id=batch.pk).exclude(stored_name="").count()
        running = _batch_update(batch, (B.RUNNING,), done=done, progressed_at=now)
    if not stored:
        private_delete(name)
    return running


def certificate_batch_finish(*, batch: CertificateBatch) -> CertificateBatch | None:
    """Running → done: the stored pages joined, in order, into one file; each designation's
    certificate is in it once (one page per ``CertificatePage``). The page files are removed
    after commit. A batch no longer running keeps what it has and this file is removed
    (None)."""
    names = list(batch.pages.order_by("position").values_list("stored_name", flat=True))
    if "" in names:
        raise RuntimeError(f"certificate batch {batch.pk} has pages not rendered")
    stored_name = secrets.token_hex(20)
    with ExitStack() as stack:
        pages = [stack.enter_context(private_open(name)) for name in names]
        private_save(stored_name, certificates_join(pages))
    now = timezone.now()
    with transaction.atomic():
        finished = _batch_update(
            batch,
            (B.RUNNING,),
            state=B.DONE,
            stored_name=stored_name,
            done=len(names),
            progressed_at=now,
            finished_at=now,
        )
        if finished:
            transaction.on_commit(lambda: private_delete_all(names))
    if not finished:
        private_delete(stored_name)
        return None
    return batch


def certificate_batch_fail(*, batch: CertificateBatch, reason: str) -> CertificateBatch:
    """Pending or running → failed, for good, with the reason shown on the batch's page."""
    finished_at = timezone.now()
    _batch_update(
        batch, BATCH_OPEN_STATES, state=B.FAILED, failure_reason=reason, finished_at=finished_at
    )
    return batch


def certificate_batch_attempt_fail(
    *, batch: CertificateBatch, error: BaseException
) -> CertificateBatch:
    """An attempt that raised ``error``: back to pending with the reason, for the sweep to
    queue again once ``CERTIFICATE_BATCH_STALL_SECONDS`` have passed (the pages rendered so far
    are kept); the last allowed attempt marks the batch failed."""
    error_text = f"{type(error).__name__}: {error}"[:500]
    if batch.attempts >= settings.CERTIFICATE_BATCH_MAX_ATTEMPTS:
        return certificate_batch_fail(
            batch=batch,
            reason=_("The rendering failed %(attempts)d times; the last error: %(error)s")
            % {"attempts": batch.attempts, "error": error_text},
        )
    _batch_update(
        batch,
        BATCH_OPEN_STATES,
        state=B.PENDING,
        failure_reason=_("Attempt %(attempt)d failed: %(error)s")
        % {"attempt": batch.attempts, "error": error_text},
        progressed_at=timezone.now(),
    )
    return batch


def _batch_stalled_reason(batch: CertificateBatch) -> str:
    return _(
        "The rendering began %(attempts)d times and never finished (the worker was lost or ran "
        "out of time); it stopped at %(done)d of %(total)d."
    ) % {"attempts": batch.attempts, "done": batch.done, "total": batch.total}


@transaction.atomic
def certificate_batch_requeue(*, batch_id: int, stalled_before) -> CertificateBatch | None:
    """Queue a batch again whose progress has not moved since ``stalled_before``: one still
    pending (the broker was down when it was asked for, or an attempt failed) or running on a
    worker that was lost. Records a ``CertificateBatchRequeue`` and restarts the batch's clock,
    so the next sweep waits a whole stall period again; the task is queued after commit. A
    running batch that already began ``CERTIFICATE_BATCH_MAX_ATTEMPTS`` times is marked failed
    instead. Returns None when the batch moved meanwhile, or a worker holds its row."""
    batch = (
        CertificateBatch.objects.select_for_update(skip_locked=True)
        .filter(pk=batch_id, state__in=BATCH_OPEN_STATES, progressed_at__lt=stalled_before)
        .first()
    )
    if batch is None:
        return None
    if batch.attempts >= settings.CERTIFICATE_BATCH_MAX_ATTEMPTS:
        return certificate_batch_fail(batch=batch, reason=_batch_stalled_reason(batch))
    CertificateBatchRequeue.objects.create(
        batch=batch, state=batch.state, done=batch.done, stalled_since=batch.progressed_at
    )
    _batch_update(batch, BATCH_OPEN_STATES, progressed_at=timezone.now())
    queue_after_commit(render_certificate_batch, batch.pk)
    return batch


def certificate_batch_render(*, batch_id: int) -> CertificateBatch | None:
    """Render the certificates of a batch not yet rendered, one designation at a time, each
    stored as it is done, then join them into one PDF in private storage.

    Idempotent: a batch already done or failed is left alone (None), and a resumed batch (a
    lost worker, a re-delivered task, a re-queue by the sweep) renders only the designations
    whose page is missing. Not atomic on purpose: each page commits, so the page polling the
    batch sees the progress and a lost worker loses at most the page it was on. An error is
    recorded on the batch (``certificate_batch_attempt_fail``) and raised again.
    """
    batch = certificate_batch_begin(batch_id=batch_id)
    if batch is None:
        return None
    try:
        pages = batch.pages.filter(stored_name="").select_related("designation__bureau")
        for page in pages.order_by("position"):
            content = certificate_page_pdf(page.designation)
            if not certificate_batch_page_store(batch=batch, page=page, content=content):
                return None
        return certificate_batch_finish(batch=batch)
    except Exception as error:
        certificate_batch_attempt_fail(batch=batch, error=error)
        raise


# The batch's task, beside the batch it renders, so that queueing it needs no import of
# designations.tasks (which the worker's autodiscovery reads, and which lists it). The longest
# task: its limit bounds the broker's visibility timeout (portal/settings.py). A batch cut off
# by it is resumed by the sweep from the pages already stored.
@shared_task(
    name="designations.tasks.render_certificate_batch",
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=settings.CERTIFICATE_BATCH_TIME_LIMIT,
)
def render_certificate_batch(batch_id: int) -> int:
    """Render a cycle's certificates into one PDF; each page is stored as it is done, so a
    re-delivery renders only what is missing, and one for a finished batch does nothing."""
    batch = certificate_batch_render(batch_id=batch_id)
    return batch.done if batch is not None else 0
