"""Project-wide pages: the role home page, the health check, the CSP reports and the error
pages."""

import json
import logging

import redis
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseServerError,
    JsonResponse,
)
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, requires_csrf_token
from django.views.decorators.http import require_GET, require_POST
from django_ratelimit.decorators import ratelimit

from applications.enums import PROGRESS_COLUMNS
from applications.permissions import can_follow_progress
from applications.selectors import applications_visible_to, county_progress, current_cycle
from audit.downloads import audited_download
from audit.enums import AuditAction
from core.forms import InvalidInput
from core.net import client_ip
from core.paging import page_of
from core.responses import XLSX, file_response
from organizations.enums import Role
from organizations.selectors import has_role
from review.selectors import cities_of

from .forms import ProgressFilterForm
from .home import home_panels
from .progress import STAGE_LABELS, progress_totals, progress_workbook
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


def _progress(request: HttpRequest):
    """The progress page's form, cycle and rows (none when a filter does not parse)."""
    if not can_follow_progress(request.user):
        raise PermissionDenied(_("This page is for the city bureaus and the campaign office."))
    several = has_role(request.user, Role.CAMPAIGN_OFFICE)
    form = ProgressFilterForm(request.GET or None, several_cities=several)
    cycle = current_cycle()
    rows = county_progress(user=request.user, cycle=cycle)
    if several:
        rows = rows.order_by("parent__code", "code")
    return form, cycle, form.narrow(rows), not form.failed


@login_required
@require_GET
def progress(request: HttpRequest) -> HttpResponse:
    """Every county the user follows, with its stage in the open cycle (未申报 when it has no
    application), filtered, 50 a page, with the totals per city."""
    form, cycle, rows, valid = _progress(request)
    page, query = page_of(request, rows)
    page.object_list = list(page.object_list)
    for county in page.object_list:
        county.stage_label = STAGE_LABELS[county.stage]
    totals, overall = progress_totals(rows)
    visible = (
        set(
            applications_visible_to(user=request.user)
            .filter(cycle=cycle)
            .values_list("pk", flat=True)
        )
        if cycle
        else set()
    )
    return render(
        request,
        "portal/progress.html",
        {
            "form": form,
            "cycle": cycle,
            "page": page,
            "query": query,
            "totals": totals,
            "overall": overall,
            "columns": [label for label, _stages in PROGRESS_COLUMNS],
            "visible": visible,
        },
        status=200 if valid else 400,
    )


@login_required
@require_GET
def progress_xlsx(request: HttpRequest) -> HttpResponse:
    """The filtered progress as a workbook (every row, not one page); an entry of the trail."""
    form, cycle, rows, valid = _progress(request)
    if not valid:
        return progress(request)
    cities = cities_of(request.user)
    issuer = (
        settings.DOCUMENT_ISSUER
        if has_role(request.user, Role.CAMPAIGN_OFFICE) or not cities
        else cities[0].name
    )
    response = file_response(
        progress_workbook(cycle, rows, issuer=issuer),
        filename=f"创建进度-{cycle.year if cycle else ''}.xlsx",
        content_type=XLSX,
    )
    filters = (
        {key: str(value) for key, value in form.cleaned_data.items() if value}
        if form.is_bound
        else {}
    )
    return audited_download(
        request, response, action=AuditAction.PROGRESS_EXPORT, details={"filters": filters}
    )


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
# in its layout and the reader's language; Django's handlers render 403 and 404.

# When even the 500 page cannot be drawn: both languages, nothing that can fail.
_SERVER_ERROR_FALLBACK = (
    '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>500</title></head>'
    "<body><h1>500 服务器错误 · Server error</h1>"
    "<p>平台出现错误，请稍后再试。Something went wrong in the portal; try again later.</p>"
    '<p><a href="/">返回首页 · Home</a></p></body></html>'
)


@requires_csrf_token
def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The 400 page; a query refused by its form (``core.forms.InvalidInput``) lists the
    form's messages. Any other bad request (a suspicious host, a broken upload) is drawn
    without the request, as Django draws it."""
    if isinstance(exception, InvalidInput):
        return render(request, "400.html", {"errors": exception.messages}, status=400)
    return HttpResponseBadRequest(render_to_string("400.html"))


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


csp_log = logging.getLogger("portal.csp")
# What a report may be: a browser's is well under 2 KB.
CSP_REPORT_MAX_BYTES = 16 * 1024
# The fields of a report kept in the log (the browser's names, ``report-uri`` format).
CSP_REPORT_FIELDS = (
    "document-uri",
    "violated-directive",
    "effective-directive",
    "blocked-uri",
    "source-file",
    "line-number",
    "disposition",
)


def _csp_address(group: str, request: HttpRequest) -> str:
    return client_ip(request) or ""


def _csp_rate(group: str, request: HttpRequest) -> str:
    return settings.CSP_REPORT_RATE


@csrf_exempt
@require_POST
@ratelimit(group="csp_report", key=_csp_address, rate=_csp_rate, block=False)
def csp_report(request: HttpRequest) -> HttpResponse:
    """A browser's report of a Content-Security-Policy violation (``report-uri``), written to
    the ``portal.csp`` log at WARNING with the client's address: a script or style the policy
    refused on a user's page is either a bug of the portal or someone injecting content. No
    log-in (a report is sent from any page, the log-in page too), no CSRF token (the browser
    sends none); a body that is too large (413), not a report (400) or past the rate per
    address (429) is refused and not logged."""
    if getattr(request, "limited", False):
        return HttpResponse(status=429)
    if len(request.body) > CSP_REPORT_MAX_BYTES:
        return HttpResponse(status=413)
    try:
        report = json.loads(request.body)["csp-report"]
    except (ValueError, KeyError, TypeError):
        return HttpResponse(status=400)
    if not isinstance(report, dict):
        return HttpResponse(status=400)
    kept = {name: str(report[name])[:500] for name in CSP_REPORT_FIELDS if name in report}
    csp_log.warning(
        "CSP violation from %s: %s", client_ip(request) or "-", json.dumps(kept, sort_keys=True)
    )
    return HttpResponse(status=204)
