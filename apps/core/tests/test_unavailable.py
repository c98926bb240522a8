"""While the database cannot be reached, people see the hub's own page (503, try again), never a traceback;
after it comes back, each worker reconnects."""

from __future__ import annotations

from unittest import mock

import pytest
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.test import Client


@pytest.mark.parametrize("error", [OperationalError("connection refused"), InterfaceError("connection already closed")])
def test_a_signed_in_person_sees_the_service_unavailable_page_while_the_database_is_down(error):
    browser = Client(raise_request_exception=False)
    browser.cookies["sessionid"] = "a" * 32  # signed in: the session is read from the database
    with mock.patch("django.contrib.sessions.backends.db.SessionStore.load", side_effect=error):
        response = browser.get("/training/", headers={"X-Request-ID": "req-0123456789"})
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    body = response.content.decode()
    assert "Sorry, the service is unavailable" in body
    assert "req-0123456789" in body
    assert "Traceback" not in body and "connection" not in body


@pytest.mark.django_db
def test_the_health_check_says_unavailable_while_the_database_is_down():
    browser = Client(raise_request_exception=False)
    with mock.patch("apps.core.views.connection.cursor", side_effect=OperationalError("server closed")):
        response = browser.get("/healthz")
    assert response.status_code == 503
    assert b"Sorry, the service is unavailable" in response.content


@pytest.mark.django_db
def test_any_other_failure_is_still_a_server_error():
    browser = Client(raise_request_exception=False)
    with mock.patch("apps.core.views.connection.cursor", side_effect=RuntimeError("a bug")):
        response = browser.get("/healthz")
    assert response.status_code == 500
    assert b"Sorry, there is a problem with the service" in response.content
    assert "Retry-After" not in response


def test_a_kept_database_connection_is_checked_before_a_request_reuses_it():
    """After PostgreSQL restarts, a worker's kept connection is dead: checked, it is replaced at once."""
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
