"""Paging of list pages: 50 rows a page, the total shown, the filters kept in the links."""

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

from core.forms import PageForm, cleaned_or_400

PAGE_SIZE = 50


def page_of(request: HttpRequest, rows, *, per_page: int = PAGE_SIZE) -> tuple[Page, str]:
    """The requested page of ``rows`` (``PageForm``: the last one for a number past the end,
    the first when none is asked; anything but a whole number from 1 is ``InvalidInput``, a 400)
    and the query string without ``page``, for the pager's links."""
    number = cleaned_or_400(PageForm(request.GET))["page"]
    page = Paginator(rows, per_page).get_page(number or 1)
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()
