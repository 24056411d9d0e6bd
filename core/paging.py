"""Paging of list pages: 50 rows a page, the total shown, the filters kept in the links."""

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

PAGE_SIZE = 50


def page_of(request: HttpRequest, rows, *, per_page: int = PAGE_SIZE) -> tuple[Page, str]:
    """The requested page of ``rows`` (the last one for a number past the end, the first for
    anything else) and the query string without ``page``, for the pager's links."""
    page = Paginator(rows, per_page).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()
