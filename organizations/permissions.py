"""Who may do what to accounts and roles (三员分立: three administrators, none almighty)."""

from django.conf import settings

from .enums import Role
from .selectors import has_role, roles_of


def can_grant_roles(user) -> bool:
    """Role grants and revocations are the security administrator's (and a superuser's, made
    only on the server with ``manage.py createsuperuser``)."""
    return user.is_authenticated and (user.is_superuser or has_role(user, Role.SECURITY_ADMIN))


def can_reset_credentials(user) -> bool:
    """Password and second-factor resets are the security administrator's."""
    return user.is_authenticated and (user.is_superuser or has_role(user, Role.SECURITY_ADMIN))


def otp_required(user) -> bool:
    """Whether ``user`` must use a second factor: a role in ``OTP_REQUIRED_ROLES``, or any
    account that works in the administration pages."""
    if not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    return bool(roles_of(user) & settings.OTP_REQUIRED_ROLES)
