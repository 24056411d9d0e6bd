from django.db import models
from django.utils.translation import gettext_lazy as _

from audit.enums import AUDIT_ADMIN_ROLE


class BureauLevel(models.TextChoices):
    PROVINCE = "province", _("Provincial department")
    CITY = "city", _("City bureau")
    COUNTY = "county", _("County bureau")


class Role(models.TextChoices):
    """The roles of domain.md §6; each is held through a ``Membership``."""

    COUNTY_APPLICANT = "county_applicant", _("County applicant")
    COUNTY_HEAD = "county_head", _("County head")
    CITY_REVIEWER = "city_reviewer", _("City reviewer")
    CITY_HEAD = "city_head", _("City head")
    CAMPAIGN_OFFICE = "campaign_office", _("Campaign office")
    EVALUATOR = "evaluator", _("Evaluator")
    SYSTEM_ADMIN = "system_admin", _("System administrator")
    SECURITY_ADMIN = "security_admin", _("Security administrator")
    AUDIT_ADMIN = AUDIT_ADMIN_ROLE, _("Audit administrator")


# What each role is anchored to: a bureau of a level, a provincial division, or nothing.
ROLE_BUREAU_LEVEL: dict[str, str | None] = {
    Role.COUNTY_APPLICANT: BureauLevel.COUNTY,
    Role.COUNTY_HEAD: BureauLevel.COUNTY,
    Role.CITY_REVIEWER: BureauLevel.CITY,
    Role.CITY_HEAD: BureauLevel.CITY,
    Role.CAMPAIGN_OFFICE: BureauLevel.PROVINCE,
    Role.EVALUATOR: None,
    Role.SYSTEM_ADMIN: None,
    Role.SECURITY_ADMIN: None,
    Role.AUDIT_ADMIN: None,
}
# The three administrators (三员分立): no account holds two of them.
ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})
# Roles nobody grants to themselves: the administrators and the campaign office (which works in
# the administration pages).
PRIVILEGED_ROLES = ADMIN_ROLES | {Role.CAMPAIGN_OFFICE}
ROLES_WITH_DIVISION = {Role.EVALUATOR}

# Django groups that carry the model permissions of the administration pages.
STAFF_GROUP_BY_ROLE: dict[str, str] = {
    Role.SYSTEM_ADMIN: "system_admins",
    Role.SECURITY_ADMIN: "security_admins",
    Role.CAMPAIGN_OFFICE: "campaign_office",
}
