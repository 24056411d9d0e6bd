"""Designation jobs: daily, re-inspections falling due and reminders before them (idempotent:
each reminder is a unique ``Reminder`` row; the rectification deadlines' reminders are
``reinspections.jobs``); every minute, the sweep of certificate batches that stood still."""

from collections import Counter
from datetime import date, datetime, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.actors import SystemActor
from organizations.notifications import remind_once
from organizations.selectors import campaign_office_users

from .batches import certificate_batch_requeue
from .enums import DesignationAction, DesignationState
from .models import CertificateBatch, Designation
from .workflow import designation_transition

B = CertificateBatch.State

REINSPECTION_REMINDER_DAYS = (90, 30)


def _remind(kind: str, designation: Designation, today: date, subject: str, body: str) -> int:
    return remind_once(
        kind=kind,
        users=campaign_office_users(),
        object_key=f"designation:{designation.pk}",
        due=today,
        subject=subject,
        body=body,
        url=reverse("designations:detail", args=[designation.pk]),
    )


def reinspection_jobs(*, today: date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    done: Counter[str] = Counter()
    due = Designation.objects.filter(state=DesignationState.ACTIVE, reinspection_due__lte=today)
    for designation in due.select_related("bureau"):
        designation_transition(
            designation=designation,
            action=DesignationAction.REINSPECTION_DUE,
            by=SystemActor.JOB,
            today=today,
        )
        done["due"] += 1
    for days in REINSPECTION_REMINDER_DAYS:
        for designation in Designation.objects.filter(
            state=DesignationState.ACTIVE, reinspection_due=today + timedelta(days=days)
        ).select_related("bureau"):
            done["reinspection_reminders"] += _remind(
                "reinspection",
                designation,
                today,
                _("Re-inspection of %(bureau)s due in %(days)d days")
                % {"bureau": designation.bureau.name, "days": days},
                _(
                    "%(bureau)s (%(number)s) was designated on %(date)s; "
                    "its re-inspection is due on %(due)s."
                )
                % {
                    "bureau": designation.bureau.name,
                    "number": designation.number,
                    "date": designation.designated_on,
                    "due": designation.reinspection_due,
                },
            )
    return {kind: count for kind, count in done.items() if count}


def certificate_batches_sweep(*, now: datetime | None = None) -> dict[str, int]:
    """Queue again every certificate batch, pending or running, whose progress has not moved
    for ``CERTIFICATE_BATCH_STALL_SECONDS``: the broker was down when it was asked for, lost
    the task, or the worker rendering it was lost. One that began too often is marked failed
    (``certificate_batch_requeue``). Safe to run as often as you like: a batch is queued again
    at most once per stall period, and rendering it twice renders nothing twice."""
    stalled_before = (now or timezone.now()) - timedelta(
        seconds=settings.CERTIFICATE_BATCH_STALL_SECONDS
    )
    done: Counter[str] = Counter()
    stalled = CertificateBatch.objects.filter(
        state__in=(B.PENDING, B.RUNNING), progressed_at__lt=stalled_before
    )
    for batch_id in stalled.order_by("pk").values_list("pk", flat=True):
        batch = certificate_batch_requeue(batch_id=batch_id, stalled_before=stalled_before)
        if batch is not None:
            done["failed" if batch.state == B.FAILED else "requeued"] += 1
    return {kind: count for kind, count in done.items() if count}
