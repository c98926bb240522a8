"""Fixtures shared by every app's tests: users in each role, a real SMTP server, a real browser."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

pytest_plugins = ["apps.core.tests.fixtures"]


def chromium_path() -> str | None:
    candidate = os.environ.get("CHROMIUM") or "/usr/bin/chromium"
    if Path(candidate).is_file() and os.access(candidate, os.X_OK):
        return candidate
    return shutil.which("chromium")


def pytest_collection_modifyitems(config, items):
    if chromium_path():
        return
    if os.environ.get("REQUIRE_BROWSER") == "1":
        return  # the browser fixture fails each browser test with the reason
    skip = pytest.mark.skip(reason="No Chromium found at $CHROMIUM or /usr/bin/chromium (apt-get install chromium)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session", autouse=True)
def flush_may_empty_the_audit_trail():
    """Transactional tests end by emptying every table, and the audit trail's append-only triggers
    refuse that. For tests only, the flush lifts them: on PostgreSQL for its own transaction
    (SET LOCAL session_replication_role), on SQLite by dropping and re-creating them around it."""
    from importlib import import_module

    from django.db.backends.postgresql.base import DatabaseWrapper as Postgres
    from django.db.backends.sqlite3.base import DatabaseWrapper as Sqlite

    PostgresOperations, SqliteOperations = Postgres.ops_class, Sqlite.ops_class

    triggers = import_module("apps.audit.migrations.0002_append_only_triggers")
    postgres_flush, sqlite_flush = PostgresOperations.sql_flush, SqliteOperations.sql_flush

    def postgres(self, style, tables, **kwargs):
        sql = postgres_flush(self, style, tables, **kwargs)
        return ["SET LOCAL session_replication_role = replica;", *sql] if "audit_auditentry" in tables else sql

    def sqlite(self, style, tables, **kwargs):
        sql = sqlite_flush(self, style, tables, **kwargs)
        return [*triggers.SQLITE_BACKWARD, *sql, *triggers.SQLITE_FORWARD] if "audit_auditentry" in tables else sql

    PostgresOperations.sql_flush, SqliteOperations.sql_flush = postgres, sqlite
    yield
    PostgresOperations.sql_flush, SqliteOperations.sql_flush = postgres_flush, sqlite_flush
