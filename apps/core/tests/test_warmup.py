"""A new gunicorn worker is warm before its first request: views imported, templates compiled, connected."""

from __future__ import annotations

import runpy
from unittest import mock

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext


@pytest.fixture
def the_tests_connection_stays_open():
    """Warming up serves a page, and the end of a request closes a connection that is in a transaction,
    as the test's is (Django's test client disconnects the same handler while it serves a page)."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.django_db
@pytest.mark.usefixtures("the_tests_connection_stays_open")
def test_warming_up_compiles_templates_and_connects_without_writing_anything():
    from django.template import engines

    from apps.core.warmup import warm_up

    loader = engines["django"].engine.template_loaders[0]
    loader.reset()
    with CaptureQueriesContext(connection) as queries:
        took = warm_up()
    assert set(took) == {"imports", "urls", "templates", "page", "database"}
    assert [q["sql"] for q in queries.captured_queries] == ["SELECT 1"]  # the sign-in page reads nothing
    assert "training/book.html" in loader.get_template_cache
    assert "referrals/email/receipt.txt" in loader.get_template_cache


def test_gunicorn_warms_each_worker_before_it_takes_requests():
    config = runpy.run_path(str(settings.BASE_DIR / "hub" / "gunicorn.conf.py"))
    assert config["wsgi_app"] == "hub.wsgi"
    worker = mock.Mock(pid=1)
    with mock.patch("apps.core.warmup.warm_up", return_value={}) as warm_up:
        config["post_worker_init"](worker)
    warm_up.assert_called_once_with(heartbeat=worker.notify)


def test_a_worker_warming_up_on_a_busy_machine_tells_the_master_it_is_alive_between_steps():
    from apps.core import warmup

    beats = []
    steps = ("import_modules", "resolve_urls", "compile_templates", "serve_a_page", "connect_databases")
    with mock.patch.multiple(warmup, **dict.fromkeys(steps, mock.DEFAULT)):
        warmup.warm_up(heartbeat=lambda: beats.append(1))
    assert len(beats) == 5


@pytest.mark.django_db
@pytest.mark.usefixtures("the_tests_connection_stays_open")
def test_warming_up_serves_the_sign_in_page_through_the_whole_application(settings):
    from apps.core.warmup import serve_a_page

    settings.ALLOWED_HOSTS = [".hub.example.org"]
    assert serve_a_page() == 200


def test_warming_up_builds_the_reverse_lookups_of_every_included_url_list():
    from django.urls import URLResolver, clear_url_caches, get_resolver

    from apps.core.warmup import resolve_urls

    def every(resolver):
        yield resolver
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                yield from every(pattern)

    clear_url_caches()  # as a new process starts
    resolve_urls()
    resolvers = list(every(get_resolver()))
    assert any(r.namespace == "training" for r in resolvers)
    assert all(r._populated for r in resolvers)  # `reverse("training:session", ...)` builds nothing more
