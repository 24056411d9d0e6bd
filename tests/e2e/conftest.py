"""Fixtures of the browser tests."""

import pytest

from .clock import Clock


@pytest.fixture
def clock():
    """The test's and the live server's clock, set back to the real one at the end."""
    moved = Clock()
    yield moved
    moved.stop()
