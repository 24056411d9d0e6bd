"""Before any other page: the second factor, then a provisional or expired password."""

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from .permissions import otp_required
from .services import password_expired
from .two_factor import has_second_factor

# Pages open to a signed-in user who has not passed the second factor yet.
OPEN_VIEWS = frozenset(
    {
        "login",
        "logout",
        "set_language",
        "healthz",
        "csp_report",
        "public_list",
        "public_xlsx",
        "public_pdf",
        "designations:notice",
        "otp_verify",
        "otp_enrol",
        "otp_recovery_codes",
    }
)
# ... and, besides, to one whose password must be changed first.
PASSWORD_OPEN_VIEWS = OPEN_VIEWS | {"password_change", "password_change_done"}


class AccountGateMiddleware:
    """A signed-in user whose role requires a second factor and whose session has not passed
    it is sent to the code (or to the enrolment, when they have no device yet); a user whose
    password is provisional (new account, reset) or older than ``PASSWORD_EXPIRY_DAYS`` is
    sent to the password change. An htmx request gets 401 instead of a page swapped in.

    Needs ``django_otp.middleware.OTPMiddleware`` before it (``request.user.is_verified``).
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated:
            return None
        name = request.resolver_match.view_name if request.resolver_match else ""
        if not user.is_verified() and otp_required(user):
            if name in OPEN_VIEWS:
                return None
            target = "otp_verify" if has_second_factor(user) else "otp_enrol"
            return self._send(request, target)
        if name not in PASSWORD_OPEN_VIEWS and (
            user.must_change_password or password_expired(user)
        ):
            return self._send(request, "password_change")
        return None

    @staticmethod
    def _send(request: HttpRequest, target: str) -> HttpResponse:
        if getattr(request, "htmx", False):
            return HttpResponse(status=401)
        query = urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(f"{reverse(target)}?{query}")
