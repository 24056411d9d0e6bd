import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clear_cache():
    """The objection form's and the look-up's limits count in the cache (locmem in tests):
    every test starts without them."""
    cache.clear()
