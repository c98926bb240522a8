import pytest


@pytest.fixture(autouse=True)
def no_cached_catalogue():
    """The catalogue caches pages for visitors; each test starts without another test's pages."""
    from django.core.cache import cache

    cache.clear()
