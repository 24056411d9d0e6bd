"""The public list of model bureaus (no log-in), with its Excel and PDF exports."""

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET

from audit.downloads import audited_download
from audit.enums import AuditAction
from core.responses import PDF, XLSX, file_response
from designations.caching import public_cache_version
from designations.documents import public_list_pdf
from designations.enums import HOLDING_STATES
from designations.models import Designation, Publication
from designations.spreadsheets import public_list_workbook
from organizations.selectors import province_cities


def _public_rows(year: str, city: str):
    qs = (
        Designation.objects.filter(state__in=HOLDING_STATES, publication__isnull=False)
        .select_related("bureau__parent", "publication")
        .order_by("bureau__parent__code", "bureau__code")
    )
    if year.isdigit():
        qs = qs.filter(designated_on__year=int(year))
    if city:
        qs = qs.filter(bureau__parent__code=city)
    return list(qs)


@require_GET
def public_list(request: HttpRequest) -> HttpResponse:
    """The published, active model bureaus by city (no log-in). Cached until the next
    publication or revocation; its query count does not depend on the number of bureaus."""
    year, city = request.GET.get("year", ""), request.GET.get("city", "")
    version = public_cache_version()
    # Browsers and proxies may keep the page, but must ask again: a publication or a
    # revocation changes the version, and with it the ETag.
    etag = f'"{version}-{request.LANGUAGE_CODE}-{year}-{city}"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=304)
    else:
        key = f"public-list:{version}:{request.LANGUAGE_CODE}:{year}:{city}"
        html = cache.get(key)
        if html is None:
            html = _public_list_html(request, year, city)
            cache.set(key, html, 3600)
        response = HttpResponse(html)
    response["ETag"] = etag
    response["Cache-Control"] = "public, no-cache"
    response["Vary"] = "Accept-Language, Cookie"
    return response


def _public_list_html(request: HttpRequest, year: str, city: str) -> str:
    rows = _public_rows(year, city)
    groups: dict = {}
    for designation in rows:
        groups.setdefault(designation.bureau.parent, []).append(designation)
    return render_to_string(
        "designations/public_list.html",
        {
            "groups": list(groups.items()),
            "count": len(rows),
            "year": year,
            "city": city,
            "cities": province_cities(),
            "years": range(timezone.localdate().year, 2016, -1),
            "publications": Publication.objects.select_related("cycle").order_by("-published_on")[
                :20
            ],
        },
        request=request,
    )


@require_GET
def public_xlsx(request: HttpRequest) -> HttpResponse:
    """The public list as a workbook, cached like the page until the next publication or
    revocation (each download is still recorded)."""
    year, city = request.GET.get("year", ""), request.GET.get("city", "")
    key = f"public-xlsx:{public_cache_version()}:{year}:{city}"
    cached = cache.get(key)
    if cached is None:
        rows = _public_rows(year, city)
        city_name = (
            province_cities().filter(code=city).values_list("name", flat=True).first()
            if city
            else None
        )
        content = public_list_workbook(
            rows,
            year=year if year.isdigit() else "",
            city_name=(city_name or "").removesuffix("司法局"),
        )
        cached = (content, len(rows))
        cache.set(key, cached, 3600)
    content, count = cached
    response = file_response(content, filename="全省示范司法局名单.xlsx", content_type=XLSX)
    return _audited(request, response, file_format="xlsx", year=year, city=city, rows=count)


@require_GET
def public_pdf(request: HttpRequest) -> HttpResponse:
    year, city = request.GET.get("year", ""), request.GET.get("city", "")
    rows = _public_rows(year, city)
    response = file_response(
        public_list_pdf(rows), filename="全省示范司法局名单.pdf", content_type=PDF
    )
    return _audited(request, response, file_format="pdf", year=year, city=city, rows=len(rows))


def _audited(
    request, response, *, file_format: str, year: str, city: str, rows: int
) -> HttpResponse:
    # Public: the actor may be anonymous (the entry keeps the address and the browser).
    return audited_download(
        request,
        response,
        action=AuditAction.PUBLIC_LIST_EXPORT,
        details={"format": file_format, "year": year[:10], "city": city[:20], "rows": rows},
    )
