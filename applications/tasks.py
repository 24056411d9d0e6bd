"""Background work of applications: notifications of transitions."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from organizations.enums import Role
from organizations.models import User

from .enums import Action
from .models import ApplicationEvent

# Who hears of each action: roles of the county's bureau or of its city.
RECIPIENTS = {
    Action.SUBMIT: ("city", (Role.CITY_REVIEWER,)),
    Action.RESUBMIT: ("city", (Role.CITY_REVIEWER,)),
    Action.WITHDRAW: ("city", (Role.CITY_REVIEWER,)),
    Action.RETURN: ("county", (Role.COUNTY_APPLICANT, Role.COUNTY_HEAD)),
}


@shared_task(acks_late=True, time_limit=120)
def notify_event(event_id: int) -> int:
    """Mail the users an event concerns. Returns the number of mails sent."""
    event = ApplicationEvent.objects.select_related("application__county__parent", "actor").get(
        pk=event_id
    )
    rule = RECIPIENTS.get(event.action)
    if rule is None:
        return 0
    where, roles = rule
    bureau = event.application.county if where == "county" else event.application.county.parent
    recipients = list(
        User.objects.filter(is_active=True, memberships__bureau=bureau, memberships__role__in=roles)
        .exclude(email="")
        .distinct()
        .values_list("email", flat=True)
    )
    if not recipients:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        context = {"event": event, "application": event.application}
        subject = render_to_string("applications/email/event_subject.txt", context).strip()
        body = render_to_string("applications/email/event_body.txt", context)
        html = render_to_string("applications/email/event_body.html", context)
    send_mail(subject, body, None, recipients, html_message=html)
    return len(recipients)
