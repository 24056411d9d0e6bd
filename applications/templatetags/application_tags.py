"""Template tags of the applications: blocks other pages include."""

from django import template

from applications.selectors import returned_to

register = template.Library()


@register.inclusion_tag("applications/partials/returned_notice.html")
def returned_notice(user) -> dict:
    """The user's county's returned applications, with who returned them, when and why."""
    return {"returned": returned_to(user=user)}
