"""The trail as a person reads it: labels for the codes an entry keeps, without a query.

An entry keeps codes as they were at the time of the act (the action, the actor's roles, the
bureaus with their codes, the object's type); the audit administrator's page and export show
their labels. Roles are named by the organizations app above this one, through ``ROLE_LABELS``.
"""

from collections.abc import Callable

from django.apps import apps

from core.hooks import HookKind, HookPoint, hooks

from .enums import action_label

# () -> {role code: label}: organizations registers its roles' labels.
ROLE_LABELS: HookPoint[Callable[[], dict[str, str]]] = hooks.declare(
    HookKind.LABELS, "audit_role_labels"
)

__all__ = ["ROLE_LABELS", "action_label", "bureau_names", "object_type_label", "role_labels"]


def role_labels(roles: str) -> str:
    """``"campaign_office,evaluator"`` → the roles' labels, in the order kept."""
    labels = hooks.one(ROLE_LABELS)()
    return "、".join(str(labels.get(code, code)) for code in roles.split(",") if code)


def bureau_names(bureau: str) -> list[tuple[str, str]]:
    """The bureaus kept as ``"<code> <name>；<code> <name>"`` → [(name, code)], for the names to
    show and the codes to keep at hand (a division's code is a word, a bureau's a number)."""
    names = []
    for part in bureau.split("；"):
        code, _space, name = part.strip().partition(" ")
        if part.strip():
            names.append((name, code) if name else (code, ""))
    return names


def object_type_label(object_type: str) -> str:
    """``"designations.rectificationrequirement"`` → that model's name; a type no model has
    any more shows as it is."""
    if not object_type:
        return ""
    try:
        return str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return object_type
