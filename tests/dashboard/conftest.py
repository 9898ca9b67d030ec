import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_cache():
    # The in-process cache outlives a test: figures cached by one must not answer the next.
    cache.clear()
