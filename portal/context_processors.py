from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from organizations.enums import Role
from organizations.notifications import unread_count
from organizations.selectors import has_role, memberships_of

APPLICATION_ROLES = (
    Role.COUNTY_APPLICANT,
    Role.COUNTY_HEAD,
    Role.CITY_REVIEWER,
    Role.CITY_HEAD,
    Role.CAMPAIGN_OFFICE,
)

# The roles with a to-do list (portal.todo): the menu shows their count.
TODO_ROLES = (*APPLICATION_ROLES, Role.EVALUATOR)


def navigation(request: HttpRequest) -> dict:
    """The navigation bar's entries for the signed-in user's roles."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "nav_roles": [], "unread_count": 0, "nav_todo": False}
    items: list[tuple[str, object]] = [(_("Home"), reverse("home"))]
    if has_role(user, *APPLICATION_ROLES):
        items.append((_("Applications"), reverse("applications:list")))
    if has_role(user, Role.COUNTY_APPLICANT, Role.COUNTY_HEAD):
        items.append((_("Rectifications"), reverse("reinspections:rectifications")))
    if has_role(user, Role.CITY_REVIEWER, Role.CITY_HEAD):
        items.append((_("City review"), reverse("review:dashboard")))
    if has_role(user, Role.CITY_REVIEWER, Role.CITY_HEAD, Role.CAMPAIGN_OFFICE):
        items.append((_("Progress"), reverse("progress")))
    if has_role(user, Role.CAMPAIGN_OFFICE, Role.CITY_HEAD):
        items.append((_("Cycles"), reverse("applications:cycle_list")))
    if has_role(user, Role.CAMPAIGN_OFFICE):
        items.append(
            (
                _("Provincial evaluation"),
                [
                    (_("Assignments"), reverse("evaluation:assignments")),
                    (_("Ranking"), reverse("evaluation:ranking")),
                    (_("Inspections"), reverse("evaluation:inspections")),
                    (_("Decisions"), reverse("evaluation:decisions")),
                ],
            )
        )
        items.append(
            (
                _("Designations"),
                [
                    (_("Register of designations"), reverse("designations:register")),
                    (_("Dashboard"), reverse("designations:dashboard")),
                    (_("Quota"), reverse("designations:quota")),
                    (_("Rectifications"), reverse("reinspections:rectifications")),
                    (_("Public notice"), reverse("notices:list")),
                    (_("Deadline extensions"), reverse("review:deadline_extensions")),
                ],
            )
        )
    if has_role(user, Role.EVALUATOR):
        items.append((_("My score sheets"), reverse("evaluation:my_sheets")))
        items.append((_("Inspections"), reverse("evaluation:inspections")))
    if has_role(user, Role.AUDIT_ADMIN):
        items.append((_("Audit trail"), reverse("audit:trail")))
    items.append((_("Criteria"), reverse("standards:version_list")))
    if user.is_staff:
        items.append((_("Administration"), reverse("admin:index")))
    roles = [
        f"{m.get_role_display()} · {m.bureau or m.division}"
        if (m.bureau or m.division)
        else m.get_role_display()
        for m in memberships_of(user)
    ]
    return {
        "nav_items": items,
        "nav_roles": roles,
        "unread_count": unread_count(user),
        "nav_todo": has_role(user, *TODO_ROLES),
    }
