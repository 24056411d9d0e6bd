"""Deadline jobs: reminders to cities and counties, and the summary at the deadline.

Re-inspection rounds get the county's reminders before the deadline the office set for them,
whatever the cycle's state (``reinspection_reminders``).

Each reminder is a ``Reminder`` row unique on (kind, recipient, object, due date): running the
job twice, retrying it, or two beat processes send nothing twice.
"""

from collections import Counter
from datetime import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.deadlines import county_deadline
from applications.enums import ApplicationKind, ApplicationState, CycleState
from applications.models import Application, Cycle
from core.dates import days_left, is_on_time, is_past, local_day
from organizations.enums import Role
from organizations.notifications import remind_once
from organizations.selectors import campaign_office_users, users_with_role

REMINDER_DAYS = (14, 7, 3, 1)
# Applications a city still has to deal with before forwarding.
AT_THE_CITY = (
    ApplicationState.SUBMITTED,
    ApplicationState.RETURNED,
    ApplicationState.CITY_APPROVED,
    ApplicationState.SIGNED_OFF,
)
AT_THE_COUNTY = (ApplicationState.DRAFT, ApplicationState.RETURNED)


def deadline_jobs(*, now: datetime | None = None) -> dict[str, int]:
    """Send what is due today (Beijing time). Returns how many reminders of each kind went out."""
    now = now or timezone.now()
    today = local_day(now)
    sent: Counter[str] = Counter()
    for cycle in Cycle.objects.filter(state=CycleState.OPEN):
        deadline_day = cycle.city_deadline
        left_to_forward = days_left(deadline_day, today)
        applications = list(
            Application.objects.filter(
                cycle=cycle, kind=ApplicationKind.APPLICATION
            ).select_related("cycle", "county__parent")
        )
        if left_to_forward in REMINDER_DAYS:
            pending = Counter(a.county.parent for a in applications if a.state in AT_THE_CITY)
            for city, count in pending.items():
                sent["city"] += remind_once(
                    kind="city_forwarding",
                    users=users_with_role(bureau=city, roles=(Role.CITY_REVIEWER, Role.CITY_HEAD)),
                    object_key=f"cycle:{cycle.pk}:city:{city.code}",
                    due=today,
                    subject=_("%(days)d days left to forward to the province")
                    % {"days": left_to_forward},
                    body=_(
                        "%(count)d application(s) of your counties are not forwarded yet. The "
                        "deadline is %(deadline)s (Beijing time)."
                    )
                    % {"count": count, "deadline": cycle.city_deadline.isoformat()},
                    url=reverse("review:dashboard"),
                )
        for application in applications:
            if application.state not in AT_THE_COUNTY:
                continue
            deadline = county_deadline(application)
            left = days_left(deadline, today)
            if left in REMINDER_DAYS:
                sent["county"] += remind_once(
                    kind="county_submission",
                    users=users_with_role(
                        bureau=application.county, roles=(Role.COUNTY_APPLICANT, Role.COUNTY_HEAD)
                    ),
                    object_key=f"application:{application.pk}",
                    due=today,
                    subject=_("%(days)d days left to submit your application") % {"days": left},
                    body=_(
                        "Your application is not submitted yet. "
                        "The deadline is %(deadline)s (Beijing time)."
                    )
                    % {"deadline": deadline.isoformat()},
                    url=reverse("applications:detail", args=[application.pk]),
                )
        if is_past(cycle.city_deadline, now):
            forwarded = Counter(
                a.county.parent.name
                for a in applications
                if a.forwarded_at is not None and is_on_time(cycle.city_deadline, a.forwarded_at)
            )
            missing = Counter(a.county.parent.name for a in applications if a.state in AT_THE_CITY)
            lines = [
                _("%(city)s: %(forwarded)d forwarded, %(missing)d not forwarded")
                % {"city": city, "forwarded": forwarded[city], "missing": missing[city]}
                for city in sorted(set(forwarded) | set(missing))
            ] or [_("No application was forwarded.")]
            sent["summary"] += remind_once(
                kind="deadline_summary",
                users=campaign_office_users(),
                object_key=f"cycle:{cycle.pk}",
                due=deadline_day,
                subject=_("The %(year)s deadline has passed: what arrived") % {"year": cycle.year},
                body="\n".join(lines),
                url=reverse("review:dashboard"),
            )
    sent["reinspection"] += reinspection_reminders(today=today)
    return {kind: count for kind, count in sent.items() if count}


def reinspection_reminders(*, today) -> int:
    """Reminders to the county before its re-inspection report is due (``REMINDER_DAYS``),
    while the report is not submitted; unique per (kind, recipient, round, day)."""
    sent = 0
    rounds = Application.objects.filter(
        kind=ApplicationKind.REINSPECTION,
        state=ApplicationState.DRAFT,
        report_deadline__isnull=False,
    ).select_related("county")
    for application in rounds:
        left = days_left(application.report_deadline, today)
        if left not in REMINDER_DAYS:
            continue
        sent += remind_once(
            kind="reinspection_report",
            users=users_with_role(
                bureau=application.county, roles=(Role.COUNTY_APPLICANT, Role.COUNTY_HEAD)
            ),
            object_key=f"application:{application.pk}",
            due=today,
            subject=_("%(days)d days left to submit your re-inspection report") % {"days": left},
            body=_(
                "Your re-inspection report is not submitted yet. "
                "The deadline is %(deadline)s (Beijing time)."
            )
            % {"deadline": application.report_deadline.isoformat()},
            url=reverse("applications:detail", args=[application.pk]),
        )
    return sent
