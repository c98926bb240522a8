"""A long chronology is read a page at a time: the same lines as the whole, and the same queries as a short one."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from .. import selectors
from ..models import ChronologyEntry, EntryKind
from .factories import open_family

pytestmark = pytest.mark.django_db


def add_entries(family, count: int, rng: random.Random) -> None:
    today = timezone.localdate()
    ChronologyEntry.objects.bulk_create(
        ChronologyEntry(
            family=family,
            occurred_on=today - dt.timedelta(days=rng.randint(0, 60)),
            kind=EntryKind.SIGNIFICANT_EVENT,
            summary=f"Event {n}",
            source_agency="School",
            automatic=False,
            recorded_by=family.lead,
        )
        for n in range(count)
    )


def test_any_page_of_the_chronology_holds_the_lines_the_whole_chronology_has_there():
    rng = random.Random(7)
    family = open_family()
    add_entries(family, 230, rng)
    entries = family.chronology.select_related("member", "recorded_by")
    days = sorted({entry.occurred_on for entry in entries})
    partner_forms = [
        selectors.Line(
            occurred_on=day,
            kind=EntryKind.PARTNER_FORM,
            kind_label="Partner form",
            summary=f"WEL-2026-00000{n}: a partner form",
            source_agency="Police",
        )
        # the same day as entries, before them all and after them all
        for n, day in enumerate([rng.choice(days), rng.choice(days), days[0] - dt.timedelta(days=1), days[-1]])
    ]
    whole = [selectors._line(entry) for entry in entries] + partner_forms
    whole.sort(key=lambda line: line.occurred_on, reverse=True)  # as the chronology was built before

    chronology = selectors.Chronology(entries, partner_forms)
    assert len(chronology) == len(whole) > 230
    for start in range(0, 240, 100):
        assert chronology[start : start + 100] == whole[start : start + 100]
    assert chronology[37:41] == whole[37:41]
    assert chronology[0] == whole[0] and chronology[-1] == whole[-1]
    assert list(chronology) == whole


def test_the_chronology_page_asks_the_database_the_same_number_of_questions_for_4_or_400_entries(client):
    short, long = open_family(), open_family()
    add_entries(long, 400, random.Random(1))
    counts = {}
    for family in (short, long):
        client.force_login(family.lead)
        for page in ("1", "3"):
            path = reverse("earlyhelp:chronology", kwargs={"pk": family.pk})
            client.get(path, {"page": page})
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path, {"page": page})
            assert response.status_code == 200
            counts[family.pk, page] = len(queries)
    assert len(set(counts.values())) == 1, counts
    assert f"{long.chronology.count()} entries" in response.text and "Event" in response.text
