"""The public list's cache version: a publication or a revocation bumps it after commit."""

from django.core.cache import cache

PUBLIC_CACHE_VERSION_KEY = "designations:public:version"


def public_cache_bump() -> None:
    """Invalidate the cached public list (after a publication or a revocation)."""
    try:
        cache.incr(PUBLIC_CACHE_VERSION_KEY)
    except ValueError:
        cache.set(PUBLIC_CACHE_VERSION_KEY, 2, None)


def public_cache_version() -> int:
    return cache.get_or_set(PUBLIC_CACHE_VERSION_KEY, 1, None)
