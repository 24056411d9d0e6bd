"""Daily designation jobs: re-inspections falling due, reminders before them and before
rectification deadlines. Idempotent: each reminder is a unique ``Reminder`` row."""

from collections import Counter
from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from organizations.notifications import remind_once
from organizations.selectors import campaign_office_users

from .enums import DesignationAction, DesignationState
from .models import Designation
from .workflow import designation_transition

REINSPECTION_REMINDER_DAYS = (90, 30)
RECTIFICATION_REMINDER_DAYS = (30, 7)


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
            designation=designation, action=DesignationAction.REINSPECTION_DUE, by=None, today=today
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
    for days in RECTIFICATION_REMINDER_DAYS:
        for designation in Designation.objects.filter(
            state=DesignationState.RECTIFYING, rectification_deadline=today + timedelta(days=days)
        ).select_related("bureau"):
            done["rectification_reminders"] += _remind(
                "rectification",
                designation,
                today,
                _("Rectification of %(bureau)s ends in %(days)d days")
                % {"bureau": designation.bureau.name, "days": days},
                _(
                    "The rectification deadline of %(bureau)s is %(deadline)s: "
                    "record the follow-up result."
                )
                % {
                    "bureau": designation.bureau.name,
                    "deadline": designation.rectification_deadline,
                },
            )
    return {kind: count for kind, count in done.items() if count}
