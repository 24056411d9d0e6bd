from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    name = "review"
    verbose_name = _("Review")

    def ready(self) -> None:
        from applications.selectors import VISIBILITY_HOOKS
        from applications.workflow import GUARD_HOOKS, SCOPE_HOOKS

        from . import guards

        GUARD_HOOKS.update(
            {
                "party_meeting_approved": guards.party_meeting_approved,
                "party_meeting_declined": guards.party_meeting_declined,
                "forwarding_open": guards.forwarding_open,
                "written_review_complete": guards.written_review_complete,
                "written_review_passed": guards.written_review_passed,
                "inspection_passed": guards.inspection_passed,
                "inspection_failed": guards.inspection_failed,
                "decision_approved": guards.decision_approved,
                "decision_rejected": guards.decision_rejected,
            }
        )
        SCOPE_HOOKS["evaluator"] = guards.evaluator_on_inspection_team
        if guards.evaluator_visibility not in VISIBILITY_HOOKS:
            VISIBILITY_HOOKS.append(guards.evaluator_visibility)
