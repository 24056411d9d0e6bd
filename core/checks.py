"""System checks of the ground floor (run by ``manage.py check`` and at start-up)."""

from django.core.checks import Error, register

from .hooks import hooks


@register()
def hooks_registered(app_configs, **kwargs) -> list[Error]:
    """Every hook a workflow table or a selector names has its implementation."""
    return [
        Error(
            f"The hook {point.key} is named but no app registers it.",
            hint="Register it in the owning app's AppConfig.ready with hooks.register().",
            id="core.E001",
        )
        for point in hooks.missing()
    ]
