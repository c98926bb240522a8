"""System admins search the audit trail; the search itself is audited."""

from __future__ import annotations

import csv
import io

import pytest

from apps.accounts.tests.factories import PASSWORD, UserFactory, make_role_user
from apps.audit.models import AuditAction, AuditEntry
from apps.audit.services import record


@pytest.fixture
def admin_client(client, db):
    admin = make_role_user("system_admin")
    client.force_login(admin)
    return client


@pytest.mark.django_db
def test_an_admin_finds_who_viewed_a_record_and_the_search_is_itself_recorded(admin_client):
    viewer = UserFactory(email="viewer@police.example.org")
    record(action=AuditAction.VIEW, actor=viewer, object_type="referrals.submission", object_id="MPR-2026-000001-4")
    record(action=AuditAction.VIEW, actor=UserFactory(), object_type="referrals.submission", object_id="other")

    body = admin_client.get("/audit/", {"object_id": "MPR-2026-000001-4"}).content.decode()

    assert "viewer@police.example.org" in body
    assert "1 entry" in body
    search = AuditEntry.objects.filter(action=AuditAction.SEARCH).latest("sequence")
    assert "object_id=MPR-2026-000001-4" in search.detail


@pytest.mark.django_db
def test_a_bad_date_range_gets_a_govuk_error_and_keeps_what_was_typed(admin_client):
    response = admin_client.get(
        "/audit/",
        {
            "actor": "someone@example.org",
            "date_from_0": "10",
            "date_from_1": "3",
            "date_from_2": "2026",
            "date_to_0": "1",
            "date_to_1": "3",
            "date_to_2": "2026",
        },
    )
    body = response.content.decode()
    assert "There is a problem" in body
    assert "The ‘to’ date must be the same as or after the ‘from’ date" in body
    assert 'value="someone@example.org"' in body
    assert "<title>Error: " in body


@pytest.mark.django_db
def test_dates_are_days_in_london_so_a_summer_evening_counts_as_that_day(admin_client):
    import datetime as dt

    from freezegun import freeze_time

    with freeze_time(dt.datetime(2026, 6, 30, 23, 30, tzinfo=dt.UTC)):  # 12:30am on 1 July in BST
        record(action=AuditAction.CHANGE, object_type="test.thing", object_id="late")
    body = admin_client.get(
        "/audit/", {"object_id": "late", "date_from_0": "1", "date_from_1": "7", "date_from_2": "2026"}
    ).content.decode()
    assert "1 entry" in body


@pytest.mark.django_db
def test_the_export_is_a_csv_of_the_same_entries_and_is_recorded(admin_client):
    record(action=AuditAction.EXPORT, object_type="training.register", object_id="17")
    response = admin_client.get("/audit/export.csv", {"object_type": "training.register"})
    assert response["Content-Disposition"] == 'attachment; filename="audit-trail.csv"'
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][0] == "sequence"
    assert [row[6] for row in rows[1:]] == ["17"]
    assert AuditEntry.objects.filter(action=AuditAction.EXPORT, object_type="audit.auditentry").exists()


@pytest.mark.django_db
def test_a_refusal_is_recorded_with_the_path(client):
    practitioner = make_role_user("practitioner")
    client.force_login(practitioner)
    assert client.get("/audit/").status_code == 403
    denied = AuditEntry.objects.get(action=AuditAction.PERMISSION_DENIED)
    assert (denied.actor_label, denied.object_id) == (practitioner.email, "/audit/")
    assert "audit.search_audit" in denied.detail


@pytest.mark.django_db
def test_signing_in_and_failing_to_are_recorded_without_the_password(client):
    user = UserFactory(email="dsl@school.example.org")
    client.post("/accounts/login/", {"login": user.email, "password": "not-the-password"})
    failed = AuditEntry.objects.get(action=AuditAction.SIGN_IN_FAILED)
    assert failed.actor_label == "dsl@school.example.org"
    assert "not-the-password" not in (failed.detail + failed.reason + failed.object_label)

    client.post("/accounts/login/?next=/", {"login": user.email, "password": PASSWORD})
    signed_in = AuditEntry.objects.get(action=AuditAction.SIGN_IN)
    assert signed_in.actor_id == user.pk
