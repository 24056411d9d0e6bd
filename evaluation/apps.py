from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "evaluation"
    verbose_name = _("Provincial evaluation")

    def ready(self) -> None:
        from applications import hooks as points  # noqa: PLC0415 ready
        from core.hooks import hooks  # noqa: PLC0415 ready

        from . import documents, guards  # noqa: PLC0415 ready

        hooks.register(points.WRITTEN_REVIEW_COMPLETE, guards.written_review_complete)
        hooks.register(points.WRITTEN_REVIEW_PASSED, guards.written_review_passed)
        hooks.register(points.INSPECTION_NOT_SCHEDULED, guards.inspection_not_scheduled)
        hooks.register(points.INSPECTION_PASSED, guards.inspection_passed)
        hooks.register(points.INSPECTION_FAILED, guards.inspection_failed)
        hooks.register(points.DECISION_APPROVED, guards.decision_approved)
        hooks.register(points.DECISION_REJECTED, guards.decision_rejected)
        hooks.register(points.EVALUATOR_SCOPE, guards.evaluator_on_inspection_team)
        hooks.register(points.EVALUATOR_VISIBILITY, guards.evaluator_visibility)
        hooks.register(points.FORM_OPINIONS, documents.form_department_opinion)
