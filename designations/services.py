"""Designations: naming, publication, re-inspection, rectification, revocation, certificates.

Every change of a designation's state goes through ``workflow.designation_transition`` (its
own table, like the application workflow) and leaves a ``DesignationEvent``. A certificate
batch's lifecycle (pending → running → done or failed) is kept here, in one place.
"""

import secrets
from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.enums import Action, ApplicationState
from applications.models import Application, Cycle
from applications.workflow import application_transition
from audit.services import audit_record
from organizations.models import Bureau, User

from .caching import public_cache_bump, public_cache_version
from .enums import (
    HOLDING_STATES,
    DesignationAction,
    DesignationState,
    PublicationKind,
    RevocationGround,
    Reward,
)
from .models import (
    CertificateBatch,
    CertificateBatchRequeue,
    CertificatePage,
    Designation,
    Publication,
)
from .permissions import can_manage_designations
from .workflow import (
    REINSPECTION_YEARS,
    add_years,
    designation_event_record,
    designation_transition,
)

__all__ = [
    "REINSPECTION_YEARS",
    "add_years",
    "certificate_batch_attempt_fail",
    "certificate_batch_begin",
    "certificate_batch_fail",
    "certificate_batch_finish",
    "certificate_batch_page_store",
    "certificate_batch_render",
    "certificate_batch_requeue",
    "certificate_batch_start",
    "designation_grant",
    "designation_number_next",
    "designation_record_historical",
    "designation_revoke",
    "designation_transition",
    "public_cache_bump",
    "public_cache_version",
    "publication_publish",
    "rectification_record",
    "reinspection_record",
]

D = DesignationState
A = DesignationAction
B = CertificateBatch.State
# How many numbers are looked at per query, and how many such windows before giving up.
NUMBER_WINDOW = 20
NUMBER_WINDOWS = 10
# Retries of an insert whose number another grant took in the meantime.
NUMBER_ATTEMPTS = 5
BATCH_OPEN_STATES = (B.PENDING, B.RUNNING)


def designation_number_next(*, year: int, skip: Iterable[str] = ()) -> str:
    """The next free number of ``year`` by ``DESIGNATION_NUMBER_PATTERN`` ({year}, {seq}).

    Starts at the year's count of designations plus one and skips every number already taken
    (titles entered from the paper register keep their own numbers) and those in ``skip``.
    """
    pattern = settings.DESIGNATION_NUMBER_PATTERN
    skipped = set(skip)
    start = Designation.objects.filter(designated_on__year=year).count() + 1
    for window in range(NUMBER_WINDOWS):
        first = start + window * NUMBER_WINDOW
        candidates = [
            pattern.format(year=year, seq=seq) for seq in range(first, first + NUMBER_WINDOW)
        ]
        used = set(
            Designation.objects.filter(number__in=candidates).values_list("number", flat=True)
        )
        for number in candidates:
            if number not in used and number not in skipped:
                return number
    raise ValidationError(_("No free designation number; check DESIGNATION_NUMBER_PATTERN."))


def _already_designated(application: Application) -> ValidationError:
    return ValidationError(
        _("%(bureau)s is already designated for this application.")
        % {"bureau": application.county.name}
    )


