import time

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url


class HtmxLoginRequiredMiddleware:
    """An htmx request whose session has expired gets 401, not the log-in page swapped in.

    The page keeps what the user typed; static/js/portal.js tells them to log in again.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        login_url = resolve_url(settings.LOGIN_URL)
        if (
            getattr(request, "htmx", False)
            and response.status_code == 302
            and response.get("Location", "").startswith(login_url)
        ):
            return HttpResponse(status=401)
        return response


# When the session's expiry was last renewed (seconds since the epoch).
TOUCHED_KEY = "_touched_at"


class SessionTouchMiddleware:
    """Renew a logged-in session's idle time-out at most once every ``SESSION_TOUCH_SECONDS``.

    Saving the session sets its expiry to now + ``SESSION_COOKIE_AGE``. Writing it on every
    request (``SESSION_SAVE_EVERY_REQUEST``) costs an UPDATE per page; marking it modified only
    when more than a minute passed since the last renewal keeps the 30-minute idle time-out
    exact to within that minute. Anonymous sessions are never touched (no row per visitor).
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # After a log-out the session is empty; the key is all that marks a logged-in session.
        if session is None or session.get(SESSION_KEY) is None:
            return response
        now = int(time.time())
        touched = session.get(TOUCHED_KEY)
        if (
            session.modified
            or not isinstance(touched, int)
            or now - touched > settings.SESSION_TOUCH_SECONDS
        ):
            session[TOUCHED_KEY] = now
        return response
