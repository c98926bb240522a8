import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def cold_page_cache():
    cache.clear()
    yield
    cache.clear()
