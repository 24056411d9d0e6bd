"""The inbox, and the account pages: log-in in two steps (password, then the second factor),
enrolment of the second factor, the recovery codes shown once, the own password change."""

import time
from base64 import b32encode

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticToken

from audit.enums import AuditAction, Outcome
from audit.services import audit_record
from core.forms import NextForm, cleaned_or_400
from core.paging import page_of

from .forms import (
    LoginForm,
    MarkReadForm,
    OTPTokenForm,
    PortalPasswordChangeForm,
    RecoveryRenewForm,
)
from .models import Notification, User
from .notifications import notifications_mark_read
from .permissions import otp_required
from .services import password_expired, password_set
from .two_factor import (
    has_second_factor,
    otp_enrolment_confirm,
    otp_enrolment_start,
    otp_recovery_codes_renew,
    otp_verify,
    qr_svg,
    totp_device_of,
)

# The log-in waiting for its second step: who passed the password, with which backend, when.
PENDING_KEY = "login_pending"
RECOVERY_CODES_KEY = "otp_recovery_codes"


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    """The user's own messages, newest first, 50 a page."""
    page, query = page_of(request, Notification.objects.filter(user=request.user))
    return render(request, "organizations/inbox.html", {"page": page, "query": query})


@login_required
@require_POST
def inbox_read(request: HttpRequest) -> HttpResponse:
    """Mark the listed messages of the user's own as read (all unread ones when none is listed);
    an id that is not one of the user's messages is refused and nothing is marked."""
    form = MarkReadForm(
        request.POST, notifications=Notification.objects.filter(user=request.user).only("pk")
    )
    if not form.is_valid():
        messages.error(request, _("Those messages are not in your inbox."))
        return redirect("inbox")
    notifications_mark_read(user=request.user, ids=form.cleaned_data["id"] or None)
    return redirect("inbox")


class LoginView(auth_views.LoginView):
    """The password step. A user with a second factor, or whose role requires one, is not
    logged in yet: the session remembers them for ``OTP_LOGIN_TIMEOUT`` seconds and the code
    (or the enrolment) completes the log-in."""

    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        enrolled = has_second_factor(user)
        if not enrolled and not otp_required(user):
            return super().form_valid(form)
        self.request.session[PENDING_KEY] = {
            "user": user.pk,
            "backend": user.backend,
            "next": self.get_success_url(),
            "at": time.time(),
        }
        return redirect("otp_verify" if enrolled else "otp_enrol")


def _pending_user(request: HttpRequest) -> User | None:
    pending = request.session.get(PENDING_KEY)
    if not pending or time.time() - pending["at"] > settings.OTP_LOGIN_TIMEOUT:
        request.session.pop(PENDING_KEY, None)
        return None
    return User.objects.filter(pk=pending["user"], is_active=True).first()


def _second_step_user(request: HttpRequest) -> User | None:
    """Who is at the second step: the user whose password was just accepted, or a signed-in
    user whose session has not passed the second factor."""
    if request.user.is_authenticated:
        return request.user
    return _pending_user(request)


def _next_url(request: HttpRequest, submitted: str = "") -> str:
    """Where to go after the log-in: what the form carried, the link followed, or what the
    password step kept; only a URL of this host."""
    pending = request.session.get(PENDING_KEY) or {}
    followed = cleaned_or_400(
        NextForm(request.GET, host=request.get_host(), https=request.is_secure())
    )["next"]
    candidate = submitted or followed or pending.get("next", "")
    # What the form carried and what the password step kept are checked here too.
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _complete_login(request: HttpRequest, user: User, device, submitted: str = "") -> str:
    """Log ``user`` in (if only the password was done) and mark the session verified."""
    target = _next_url(request, submitted)
    if not request.user.is_authenticated:
        backend = request.session[PENDING_KEY]["backend"]
        auth_login(request, user, backend=backend)
    request.session.pop(PENDING_KEY, None)
    otp_login(request, device)
    return target


def _locked_out(request: HttpRequest, user: User, *, record: bool) -> HttpResponse:
    """The username is locked (wrong passwords and codes together): end the log-in. A lockout
    that django-axes has just signalled is already in the trail (``organizations.signals``)."""
    request.session.pop(PENDING_KEY, None)
    if record:
        audit_record(
            action=AuditAction.AUTH_LOCK,
            request=request,
            actor_name=user.get_username(),
            outcome=Outcome.REFUSED,
        )
    if request.user.is_authenticated:
        auth_logout(request)
    return render(request, settings.AXES_LOCKOUT_TEMPLATE, status=429)


