from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    name = "review"
    verbose_name = _("Review")

    def ready(self) -> None:
        from applications.workflow import GUARD_HOOKS

        from . import guards

        GUARD_HOOKS.update(
            {
                "party_meeting_approved": guards.party_meeting_approved,
                "party_meeting_declined": guards.party_meeting_declined,
                "forwarding_open": guards.forwarding_open,
            }
        )
