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
    with mock.patch("apps.core.warmup.warm_up", return_value={}) as warm_up:
        config["post_worker_init"](mock.Mock(pid=1))
    warm_up.assert_called_once_with()
