from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from organizations.selectors import memberships_of


def navigation(request: HttpRequest) -> dict:
    """The navigation bar's entries for the signed-in user's roles."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "nav_roles": []}
    items = [(_("Home"), reverse("home")), (_("Criteria"), reverse("standards:version_list"))]
    if user.is_staff:
        items.append((_("Administration"), reverse("admin:index")))
    roles = [
        f"{m.get_role_display()} · {m.bureau or m.division}"
        if (m.bureau or m.division)
        else m.get_role_display()
        for m in memberships_of(user)
    ]
    return {"nav_items": items, "nav_roles": roles}
