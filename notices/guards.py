"""The public notice's guards: the naming guard (``naming_blocked``, read by designations'
``designate`` row and ``designation_grant``) and the guard of the objection's moves of the
application workflow (``objection_upheld``, registered on the ``OBJECTION_UPHELD`` hook)."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from applications.enums import Action
from applications.models import Application, ApplicationEvent

from .models import UPHELD_OUTCOMES, Objection
from .selectors import NAMING_FACTS, NamingStage, naming_stage, with_naming_facts


def _approved_at(application: Application) -> datetime.datetime | None:
    """When the Party committee's latest approval of ``application`` was recorded."""
    return (
        ApplicationEvent.objects.filter(application=application, action=Action.DECIDE_APPROVE)
        .order_by("-created_at", "-id")
        .values_list("created_at", flat=True)
        .first()
    )


def naming_blocked(application: Application, now: datetime.datetime | None = None) -> str | None:
    """Why ``application`` may not be named yet (``naming_stage``): it has not been on public
    notice since the Party committee's latest approval (a bureau sent back by an upheld
    objection and approved again goes on notice again), its window has not closed, or an
    objection about it is still waiting. None when it may. One query."""
    facts = (
        with_naming_facts(Application.objects.filter(pk=application.pk))
        .values_list(*NAMING_FACTS)
        .get()
    )
    stage = naming_stage(*facts, now or timezone.now())
    bureau = application.county.name
    if stage == NamingStage.TO_NOTICE:
        return _(
            "%(bureau)s has not been on public notice since the Party committee approved it; "
            "it is named after a window has closed."
        ) % {"bureau": bureau}
    if stage == NamingStage.ON_NOTICE:
        return _(
            "%(bureau)s is on public notice until the end of %(end)s; it is named after the "
            "window has closed."
        ) % {"bureau": bureau, "end": facts[2].isoformat()}
    if stage == NamingStage.OBJECTION:
        return _("An objection about %(bureau)s is still waiting to be handled.") % {
            "bureau": bureau
        }
    return None


def objection_upheld(application: Application, ctx) -> str | None:
    """The guard of the objection's moves: an objection about the application was upheld
    since its latest approval."""
    approved = _approved_at(application)
    upheld = Objection.objects.filter(application=application, outcome__in=UPHELD_OUTCOMES)
    if approved is not None:
        upheld = upheld.filter(handled_at__gte=approved)
    if not upheld.exists():
        return _("Only an objection verified and upheld sends an approved bureau back.")
    return None
