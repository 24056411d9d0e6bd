"""Who reads the audit trail: the audit administrator alone (三员分立)."""

from .enums import AUDIT_ADMIN_ROLE


def can_read_audit(user) -> bool:
    return user.is_authenticated and user.memberships.filter(role=AUDIT_ADMIN_ROLE).exists()