@transaction.atomic
def designation_grant(
    *,
    application: Application,
    by: User,
    designated_on: date,
    reward: str,
    head_name: str = "",
    decision_reference: str = "",
    ip: str | None = None,
) -> Designation:
    """Name an approved application's bureau a provincial model bureau.

    Records the number (the next free one of the year by the configured pattern), the date,
    the decision it rests on and the reward recommendation (collective merit, or personal merit
    for the named head); the application becomes ``designated``; the first re-inspection falls
    3 years on. The application's row is locked first: a second grant of the same application
    waits for the first and is refused as already designated. A number taken by a concurrent
    grant of another application is retried with the next free one.
    """
    if not can_manage_designations(by):
        raise PermissionDenied(_("Only the campaign office designates."))
    locked = (
        Application.objects.select_for_update(of=("self",))
        .select_related("county", "cycle")
        .get(pk=application.pk)
    )
    if Designation.objects.filter(application=locked).exists():
        raise _already_designated(locked)
    if locked.state != ApplicationState.APPROVED:
        raise ValidationError(
            _("Only an application approved by the Party committee is designated.")
        )
    if reward not in Reward.values:
        raise ValidationError({"reward": _("Choose the reward recommendation.")})
    if reward == Reward.PERSONAL and not head_name.strip():
        raise ValidationError({"head_name": _("Name the head recommended for personal merit.")})
    taken: set[str] = set()
    for _attempt in range(NUMBER_ATTEMPTS):
        number = designation_number_next(year=designated_on.year, skip=taken)
        try:
            with transaction.atomic():
                designation = Designation.objects.create(
                    bureau=locked.county,
                    number=number,
                    designated_on=designated_on,
                    application=locked,
                    cycle=locked.cycle,
                    decision_reference=decision_reference,
                    reward=reward,
                    head_name=head_name.strip() if reward == Reward.PERSONAL else "",
                    reinspection_due=add_years(designated_on, REINSPECTION_YEARS),
                )
            break
        except IntegrityError:
            if Designation.objects.filter(application=locked).exists():
                raise _already_designated(locked) from None
            # Another grant took the number between the look-up and the insert.
            taken.add(number)
    else:
        raise ValidationError(_("No free designation number; check DESIGNATION_NUMBER_PATTERN."))
    designation_event_record(
        designation=designation, by=by, action=A.GRANT, to_state=D.ACTIVE, note=number, ip=ip
    )
    application_transition(
        application=locked, action=Action.DESIGNATE, by=by, note=designation.number, ip=ip
    )
    return designation


@transaction.atomic
def publication_publish(
    *,
    cycle: Cycle,
    by: User,
    document_number: str,
    published_on: date,
    designations: list[Designation],
    ip: str | None = None,
) -> Publication:
    """Publish designations as one act: the first publication of a cycle is its list, later
    ones are supplements. Only then do they appear on the public list (cache bumped after
    commit)."""
    if not can_manage_designations(by):
        raise PermissionDenied(_("Only the campaign office publishes."))
    if not designations:
        raise ValidationError({"designations": _("Choose the designations to publish.")})
    chosen = list(
        Designation.objects.select_for_update().filter(pk__in=[d.pk for d in designations])
    )
    if any(
        d.publication_id or d.cycle_id != cycle.pk or d.state not in HOLDING_STATES for d in chosen
    ):
        raise ValidationError(_("Only unpublished designations of this cycle can be published."))
    if Publication.objects.filter(document_number=document_number).exists():
        raise ValidationError({"document_number": _("This document number is used already.")})
    kind = PublicationKind.SUPPLEMENT if cycle.publications.exists() else PublicationKind.LIST
    publication = Publication.objects.create(
        cycle=cycle,
        kind=kind,
        document_number=document_number,
        published_on=published_on,
        published_by=by,
    )
    Designation.objects.filter(pk__in=[d.pk for d in chosen]).update(publication=publication)
    audit_record(
        action="designation.publish",
        actor=by,
        obj=publication,
        ip=ip,
        details={"kind": kind, "designations": [d.number for d in chosen]},
    )
    transaction.on_commit(public_cache_bump)
    return publication


def reinspection_record(
    *,
    designation: Designation,
    by: User,
    passed: bool,
    note: str = "",
    deadline: date | None = None,
    ip: str | None = None,
) -> Designation:
    """The re-inspection's result: passed (next one 3 years on) or rectification by a deadline
    in the future. Raises ``TransitionError`` when the move is not possible."""
    if passed:
        return designation_transition(
            designation=designation, action=A.REINSPECTION_PASS, by=by, note=note, ip=ip
        )
    return designation_transition(
        designation=designation, action=A.RECTIFY, by=by, note=note, deadline=deadline, ip=ip
    )


def rectification_record(
    *,
    designation: Designation,
    by: User,
    passed: bool,
    note: str = "",
    decision: str = "",
    ip: str | None = None,
) -> Designation:
    """After the rectification: the title is kept (next re-inspection 3 years after the one due)
    or, on the recorded ``decision``, revoked and the plaque removed today."""
    if passed:
        return designation_transition(
            designation=designation, action=A.RECTIFICATION_PASS, by=by, note=note, ip=ip
        )
    return designation_transition(
        designation=designation,
        action=A.RECTIFICATION_FAIL,
        by=by,
        note=note,
        decision=decision,
        ip=ip,
    )


