from django.conf import settings
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
