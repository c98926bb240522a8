"""A new gunicorn worker is warm before its first request: views imported, templates compiled, connected."""

from __future__ import annotations

import runpy
from unittest import mock

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext


@pytest.mark.django_db
def test_warming_up_compiles_templates_and_connects_without_writing_anything():
    from django.template import engines

    from apps.core.warmup import warm_up

    loader = engines["django"].engine.template_loaders[0]
    loader.reset()
    with CaptureQueriesContext(connection) as queries:
        took = warm_up()
    assert set(took) == {"imports", "urls", "templates", "database"}
    assert [q["sql"] for q in queries.captured_queries] == ["SELECT 1"]
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
    steps = ("import_modules", "resolve_urls", "compile_templates", "connect_databases")
    with mock.patch.multiple(warmup, **dict.fromkeys(steps, mock.DEFAULT)):
        warmup.warm_up(heartbeat=lambda: beats.append(1))
    assert len(beats) == 4
