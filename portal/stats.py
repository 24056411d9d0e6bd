"""The operator's overview, as printed by ``manage.py portal_stats``."""

from django.db.models import Count

from applications.models import Application
from designations.models import Designation
from evaluation.models import Assignment, ItemScore, ScoreSheet
from organizations.models import Membership
from organizations.selectors import bureau_counts
from standards.selectors import criteria_versions_with_counts


def portal_stats() -> dict:
    """Counts of bureaus, criteria, users by role, applications and designations by state."""
    roles = Membership.objects.values("role").annotate(n=Count("user", distinct=True))
    return {
        "bureaus": bureau_counts(),
        "criteria_versions": [
            {
                "name": v.name,
                "sections": v.section_count,
                "items": v.item_count,
                "indicators": v.indicator_count,
                "veto_items": v.veto_count,
                "frozen": v.is_frozen,
            }
            for v in criteria_versions_with_counts()
        ],
        "users_by_role": {row["role"]: row["n"] for row in roles.order_by("role")},
        "assignments": Assignment.objects.count(),
        "scores": {
            "items_rated": ItemScore.objects.exclude(rating="").count(),
            "sections_signed": ScoreSheet.objects.filter(signed_at__isnull=False).count(),
        },
        "applications_by_state": {
            row["state"]: row["n"]
            for row in Application.objects.values("state").annotate(n=Count("pk")).order_by("state")
        },
        "designations_by_state": {
            row["state"]: row["n"]
            for row in Designation.objects.values("state").annotate(n=Count("pk")).order_by("state")
        },
    }
