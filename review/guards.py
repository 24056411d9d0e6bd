"""Workflow guards whose rules belong to the city's review (registered in ReviewConfig.ready)."""

from django.utils.translation import gettext as _

from applications.models import Application
from applications.workflow import Context
from core.dates import is_on_time

from .enums import SignOffOutcome
from .models import SignOff
from .selectors import forwarding_deadline_for


def _outcome(application: Application) -> str | None:
    return SignOff.objects.filter(application=application).values_list("outcome", flat=True).first()


def party_meeting_approved(application: Application, ctx: Context) -> str | None:
    if _outcome(application) != SignOffOutcome.APPROVED:
        return _("No Party meeting has approved this application: record the sign-off first.")
    return None


def party_meeting_declined(application: Application, ctx: Context) -> str | None:
    if _outcome(application) != SignOffOutcome.DECLINED:
        return _("No Party meeting has declined this application.")
    return None


def party_meeting_not_recorded(application: Application, ctx: Context) -> str | None:
    if SignOff.objects.filter(application=application).exists():
        return _(
            "A Party meeting has recorded its outcome: the approval can no longer be withdrawn."
        )
    return None


def forwarding_open(application: Application, ctx: Context) -> str | None:
    """Before the cycle's deadline (Asia/Shanghai), or within an extension for the city."""
    deadline, _exception = forwarding_deadline_for(
        cycle=application.cycle, city=application.county.parent, now=ctx.now
    )
    if is_on_time(deadline, ctx.now):
        return None
    return _(
        "The deadline for forwarding, %(deadline)s (Beijing time), has passed. Only the campaign "
        "office can grant an extension."
    ) % {"deadline": application.cycle.city_deadline.isoformat()}
