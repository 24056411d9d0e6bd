"""Reads of re-inspection rounds and rectifications, scoped by the user."""

from django.db.models import QuerySet

from organizations.enums import Role
from organizations.models import User
from organizations.selectors import has_role, memberships_of

from .models import Rectification


def rectifications_visible_to(*, user: User) -> QuerySet[Rectification]:
    """Rectifications the user may look at: the office every one; a county's applicant and
    head those of their own bureau; anyone else none (their pages answer 404)."""
    qs = Rectification.objects.select_related("designation__bureau__parent")
    if not user.is_authenticated:
        return qs.none()
    if has_role(user, Role.CAMPAIGN_OFFICE):
        return qs
    bureaus = {
        m.bureau_id
        for m in memberships_of(user)
        if m.role in (Role.COUNTY_APPLICANT, Role.COUNTY_HEAD) and m.bureau_id
    }
    return qs.filter(designation__bureau__in=bureaus)
