"""The client's address, as the audit columns record it."""

from django.conf import settings
from django.http import HttpRequest
from ipware import get_client_ip


def client_ip(request: HttpRequest) -> str | None:
    """The user's address: behind ``TRUSTED_PROXY_COUNT`` proxies (nginx: 1), the address the
    nearest trusted proxy saw in ``X-Forwarded-For``; with none, ``REMOTE_ADDR``. A forged
    header cannot push a client past the proxies that are trusted."""
    count = settings.TRUSTED_PROXY_COUNT
    if count == 0:
        return request.META.get("REMOTE_ADDR") or None
    # Each trusted proxy appends the address it saw: the client is the count-th entry from the
    # right. In ipware's terms the entries after the client are the proxies (count - 1), and
    # anything to the left of the client is the client's own, possibly forged, header.
    address, _routable = get_client_ip(
        request,
        proxy_order="left-most",
        proxy_count=count - 1,
        request_header_order=["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"],
        strict=False,
    )
    return address
