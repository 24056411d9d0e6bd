"""The hook points of the designations app: where its rules and pages need an app above it.

Each point is declared here and implemented by the app that owns the rule, registered in its
``AppConfig.ready`` (``core.hooks``); both take one implementation, so a point left without it
fails ``manage.py check`` (``core.E001``).
"""

from collections.abc import Callable

from django.http import HttpRequest

from core.hooks import HookKind, HookPoint, hooks
from organizations.models import User

# What the designation's page shows of the re-inspection rounds and the rectifications
# (reinspections: the rounds' link, the open round, the rectifications with their states).
DESIGNATION_PANEL: HookPoint[Callable[[HttpRequest, object], str]] = hooks.declare(
    HookKind.PANEL, "designation_detail"
)
# A designation revoked at once, in the revocation's transaction (reinspections: a
# rectification under way ends through its own transition, with its history row).
DESIGNATION_REVOKED: HookPoint[Callable[..., None]] = hooks.declare(
    HookKind.EFFECT, "designation_revoked"
)


def designation_revoked(*, designation, by: User, ip: str | None = None) -> None:
    hooks.one(DESIGNATION_REVOKED)(designation=designation, by=by, ip=ip)


def designation_panel(request: HttpRequest, designation) -> str:
    return hooks.one(DESIGNATION_PANEL)(request, designation)
