"""One registry for the hooks through which an app asks an app above it.

An app low in the stack cannot import the apps built on it, yet some of its rules need them:
the application workflow's guard "a Party meeting approved it" is the city review's rule, the
quota counts the titles the designations app holds. The low app declares a ``HookPoint`` (its
kind, its name, whether it takes one implementation or many); the app above registers the
implementation in its ``AppConfig.ready``. Calling a point that has no implementation raises
``ImproperlyConfigured`` (never a silent pass), and the system check ``core.E001`` fails
``manage.py check`` for every declared point left without one.
"""

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Generic, TypeVar

from django.core.exceptions import ImproperlyConfigured

F = TypeVar("F", bound=Callable[..., Any])


class HookKind(StrEnum):
    # (application, context) -> reason or None: a guard of a workflow table.
    GUARD = "guard"
    # (user, application) -> bool: whether a role's holder acts on this application.
    SCOPE = "scope"
    # (bureau) -> reason or None: may this bureau start an application (many).
    CREATE_GUARD = "create_guard"
    # (user) -> Q on Application: extra applications a role sees (many).
    VISIBILITY = "visibility"
    # () -> int: a count an app above owns (the titles held).
    COUNT = "count"
    # (request, action, details, failed) -> None: an act recorded in a trail an app above keeps.
    RECORD = "record"
    # (application) -> dict: what an app above adds to a printed document (many).
    DOCUMENT = "document"
    # () -> dict: the labels an app above gives to the codes a low app keeps (a role's code in
    # the audit trail).
    LABELS = "labels"
    # (request, obj) -> HTML: the part of a low app's page that an app above owns (the
    # designation's page shows the re-inspection rounds and rectifications).
    PANEL = "panel"
    # (obj, by, ip) -> None: what an app above does, in the same transaction, when a low app's
    # object moves (a revocation ends the rectification under way).
    EFFECT = "effect"


@dataclass(frozen=True)
class HookPoint(Generic[F]):
    kind: HookKind
    name: str
    many: bool = False

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.name}"


class HookRegistry:
    def __init__(self) -> None:
        self._points: dict[str, HookPoint] = {}
        self._impls: dict[str, list[Callable[..., Any]]] = {}

    def declare(self, kind: HookKind, name: str, *, many: bool = False) -> HookPoint:
        """Declare a point (idempotent: the same point twice is one point)."""
        point = HookPoint(kind, name, many)
        known = self._points.setdefault(point.key, point)
        if known != point:
            raise ImproperlyConfigured(f"hook {point.key} declared twice with different shapes")
        return known

    def register(self, point: HookPoint[F], implementation: F) -> F:
        """Register ``implementation`` for ``point``; registering it again changes nothing."""
        if point.key not in self._points:
            raise ImproperlyConfigured(f"hook {point.key} is not declared")
        implementations = self._impls.setdefault(point.key, [])
        if implementation in implementations:
            return implementation
        if implementations and not point.many:
            raise ImproperlyConfigured(f"hook {point.key} has an implementation already")
        implementations.append(implementation)
        return implementation

    def unregister(self, point: HookPoint, implementation: Callable[..., Any]) -> None:
        self._impls.get(point.key, []).remove(implementation)

    def one(self, point: HookPoint[F]) -> F:
        implementations = self._impls.get(point.key)
        if not implementations:
            raise ImproperlyConfigured(f"hook {point.key} is not registered")
        return implementations[0]

    def all(self, point: HookPoint[F]) -> list[F]:
        return list(self._impls.get(point.key, []))

    def missing(self) -> list[HookPoint]:
        """Points that take exactly one implementation and have none."""
        return [
            point
            for key, point in sorted(self._points.items())
            if not point.many and not self._impls.get(key)
        ]


hooks = HookRegistry()
