"""The home page's panels: for each role the user holds, what there is to do."""

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext as _

from organizations.enums import Role
from organizations.models import Membership, User
from organizations.selectors import bureau_counts, counties_of, memberships_of
from standards.selectors import criteria_versions_with_counts

from .todo import Shared, Todo, todos_of


@dataclass
class Panel:
    role: str
    anchor: str
    intro: str
    facts: list[tuple[str, str]] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)
    todos: list[Todo] = field(default_factory=list)


def _county_panel(m: Membership) -> Panel:
    intro = (
        _(
            "Prepare your bureau's application: fill the form, report the indicators and upload "
            "the evidence for each criteria item, then submit it to your city bureau."
        )
        if m.role == Role.COUNTY_APPLICANT
        else _(
            "Check your bureau's application and submit it to the city bureau with the "
            "pledge that the materials are objective and true."
        )
    )
    return Panel(
        role=m.get_role_display(),
        anchor=m.bureau.name,
        intro=intro,
        facts=[(_("City bureau"), m.bureau.parent.name)],
        links=[
            (_("Our application"), reverse("applications:list")),
            (_("Read the criteria"), reverse("standards:version_list")),
        ],
    )


def _city_panel(m: Membership) -> Panel:
    intro = (
        _("Review the applications of your counties: return them for revision or approve them.")
        if m.role == Role.CITY_REVIEWER
        else _(
            "Record the Party meeting's sign-off and forward the approved applications to "
            "the province before the deadline (31 July)."
        )
    )
    counties = counties_of(city=m.bureau).count()
    return Panel(
        role=m.get_role_display(),
        anchor=m.bureau.name,
        intro=intro,
        facts=[(_("County bureaus in your city"), str(counties))],
        links=[
            (_("City review"), reverse("review:dashboard")),
            (_("Progress of the counties"), reverse("progress")),
            (_("Applications of our counties"), reverse("applications:list")),
            (_("Read the criteria"), reverse("standards:version_list")),
        ],
    )


def _office_panel(m: Membership) -> Panel:
    counts = bureau_counts()
    versions = list(criteria_versions_with_counts())
    return Panel(
        role=m.get_role_display(),
        anchor=m.bureau.name,
        intro=_(
            "Open the yearly cycle, keep the criteria up to date, form the evaluation team, "
            "and record decisions and designations."
        ),
        facts=[
            (_("County bureaus in the province"), str(counts["county"])),
            (_("Criteria versions"), str(len(versions))),
        ],
        links=[
            (_("Cycles"), reverse("applications:cycle_list")),
            (_("Progress of the counties"), reverse("progress")),
            (_("Browse the criteria"), reverse("standards:version_list")),
            (
                _("Edit criteria (administration)"),
                reverse("admin:app_list", kwargs={"app_label": "standards"}),
            ),
        ],
    )


def _evaluator_panel(m: Membership) -> Panel:
    sections = ", ".join(str(s.number) for s in m.division.sections.order_by("number").distinct())
    return Panel(
        role=m.get_role_display(),
        anchor=m.division.name,
        intro=_("Score the criteria sections assigned to you on the applications assigned to you."),
        facts=[(_("Sections your division owns"), sections or "—")],
        links=[
            (_("My score sheets"), reverse("evaluation:my_sheets")),
            (_("Read the criteria"), reverse("standards:version_list")),
        ],
    )


def _admin_panel(m: Membership) -> Panel:
    counts = bureau_counts()
    return Panel(
        role=m.get_role_display(),
        anchor=_("Portal"),
        intro=_(
            "Manage accounts, bureaus and divisions; import and export them in Excel. Roles "
            "are granted by the security administrator."
        ),
        facts=[
            (
                _("Bureaus (province / city / county)"),
                f"{counts['province']} / {counts['city']} / {counts['county']}",
            ),
            (_("Users"), str(User.objects.filter(is_active=True).count())),
        ],
        links=[
            (_("Users"), reverse("admin:organizations_user_changelist")),
            (_("Bureaus"), reverse("admin:organizations_bureau_changelist")),
        ],
    )


def _security_admin_panel(m: Membership) -> Panel:
    return Panel(
        role=m.get_role_display(),
        anchor=_("Portal"),
        intro=_(
            "Grant and revoke roles; reset a password (a provisional one, changed at the next "
            "log-in) or a lost second factor."
        ),
        links=[
            (_("Role memberships"), reverse("admin:organizations_membership_changelist")),
            (_("Users"), reverse("admin:organizations_user_changelist")),
        ],
    )


def _audit_admin_panel(m: Membership) -> Panel:
    return Panel(
        role=m.get_role_display(),
        anchor=_("Portal"),
        intro=_("Read and export the audit trail: who did what, when, from where."),
        links=[(_("Audit trail"), reverse("audit:trail"))],
    )


_BUILDERS = {
    Role.COUNTY_APPLICANT: _county_panel,
    Role.COUNTY_HEAD: _county_panel,
    Role.CITY_REVIEWER: _city_panel,
    Role.CITY_HEAD: _city_panel,
    Role.CAMPAIGN_OFFICE: _office_panel,
    Role.EVALUATOR: _evaluator_panel,
    Role.SYSTEM_ADMIN: _admin_panel,
    Role.SECURITY_ADMIN: _security_admin_panel,
    Role.AUDIT_ADMIN: _audit_admin_panel,
}


def home_panels(user: User) -> list[Panel]:
    shared = Shared()
    panels = []
    for m in memberships_of(user):
        panel = _BUILDERS[m.role](m)
        panel.todos = todos_of(m, user=user, shared=shared)
        panels.append(panel)
    return panels
