import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clear_cache():
    """The public list is cached (locmem in tests): every test starts without it."""
    cache.clear()
