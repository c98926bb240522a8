"""Asking "may this user?" of a rule answers from the roles read once per request, without Django's
model permission queries; any other backend can still grant."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.accounts.permissions import can
from apps.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_permission_the_rules_grant_costs_no_permission_query():
    person = UserFactory()
    assert can(person, "training.book_place")  # warm the roles, read once per request
    person = type(person).objects.get(pk=person.pk)
    with CaptureQueriesContext(connection) as queries:
        assert can(person, "training.book_place")
    assert not [q for q in queries.captured_queries if "auth_permission" in q["sql"]]


def test_django_permissions_and_superusers_still_grant_what_no_rule_does():
    from django.contrib.auth.models import Permission

    editor = UserFactory()
    editor.user_permissions.add(Permission.objects.get(codename="add_logentry"))
    editor = type(editor).objects.get(pk=editor.pk)
    assert can(editor, "admin.add_logentry")
    assert not can(UserFactory(), "admin.add_logentry")
    assert can(UserFactory(is_superuser=True), "admin.add_logentry")
