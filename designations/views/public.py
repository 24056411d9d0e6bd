"""The public list of model bureaus (no log-in), with its Excel and PDF exports."""

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from audit.downloads import audited_download
from audit.enums import AuditAction
from core.forms import cleaned_or_400
from core.responses import PDF, XLSX, file_response
from designations.caching import public_cache_version
from designations.documents import public_list_pdf
from designations.enums import HOLDING_STATES
from designations.forms import PublicListFilterForm
from designations.models import Designation, Publication
from designations.spreadsheets import public_list_workbook


def _public_rows(form: PublicListFilterForm) -> list[Designation]:
    qs = (
        Designation.objects.filter(state__in=HOLDING_STATES, publication__isnull=False)
        .select_related("bureau__parent", "publication")
        .order_by("bureau__parent__code", "bureau__code")
    )
    return list(form.narrow(qs))


@require_GET
def public_list(request: HttpRequest) -> HttpResponse:
    """The published, active model bureaus by city (no log-in), filtered by year and city
    (``PublicListFilterForm``: a filter it refuses answers 400 with its message, uncached).
    Cached until the next publication or revocation; its query count does not depend on the
    number of bureaus."""
    form = PublicListFilterForm(request.GET)
    if not form.is_valid():
        return HttpResponse(_public_list_html(request, form), status=400)
    version = public_cache_version()
    # Browsers and proxies may keep the page, but must ask again: a publication or a
    # revocation changes the version, and with it the ETag.
    etag = f'"{version}-{request.LANGUAGE_CODE}-{form.key}"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=304)
    else:
        key = f"public-list:{version}:{request.LANGUAGE_CODE}:{form.key}"
        html = cache.get(key)
        if html is None:
            html = _public_list_html(request, form)
            cache.set(key, html, 3600)
        response = HttpResponse(html)
    response["ETag"] = etag
    response["Cache-Control"] = "public, no-cache"
    response["Vary"] = "Accept-Language, Cookie"
    return response


def _public_list_html(request: HttpRequest, form: PublicListFilterForm) -> str:
    """The page; for a refused filter, the form with its errors and no list."""
    rows = _public_rows(form) if not form.errors else []
    groups: dict = {}
    for designation in rows:
        groups.setdefault(designation.bureau.parent, []).append(designation)
    return render_to_string(
        "designations/public_list.html",
        {
            "form": form,
            "groups": list(groups.items()),
            "count": len(rows),
            "query": urlencode(_filters(form)) if not form.errors else "",
            "publications": Publication.objects.select_related("cycle").order_by("-published_on")[
                :20
            ],
        },
        request=request,
    )


def _filters(form: PublicListFilterForm) -> dict[str, str]:
    """The cleaned filter as text: for the export links and the audit entry."""
    year, city = form.cleaned_data["year"], form.cleaned_data["city"]
    return {"year": str(year) if year else "", "city": city.code if city else ""}


@require_GET
def public_xlsx(request: HttpRequest) -> HttpResponse:
    """The public list as a workbook, cached like the page until the next publication or
    revocation (each download is still recorded). A refused filter is a 400 with its message."""
    form = PublicListFilterForm(request.GET)
    cleaned_or_400(form)
    key = f"public-xlsx:{public_cache_version()}:{form.key}"
    cached = cache.get(key)
    if cached is None:
        rows = _public_rows(form)
        city = form.cleaned_data["city"]
        content = public_list_workbook(
            rows,
            year=_filters(form)["year"],
            city_name=city.name.removesuffix("司法局") if city else "",
        )
        cached = (content, len(rows))
        cache.set(key, cached, 3600)
    content, count = cached
    response = file_response(content, filename="全省示范司法局名单.xlsx", content_type=XLSX)
    return _audited(request, response, file_format="xlsx", form=form, rows=count)


@require_GET
def public_pdf(request: HttpRequest) -> HttpResponse:
    """The public list as a PDF; a refused filter is a 400 with its message."""
    form = PublicListFilterForm(request.GET)
    cleaned_or_400(form)
    rows = _public_rows(form)
    response = file_response(
        public_list_pdf(rows), filename="全省示范司法局名单.pdf", content_type=PDF
    )
    return _audited(request, response, file_format="pdf", form=form, rows=len(rows))


def _audited(
    request, response, *, file_format: str, form: PublicListFilterForm, rows: int
) -> HttpResponse:
    # Public: the actor may be anonymous (the entry keeps the address and the browser).
    return audited_download(
        request,
        response,
        action=AuditAction.PUBLIC_LIST_EXPORT,
        details={"format": file_format, **_filters(form), "rows": rows},
    )
