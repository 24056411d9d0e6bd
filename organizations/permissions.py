"""Who may do what to accounts, bureaus and roles (三员分立: three administrators, none
almighty). The server's own loaders and the demo (``core.actors.SystemActor``) load accounts,
bureaus and roles; no periodic job does."""

from django.conf import settings

from core.actors import SystemActor, is_system

from .enums import Role
from .selectors import has_role, roles_of

# The system actors that may load accounts, bureaus and roles.
LOADERS = (SystemActor.LOADER, SystemActor.DEMO)


def can_grant_roles(user) -> bool:
    """Role grants and revocations are the security administrator's (and a superuser's, made
    only on the server with ``manage.py createsuperuser``), or a loader's."""
    if isinstance(user, SystemActor):
        return is_system(user, *LOADERS)
    return user.is_authenticated and (user.is_superuser or has_role(user, Role.SECURITY_ADMIN))


def can_reset_credentials(user) -> bool:
    """Password and second-factor resets are the security administrator's (a person's)."""
    if isinstance(user, SystemActor):
        return False
    return user.is_authenticated and (user.is_superuser or has_role(user, Role.SECURITY_ADMIN))


def can_change_password(user, account) -> bool:
    """A password is changed by its owner only (a reset is ``can_reset_credentials``)."""
    if isinstance(user, SystemActor):
        return False
    return user.is_authenticated and user.pk == account.pk


def can_manage_accounts(user) -> bool:
    """Accounts are opened and edited by the system administrator (and a superuser), or a
    loader."""
    if isinstance(user, SystemActor):
        return is_system(user, *LOADERS)
    return user.is_authenticated and (user.is_superuser or has_role(user, Role.SYSTEM_ADMIN))


def can_manage_bureaus(user) -> bool:
    """Bureaus are added, deactivated and reactivated by the system administrator (and a
    superuser), or a loader."""
    return can_manage_accounts(user)


def otp_required(user) -> bool:
    """Whether ``user`` must use a second factor: a role in ``OTP_REQUIRED_ROLES``, or any
    account that works in the administration pages."""
    if not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    return bool(roles_of(user) & settings.OTP_REQUIRED_ROLES)
