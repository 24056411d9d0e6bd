"""Background work of applications: notifying the users a transition concerns."""

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from organizations.enums import Role
from organizations.notifications import notifications_mail_pending, notify
from organizations.selectors import users_with_role

from .enums import Action
from .models import ApplicationEvent

# Who hears of each action: roles in the county's own bureau or in its city's.
RECIPIENTS: dict[str, tuple[str, tuple[str, ...]]] = {
    Action.SUBMIT: ("city", (Role.CITY_REVIEWER,)),
    Action.RESUBMIT: ("city", (Role.CITY_REVIEWER,)),
    Action.WITHDRAW: ("city", (Role.CITY_REVIEWER,)),
    Action.RETURN: ("county", (Role.COUNTY_APPLICANT, Role.COUNTY_HEAD)),
    Action.APPROVE: ("county", (Role.COUNTY_APPLICANT, Role.COUNTY_HEAD)),
    Action.DECLINE: ("county", (Role.COUNTY_APPLICANT, Role.COUNTY_HEAD)),
    Action.SIGN_OFF: ("county", (Role.COUNTY_HEAD,)),
    Action.SIGN_OFF_DECLINE: ("county", (Role.COUNTY_APPLICANT, Role.COUNTY_HEAD)),
    Action.FORWARD: ("county", (Role.COUNTY_APPLICANT, Role.COUNTY_HEAD)),
    Action.REPORT: ("county", (Role.COUNTY_APPLICANT,)),
    # The province's outcomes: the county hears each of them.
    Action.WRITTEN_PASS: ("county", (Role.COUNTY_APPLICANT, Role.COUNTY_HEAD)),
    Action.WRITTEN_FAIL: ("county", (Role.COUNTY_APPLICANT, Role.COUNTY_HEAD)),
    Action.INSPECTION_PASS: ("county", (Role.COUNTY_APPLICANT, Role.COUNTY_HEAD)),
    Action.INSPECTION_FAIL: ("county", (Role.COUNTY_APPLICANT, Role.COUNTY_HEAD)),
    Action.DECIDE_APPROVE: ("county", (Role.COUNTY_APPLICANT, Role.COUNTY_HEAD)),
    Action.DECIDE_REJECT: ("county", (Role.COUNTY_APPLICANT, Role.COUNTY_HEAD)),
    Action.DESIGNATE: ("county", (Role.COUNTY_APPLICANT, Role.COUNTY_HEAD)),
    # An undone step: the county hears why.
    Action.WITHDRAW_APPROVAL: ("county", (Role.COUNTY_APPLICANT, Role.COUNTY_HEAD)),
    Action.REOPEN_WRITTEN: ("county", (Role.COUNTY_APPLICANT, Role.COUNTY_HEAD)),
}


def event_notify(event: ApplicationEvent) -> int:
    """Inbox messages (and mails) for an event; marks it notified. Idempotent."""
    with transaction.atomic():
        event = (
            ApplicationEvent.objects.select_for_update(of=("self",))
            .select_related("application__county__parent", "application__cycle", "actor")
            .get(pk=event.pk)
        )
        if event.notified_at is not None:
            return 0
        created = []
        rule = RECIPIENTS.get(event.action)
        if rule is not None:
            where, roles = rule
            application = event.application
            bureau = application.county if where == "county" else application.county.parent
            users = users_with_role(bureau=bureau, roles=roles)
            with translation.override(settings.LANGUAGE_CODE):
                context = {"event": event, "application": application}
                subject = render_to_string("applications/email/event_subject.txt", context).strip()
                body = render_to_string("applications/email/event_body.txt", context).strip()
            created = notify(
                users=users,
                key=f"event:{event.pk}",
                subject=subject,
                body=body,
                url=reverse("applications:detail", args=[application.pk]),
            )
        event.notified_at = timezone.now()
        event.save(update_fields=["notified_at"])
    return len(created)


@shared_task(acks_late=True, reject_on_worker_lost=True, time_limit=120)
def notify_event(event_id: int) -> int:
    """Notify the users an application event concerns. Returns the messages created."""
    event = ApplicationEvent.objects.filter(pk=event_id).first()
    return event_notify(event) if event else 0


def events_notify_pending(*, older_than_seconds: int = 60) -> int:
    """Notify events whose task never ran (broker down when they happened)."""
    cutoff = timezone.now() - timezone.timedelta(seconds=older_than_seconds)
    return sum(
        event_notify(event)
        for event in ApplicationEvent.objects.filter(
            notified_at__isnull=True, created_at__lte=cutoff
        )
    )


@shared_task(acks_late=True, reject_on_worker_lost=True, time_limit=600)
def notification_sweep() -> dict[str, int]:
    return {
        "events": events_notify_pending(),
        "mails": notifications_mail_pending(),
    }
