from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    name = "review"
    verbose_name = _("City review")

    def ready(self) -> None:
        from applications import hooks as points  # noqa: PLC0415 ready
        from core.hooks import hooks  # noqa: PLC0415 ready

        from . import documents, guards  # noqa: PLC0415 ready

        hooks.register(points.PARTY_MEETING_APPROVED, guards.party_meeting_approved)
        hooks.register(points.PARTY_MEETING_DECLINED, guards.party_meeting_declined)
        hooks.register(points.PARTY_MEETING_NOT_RECORDED, guards.party_meeting_not_recorded)
        hooks.register(points.FORWARDING_OPEN, guards.forwarding_open)
        hooks.register(points.FORM_OPINIONS, documents.form_city_opinion)