def designation_revoke(
    *,
    designation: Designation,
    by: User,
    ground: str,
    decision: str,
    revoked_on: date | None,
    plaque_removed_on: date | None,
    note: str,
    ip: str | None = None,
) -> Designation:
    """Immediate revocation (plan §三(六)): the incident (``note``), the ground (a major error,
    or a violation of law or discipline, with bad social impact), the decision, the dates of
    the revocation and of the plaque's removal."""
    return designation_transition(
        designation=designation,
        action=A.REVOKE,
        by=by,
        note=note,
        ground=RevocationGround(ground) if ground in RevocationGround.values else None,
        decision=decision,
        revoked_on=revoked_on,
        plaque_removed_on=plaque_removed_on,
        ip=ip,
    )


@transaction.atomic
def designation_record_historical(
    *,
    bureau: Bureau,
    number: str,
    designated_on: date,
    document_number: str,
    published_on: date,
    by: User,
    ip: str | None = None,
) -> Designation:
    """Enter a title granted before the portal existed, from the paper register, with the
    notice that published it. Its re-inspection falls 3 years after the designation."""
    if not can_manage_designations(by):
        raise PermissionDenied(_("Only the campaign office keeps the register."))
    publication, _created = Publication.objects.get_or_create(
        document_number=document_number,
        defaults={"kind": PublicationKind.LIST, "published_on": published_on, "published_by": by},
    )
    designation = Designation.objects.create(
        bureau=bureau,
        number=number,
        designated_on=designated_on,
        reward=Reward.COLLECTIVE,
        reinspection_due=add_years(designated_on, REINSPECTION_YEARS),
        publication=publication,
        decision_reference=document_number,
    )
    designation_event_record(
        designation=designation,
        by=by,
        action=A.GRANT,
        to_state=D.ACTIVE,
        note=_("Entered from the paper register"),
        ip=ip,
    )
    transaction.on_commit(public_cache_bump)
    return designation


# Certificate batches ------------------------------------------------------------------


@transaction.atomic
def certificate_batch_start(*, cycle: Cycle, by: User) -> CertificateBatch:
    """Ask for all certificates of ``cycle`` as one PDF: a pending batch, rendered by the
    ``render_certificate_batch`` task queued after commit. If the broker cannot be reached
    the batch waits, and the sweep (``certificate_batch_requeue``) queues it later."""
    from core.tasks import queue_after_commit

    from .tasks import render_certificate_batch

    if not can_manage_designations(by):
        raise PermissionDenied(_("Only the campaign office renders certificates."))
    batch = CertificateBatch.objects.create(cycle=cycle, requested_by=by, state=B.PENDING)
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
    from applications.evidence import private_root

    name = secrets.token_hex(20)
    path = private_root() / name
    path.write_bytes(content)
    now = timezone.now()
    with transaction.atomic():
        stored = CertificatePage.objects.filter(pk=page.pk, stored_name="").update(
            stored_name=name, rendered_at=now
        )
        done = CertificatePage.objects.filter(batch_id=batch.pk).exclude(stored_name="").count()
        running = _batch_update(batch, (B.RUNNING,), done=done, progressed_at=now)
    if not stored:
        path.unlink(missing_ok=True)
    return running


def certificate_batch_finish(*, batch: CertificateBatch) -> CertificateBatch | None:
    """Running → done: the stored pages joined, in order, into one file; each designation's
    certificate is in it once (one page per ``CertificatePage``). The page files are removed
    after commit. A batch no longer running keeps what it has and this file is removed
    (None)."""
    from applications.evidence import private_root, stored_path

    from .documents import certificates_join

    names = list(batch.pages.order_by("position").values_list("stored_name", flat=True))
    if "" in names:
        raise RuntimeError(f"certificate batch {batch.pk} has pages not rendered")
    stored_name = secrets.token_hex(20)
    target = private_root() / stored_name
    certificates_join([stored_path(name) for name in names], target)
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
            transaction.on_commit(lambda: _remove_files(names))
    if not finished:
        target.unlink(missing_ok=True)
        return None
    return batch


def _remove_files(names: Iterable[str]) -> None:
    from applications.evidence import stored_path

    for name in names:
        stored_path(name).unlink(missing_ok=True)


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
    from core.tasks import queue_after_commit

    from .tasks import render_certificate_batch

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
    from .documents import certificate_page_pdf

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
