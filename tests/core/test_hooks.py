"""The one registry of cross-app hooks and its system check."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from applications import hooks as points
from applications.workflow import TRANSITIONS, HookGuard
from core.hooks import HookKind, HookRegistry, hooks
from evaluation.quota import TITLES_HELD


def test_every_hook_the_transition_table_names_is_registered():
    named = {
        guard.point
        for t in TRANSITIONS.values()
        for guard in t.guards
        if isinstance(guard, HookGuard)
    }
    assert {p.name for p in named} == {
        "party_meeting_approved",
        "party_meeting_declined",
        "forwarding_open",
        "written_review_complete",
        "written_review_passed",
        "inspection_passed",
        "inspection_failed",
        "decision_approved",
        "decision_rejected",
        "designation_recorded",
        "party_meeting_not_recorded",
        "inspection_not_scheduled",
        "objection_upheld",
    }
    assert all(hooks.one(point) for point in named)
    assert hooks.missing() == []
    call_command("check", fail_level="ERROR")


@pytest.mark.parametrize(
    "point",
    [points.FORWARDING_OPEN, points.EVALUATOR_SCOPE, points.DESIGNATION_RECORDED, TITLES_HELD],
)
def test_check_fails_when_a_named_hook_is_not_registered(point):
    implementation = hooks.one(point)
    hooks.unregister(point, implementation)
    try:
        with pytest.raises(SystemCheckError, match=f"core.E001.*{point.key}"):
            call_command("check")
        with pytest.raises(ImproperlyConfigured, match="not registered"):
            hooks.one(point)
    finally:
        hooks.register(point, implementation)
    call_command("check")


def test_a_point_takes_one_implementation_unless_it_takes_many():
    registry = HookRegistry()
    one = registry.declare(HookKind.GUARD, "g")
    many = registry.declare(HookKind.CREATE_GUARD, "c", many=True)
    assert registry.missing() == [one]
    registry.register(one, len)
    registry.register(one, len)  # the same again changes nothing
    with pytest.raises(ImproperlyConfigured, match="has an implementation already"):
        registry.register(one, abs)
    registry.register(many, len)
    registry.register(many, abs)
    assert registry.all(many) == [len, abs]
    assert registry.missing() == []
    with pytest.raises(ImproperlyConfigured, match="not declared"):
        registry.register(registry.declare(HookKind.COUNT, "n").__class__(HookKind.COUNT, "x"), len)
    with pytest.raises(ImproperlyConfigured, match="different shapes"):
        registry.declare(HookKind.GUARD, "g", many=True)
