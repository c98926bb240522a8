import datetime as dt

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def cold_page_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def on(monkeypatch):
    """Move the calendar's idea of today: `on(dt.date(2027, 3, 1))`."""

    def move_to(day: dt.date) -> None:
        monkeypatch.setattr("apps.awareness.views.today", lambda: day)

    return move_to
