"""Rectification jobs, daily: reminders to the county head and the office before a running
rectification's deadline, and to the office the day after it (to conclude). Idempotent: each
reminder is a unique ``Reminder`` row."""

from collections import Counter
from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from organizations.enums import Role
from organizations.notifications import remind_once
from organizations.selectors import campaign_office_users, users_with_role

from .enums import RectificationState
from .models import Rectification

RECTIFICATION_REMINDER_DAYS = (30, 7)


def _remind_rectification(rectification: Rectification, today: date, days: int) -> int:
    """The county head(s) of the bureau and the office, once each per deadline and day."""
    designation = rectification.designation
    users = [
        *users_with_role(bureau=designation.bureau, roles=[Role.COUNTY_HEAD]),
        *campaign_office_users(),
    ]
    return remind_once(
        kind="rectification",
        users=users,
        object_key=f"rectification:{rectification.pk}",
        due=today,
        subject=_("Rectification of %(bureau)s ends in %(days)d days")
        % {"bureau": designation.bureau.name, "days": days},
        body=_(
            "The rectification deadline of %(bureau)s is %(deadline)s (the end of that day, "
            "Beijing time): the county submits its report and evidence for every requirement, "
            "the office judges them."
        )
        % {"bureau": designation.bureau.name, "deadline": rectification.deadline.isoformat()},
        url=reverse("reinspections:rectification", args=[rectification.pk]),
    )


def rectification_jobs(*, today: date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    done: Counter[str] = Counter()
    for days in RECTIFICATION_REMINDER_DAYS:
        running = Rectification.objects.filter(
            state__in=(RectificationState.OPEN, RectificationState.SUBMITTED),
            deadline=today + timedelta(days=days),
        ).select_related("designation__bureau")
        for rectification in running:
            done["rectification_reminders"] += _remind_rectification(rectification, today, days)
    # The deadline day ended yesterday: the office concludes (kept, or revoked on a decision).
    overdue = Rectification.objects.filter(
        state__in=(RectificationState.OPEN, RectificationState.SUBMITTED),
        deadline=today - timedelta(days=1),
    ).select_related("designation__bureau")
    for rectification in overdue:
        done["rectification_overdue"] += remind_once(
            kind="rectification_overdue",
            users=campaign_office_users(),
            object_key=f"rectification:{rectification.pk}",
            due=today,
            subject=_("The rectification deadline of %(bureau)s has passed")
            % {"bureau": rectification.designation.bureau.name},
            body=_(
                "The deadline was %(deadline)s: judge the report and conclude the "
                "rectification (the title kept, or revoked on the decision)."
            )
            % {"deadline": rectification.deadline.isoformat()},
            url=reverse("reinspections:rectification", args=[rectification.pk]),
        )
    return {kind: count for kind, count in done.items() if count}
