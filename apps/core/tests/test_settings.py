"""Production settings refuse to start on an unsafe environment; local and test settings need nothing set."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings

GOOD_SECRET_KEY = secrets.token_urlsafe(64)
UNSAFE = ("ALLOWED_HOSTS", "SECRET_KEY", "DEBUG")


def start(module: str, **environment: str) -> subprocess.CompletedProcess:
    """Load `module` as a fresh process would (gunicorn loading hub.wsgi, say) and print its ALLOWED_HOSTS."""
    env = {name: value for name, value in os.environ.items() if name not in UNSAFE}
    env.update(environment)
    code = f"import json, {module} as s; print(json.dumps(s.ALLOWED_HOSTS))"
    return subprocess.run(  # noqa: S603 - this interpreter, fixed arguments
        [sys.executable, "-c", code], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize("hosts", [None, "", " , "])
def test_production_refuses_to_start_without_allowed_hosts(hosts):
    environment = {"SECRET_KEY": GOOD_SECRET_KEY}
    if hosts is not None:
        environment["ALLOWED_HOSTS"] = hosts

    started = start("hub.settings.production", **environment)

    assert started.returncode != 0
    assert "ImproperlyConfigured: Set ALLOWED_HOSTS to the hub's host names" in started.stderr


def test_production_refuses_to_start_without_a_long_secret_key():
    for key in (None, "too-short"):
        environment = {"ALLOWED_HOSTS": "hub.example.org"}
        if key is not None:
            environment["SECRET_KEY"] = key
        started = start("hub.settings.production", **environment)
        assert started.returncode != 0
        assert "ImproperlyConfigured: Set SECRET_KEY to a random value of at least 50 characters" in started.stderr


def test_production_starts_with_the_host_names_it_is_given():
    started = start(
        "hub.settings.production", SECRET_KEY=GOOD_SECRET_KEY, ALLOWED_HOSTS="hub.example.org, www.hub.example.org"
    )

    assert started.returncode == 0, started.stderr
    assert json.loads(started.stdout) == ["hub.example.org", "www.hub.example.org"]


@pytest.mark.parametrize("module", ["hub.settings.local", "hub.settings.test"])
def test_local_and_test_settings_default_to_this_machine(module):
    started = start(module)

    assert started.returncode == 0, started.stderr
    assert json.loads(started.stdout) == ["localhost", "127.0.0.1", "[::1]"]


def test_with_redis_a_signed_in_persons_session_is_read_from_redis_and_kept_in_the_database():
    environment = {name: value for name, value in os.environ.items() if name not in UNSAFE}
    environment.update(SECRET_KEY=GOOD_SECRET_KEY, ALLOWED_HOSTS="hub.example.org")
    code = "import json, hub.settings.production as s; print(json.dumps([s.SESSION_ENGINE, s.CACHES['default']]))"
    engines = {}
    for redis in ("", "redis://127.0.0.1:6379/0"):
        started = subprocess.run(  # noqa: S603 - this interpreter, fixed arguments
            [sys.executable, "-c", code],
            cwd=settings.BASE_DIR,
            env={**environment, "REDIS_URL": redis},
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert started.returncode == 0, started.stderr
        engines[redis] = json.loads(started.stdout)
    assert engines[""][0] == "django.contrib.sessions.backends.db"
    assert engines["redis://127.0.0.1:6379/0"][0] == "apps.accounts.sessions"
    assert engines["redis://127.0.0.1:6379/0"][1]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
