"""Every CSV the hub writes for people goes through the one writer, so nothing anyone typed runs as a
spreadsheet formula on the reader's computer. (Record linkage's files: apps/linkage/tests/test_csv_output.py.)"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from apps.accounts.tests.factories import OrganisationFactory, UserFactory, make_role_user
from apps.audit.models import AuditAction
from apps.audit.services import record
from apps.core.csv_export import FORMULA_PREFIXES
from apps.training.models import OutsideTraining
from apps.training.tests.factories import BookingFactory, SessionFactory

pytestmark = pytest.mark.django_db

PAYLOAD = "1+2*cmd|'/Ccalc'!A0"


def rows_of(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode())))


def assert_neutralised(rows: list[list[str]], typed: list[str]) -> None:
    cells = {cell for row in rows for cell in row}
    assert not [cell for cell in cells if cell.startswith(FORMULA_PREFIXES)]
    for text in typed:
        assert "'" + text in cells, text
        assert text not in cells, text


def test_an_address_typed_at_a_failed_sign_in_is_text_in_the_audit_export(client):
    typed = f"={PAYLOAD}@example.org".lower()  # as allauth keeps it
    client.post("/accounts/login/", {"login": typed, "password": "wrong"})
    others = [f"{prefix}{PAYLOAD}" for prefix in FORMULA_PREFIXES]
    for text in others:
        record(action=AuditAction.SIGN_IN_FAILED, actor_label=text, object_label=text, detail=text)
    client.force_login(make_role_user("system_admin"))
    response = client.get("/audit/export.csv")
    rows = rows_of(b"".join(response.streaming_content))
    assert_neutralised(rows, [typed, *others])
    assert all(row[0].isdigit() for row in rows[1:])  # the sequence stays a number


def test_the_training_register_export_writes_what_people_typed_as_text(client):
    now = timezone.now()
    session = SessionFactory(starts_at=now + dt.timedelta(minutes=5), ends_at=now + dt.timedelta(hours=1))
    typed = []
    for prefix in FORMULA_PREFIXES:
        name, organisation, needs = f"{prefix}Jo{PAYLOAD}", f"{prefix}Org{PAYLOAD}", f"{prefix}{PAYLOAD}"
        person = UserFactory(first_name=name, last_name="", organisation=OrganisationFactory(name=organisation))
        BookingFactory(session=session, person=person, access_needs=needs)
        typed += [needs, organisation]
    trainer = make_role_user("trainer")
    session.trainers.set([trainer])
    client.force_login(trainer)
    rows = rows_of(client.get(reverse("training:register_csv", args=[session.pk])).content)
    assert len(rows) == 1 + len(FORMULA_PREFIXES)
    assert_neutralised(rows, typed)


def test_the_learning_record_export_writes_what_people_typed_as_text_and_hours_as_numbers(client):
    person = UserFactory()
    typed = []
    for number, prefix in enumerate(FORMULA_PREFIXES):
        title, provider = f"{prefix}Course{number}{PAYLOAD}", f"{prefix}Provider{number}{PAYLOAD}"
        OutsideTraining.objects.create(
            person=person, title=title, provider=provider, completed_on=dt.date(2025, 1, 1), hours=Decimal("1.5")
        )
        typed += [title, provider]
    client.force_login(person)
    rows = rows_of(client.get(reverse("training:learning_record_csv", args=[person.pk])).content)
    assert_neutralised(rows, typed)
    assert {row[4] for row in rows[1:]} == {"1.50"}


def test_no_csv_is_written_except_through_the_one_writer():
    """A new export that calls the csv module's writers directly would skip the guard."""
    direct = re.compile(r"csv\.(writer|DictWriter)\(|\bcopy \(.*\) to ")
    offenders = []
    for path in Path(settings.BASE_DIR, "apps").rglob("*.py"):
        if "tests" in path.parts or path.name == "csv_export.py":
            continue
        if direct.search(path.read_text(encoding="utf-8")):
            offenders.append(str(path))
    assert offenders == []
