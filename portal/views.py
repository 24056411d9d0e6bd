"""Project-wide pages: the role home page, the health check and the error pages."""

import redis
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_GET

from .home import home_panels


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """What each of the user's roles has to do now."""
    return render(request, "portal/home.html", {"panels": home_panels(request.user)})


def _database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return "down"
    return "ok"


def _broker_state() -> str | None:
    if not settings.REDIS_URL:
        return None
    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
    try:
        client.ping()
    except redis.RedisError:
        return "down"
    finally:
        client.close()
    return "ok"


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 with the state of the database (and broker, where one is set), or 503."""
    checks = {"database": _database_state()}
    broker = _broker_state()
    if broker is not None:
        checks["broker"] = broker
    healthy = all(state == "ok" for state in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", **checks}, status=200 if healthy else 503
    )


# The portal's own error pages (templates/400.html, 403.html, 404.html, 500.html, 403_csrf.html),
# in its layout and the reader's language; Django's handlers render 400, 403 and 404.

# When even the 500 page cannot be drawn: both languages, nothing that can fail.
_SERVER_ERROR_FALLBACK = (
    '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>500</title></head>'
    "<body><h1>500 服务器错误 · Server error</h1>"
    "<p>平台出现错误，请稍后再试。Something went wrong in the portal; try again later.</p>"
    '<p><a href="/">返回首页 · Home</a></p></body></html>'
)


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page, drawn without the request (no user, no menu, no database query)."""
    try:
        html = render_to_string("500.html")
    except Exception:
        html = _SERVER_ERROR_FALLBACK
    return HttpResponseServerError(html)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form refused by the CSRF check (expired page, blocked cookies): in the layout, with the
    way back (CSRF_FAILURE_VIEW)."""
    return render(request, "403_csrf.html", {"reason": reason}, status=403)
