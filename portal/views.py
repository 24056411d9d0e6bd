"""Project-wide pages: the role home page and the health check."""

import redis
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .home import home_panels
from .todo import todo_total


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """What each of the user's roles has to do now."""
    return render(request, "portal/home.html", {"panels": home_panels(request.user)})


@login_required
@require_GET
def todo_badge(request: HttpRequest) -> HttpResponse:
    """The menu's count of things to do, loaded after the page (htmx): the pages themselves
    spend no query on it."""
    return render(request, "portal/_todo_badge.html", {"total": todo_total(request.user)})


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
