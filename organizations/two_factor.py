"""The second factor: a TOTP device per user, with ten single-use recovery codes beside it.

Enrolment confirms a device with its first code and shows the recovery codes once; a log-in of
a user with a confirmed device asks for a code after the password; a wrong code is a failed
log-in of that username (django-axes counts it towards the same lockout as a wrong password);
a lost device is reset by the security administrator. Every step is in the audit trail.
"""

import io

import segno
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.enums import AuditAction, Outcome
from audit.services import audit_record
from audit.signals import RECORDED_CREDENTIAL

from .models import User
from .permissions import can_reset_credentials

RECOVERY_CODE_COUNT = 10
TOTP_NAME = "TOTP"
RECOVERY_NAME = "recovery codes"


def totp_device_of(user: User, *, confirmed: bool = True) -> TOTPDevice | None:
    """The user's TOTP device (confirmed, or the one waiting for its first code)."""
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).order_by("pk").first()


def has_second_factor(user: User) -> bool:
    """Whether ``user`` has a confirmed TOTP device (the recovery codes come with it)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def qr_svg(device: TOTPDevice) -> str:
    """The device's ``otpauth://`` address as an inline SVG QR code, drawn here (segno)."""
    out = io.BytesIO()
    segno.make(device.config_url, error="m").save(
        out, kind="svg", scale=5, border=2, xmldecl=False, svgns=True, title=_("QR code")
    )
    return out.getvalue().decode()


@transaction.atomic
def otp_enrolment_start(*, user: User) -> TOTPDevice:
    """The device ``user`` is enrolling (a new random key, unconfirmed until its first code).

    Refused (ValidationError) when the user already has a confirmed device: replacing one is a
    reset by the security administrator, so a stolen session cannot swap the factor.
    """
    if has_second_factor(user):
        raise ValidationError(_("You already use a second factor."))
    device = totp_device_of(user, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)
    return device


def _recovery_codes_new(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _n in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


@transaction.atomic
def otp_enrolment_confirm(
    *, device: TOTPDevice, token: str, request: HttpRequest | None = None
) -> list[str]:
    """Confirm ``device`` with its first code; returns the ten new recovery codes (to be shown
    once). A wrong code raises ValidationError and confirms nothing.

    Recorded in the audit trail (``otp.enroll``)."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
    if device.confirmed or not device.verify_token(token.strip()):
        raise ValidationError(_("That code is not right. Check the clock of your phone."))
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _recovery_codes_new(device.user)
    audit_record(action=AuditAction.OTP_ENROLL, request=request, actor=device.user, obj=device.user)
    return codes


def otp_verify(*, user: User, token: str, request: HttpRequest | None = None):
    """The device of ``user`` that accepts ``token`` (a TOTP code or a recovery code), or None.

    A recovery code works once (``otp.recovery_use``, with the codes left). A wrong code is a
    failed log-in of the username: the trail records it once (``otp.fail``), and
    ``user_login_failed`` is sent so that django-axes counts it towards the lockout.
    """
    token = "".join(token.split())
    device = None
    if token:
        for candidate in (totp_device_of(user), StaticDevice.objects.filter(user=user).first()):
            if candidate is None:
                continue
            with transaction.atomic():
                locked = type(candidate).objects.select_for_update().get(pk=candidate.pk)
                if locked.verify_token(token):
                    device = locked
            if device is not None:
                break
    if device is None:
        _code_refused(user, request)
        return None
    if isinstance(device, StaticDevice):
        with transaction.atomic():
            audit_record(
                action=AuditAction.OTP_RECOVERY_USE,
                request=request,
                actor=user,
                obj=user,
                details={"left": device.token_set.count()},
            )
    return device


def _code_refused(user: User, request: HttpRequest | None) -> None:
    """A wrong code of ``user``: recorded (``otp.fail``) and counted by django-axes towards
    the same lockout as a wrong password (the signal's credentials say the trail has it
    already, so that the one attempt is one entry)."""
    with transaction.atomic():
        audit_record(
            action=AuditAction.OTP_FAIL,
            request=request,
            actor=user,
            obj=user,
            outcome=Outcome.REFUSED,
        )
    user_login_failed.send(
        sender=__name__,
        credentials={"username": user.get_username(), RECORDED_CREDENTIAL: True},
        request=request,
    )


def otp_recovery_codes_renew(
    *, user: User, token: str, request: HttpRequest | None = None
) -> list[str]:
    """Ten new recovery codes for ``user`` (the ones left stop working), to be shown once.

    Only on a code of the authenticator app: neither the session alone (a session left open
    must not mint codes) nor a recovery code (one used code must not buy ten). A wrong code
    renews nothing and counts as a wrong code at log-in (``otp.fail``, the lockout). Recorded
    in the audit trail (``otp.recovery_renew``)."""
    token = "".join(token.split())
    device = totp_device_of(user)
    if device is None:
        raise ValidationError(_("You do not use a second factor yet."))
    with transaction.atomic():
        locked = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        if token and locked.verify_token(token):
            left = StaticToken.objects.filter(device__user=user).count()
            codes = _recovery_codes_new(user)
            audit_record(
                action=AuditAction.OTP_RECOVERY_RENEW,
                request=request,
                actor=user,
                obj=user,
                details={"left_before": left},
            )
            return codes
    _code_refused(user, request)
    raise ValidationError(
        {"token": _("That code is not right: enter the code your authenticator app shows now.")}
    )


@transaction.atomic
def otp_reset(*, user: User, by: User, request: HttpRequest | None = None) -> int:
    """Remove every second-factor device of ``user`` (a lost phone): they enrol again at the
    next log-in. The security administrator's, never on their own account. Returns the number
    of devices removed; recorded in the audit trail (``otp.reset``)."""
    if not can_reset_credentials(by):
        raise PermissionDenied(_("Second-factor resets are the security administrator's."))
    if by.pk == user.pk:
        raise PermissionDenied(_("Nobody resets their own second factor."))
    removed = TOTPDevice.objects.filter(user=user).delete()[1].get(TOTPDevice._meta.label, 0)
    removed += StaticDevice.objects.filter(user=user).delete()[1].get(StaticDevice._meta.label, 0)
    audit_record(
        action=AuditAction.OTP_RESET,
        request=request,
        actor=by,
        obj=user,
        details={"devices": removed},
    )
    return removed