@never_cache
@sensitive_post_parameters("token")
@require_http_methods(["GET", "POST"])
def otp_verify_view(request: HttpRequest) -> HttpResponse:
    """The second step: the code of the authenticator app, or a recovery code."""
    user = _second_step_user(request)
    if user is None:
        return redirect("login")
    if request.user.is_authenticated and request.user.is_verified():
        return redirect(_next_url(request))
    if not has_second_factor(user):
        return redirect("otp_enrol")
    credentials = {"username": user.get_username()}
    if AxesProxyHandler.is_locked(request, credentials):
        return _locked_out(request, user, record=True)
    form = OTPTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = otp_verify(user=user, token=form.cleaned_data["token"], request=request)
        if device is not None:
            return redirect(_complete_login(request, user, device, form.cleaned_data["next"]))
        if getattr(request, "axes_locked_out", False):
            return _locked_out(request, user, record=False)
        form.add_error(
            "token",
            _(
                "That code is not right. Wrong codes count with wrong passwords: after 5 "
                "failures the account is locked for 30 minutes."
            ),
        )
    return render(
        request,
        "registration/otp_verify.html",
        {"form": form, "next": _next_url(request), "demo": settings.DEVELOPMENT, "who": user},
    )


@never_cache
@sensitive_post_parameters("token")
@require_http_methods(["GET", "POST"])
def otp_enrol_view(request: HttpRequest) -> HttpResponse:
    """Set up the authenticator app: scan the QR code (or type the key), confirm with a code."""
    user = _second_step_user(request)
    if user is None:
        return redirect("login")
    if has_second_factor(user):
        if request.user.is_authenticated and request.user.is_verified():
            messages.info(request, _("You already use a second factor."))
            return redirect("otp_status")
        return redirect("otp_verify")
    device = otp_enrolment_start(user=user)
    form = OTPTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = otp_enrolment_confirm(
                device=device, token=form.cleaned_data["token"], request=request
            )
        except ValidationError as error:
            form.add_error("token", error)
        else:
            device.refresh_from_db()
            target = _complete_login(request, user, device, form.cleaned_data["next"])
            request.session[RECOVERY_CODES_KEY] = {"codes": codes, "next": target}
            return redirect("otp_recovery_codes")
    return render(
        request,
        "registration/otp_enrol.html",
        {
            "form": form,
            "qr": qr_svg(device),
            "secret": b32encode(device.bin_key).decode(),
            "required": otp_required(user),
            "next": _next_url(request),
        },
    )


@never_cache
@login_required
@require_GET
def otp_recovery_codes_view(request: HttpRequest) -> HttpResponse:
    """The ten recovery codes, shown this once after the enrolment or a renewal."""
    shown = request.session.pop(RECOVERY_CODES_KEY, None)
    if not shown:
        return redirect("otp_status")
    return render(request, "registration/otp_recovery_codes.html", shown)


def _otp_status(request: HttpRequest, renew: RecoveryRenewForm, status: int = 200):
    device = totp_device_of(request.user)
    left = StaticToken.objects.filter(device__user=request.user).count() if device else 0
    return render(
        request,
        "registration/otp_status.html",
        {
            "device": device,
            "codes_left": left,
            "required": otp_required(request.user),
            "renew": renew,
        },
        status=status,
    )


@login_required
@require_GET
def otp_status_view(request: HttpRequest) -> HttpResponse:
    """Whether the user uses a second factor, how many recovery codes are left, and the form
    that replaces them."""
    return _otp_status(request, RecoveryRenewForm())


@never_cache
@sensitive_post_parameters("token")
@login_required
@require_POST
def otp_recovery_renew_view(request: HttpRequest) -> HttpResponse:
    """New recovery codes on a code of the authenticator app, shown once on the next page."""
    if not has_second_factor(request.user):
        return redirect("otp_status")
    form = RecoveryRenewForm(request.POST)
    if form.is_valid():
        try:
            codes = otp_recovery_codes_renew(
                user=request.user, token=form.cleaned_data["token"], request=request
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            request.session[RECOVERY_CODES_KEY] = {
                "codes": codes,
                "next": resolve_url("otp_status"),
            }
            return redirect("otp_recovery_codes")
    return _otp_status(request, form, status=400)


class PasswordChangeView(auth_views.PasswordChangeView):
    """The user's own change, through ``password_set`` (history, expiry, audit trail); also
    the page a provisional or expired password leads to."""

    form_class = PortalPasswordChangeForm

    def form_valid(self, form):
        password_set(
            user=form.user,
            password=form.cleaned_data["new_password1"],
            by=self.request.user,
            request=self.request,
        )
        update_session_auth_hash(self.request, form.user)
        return redirect(self.get_success_url())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["must_change"] = user.must_change_password
        context["expired"] = password_expired(user)
        return context
