"""The demo calendar: the seed's three awareness days and weeks, every year, loaded idempotently."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.urls import reverse

from apps.awareness import demo
from apps.awareness.models import AwarenessEvent

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


def load_as_the_first_demo_did() -> None:
    """The rows the first demo loader made: Safer Sleep Week and Young Carers Action Day in 2024 only."""
    for values in demo.EVENTS:
        values = dict(values)
        if values["slug"] in demo.EARLIER_VERSIONS:
            values.update(demo.EARLIER_VERSIONS[values["slug"]])
        AwarenessEvent.objects.create(**values)


def test_the_demo_calendar_shows_all_three_seed_events_in_a_later_year(client, on):
    demo.load()
    on(dt.date(2027, 1, 10))

    text = text_of(client.get(reverse("awareness:index")))

    assert "March 2027" in text
    assert "11 to 17 March 2027. Organised by The Lullaby Trust" in text
    assert "Saturday 13 March 2027. Organised by Carers Trust" in text
    assert "Thursday 18 March 2027. Organised by National Child Exploitation Awareness Day" in text
    assert text.index("Safer Sleep Week") < text.index("Young Carers Action Day") < text.index("(CEADay)")


def test_an_event_whose_dates_move_says_so_on_its_page(client, on):
    demo.load()
    on(dt.date(2027, 1, 10))

    text = text_of(client.get(reverse("awareness:detail", kwargs={"slug": "safer-sleep-week"})))

    assert "11 to 17 March, every year" in text
    assert "Next: 11 to 17 March 2027" in text
    assert "its dates change each year" in text and "check the Lullaby Trust website for this year's" in text


def test_loading_again_over_the_first_demo_makes_its_one_off_events_yearly_without_duplicating(client, on):
    load_as_the_first_demo_did()
    on(dt.date(2027, 1, 10))
    assert "Safer Sleep Week" not in text_of(client.get(reverse("awareness:index")))

    demo.load()

    assert AwarenessEvent.objects.count() == 3
    assert set(AwarenessEvent.objects.values_list("recurs_yearly", flat=True)) == {True}
    text = text_of(client.get(reverse("awareness:index")))
    for title in ("Safer Sleep Week", "Young Carers Action Day", "CEADay"):
        assert title in text
    assert "these are the 2024 dates" not in text_of(
        client.get(reverse("awareness:detail", kwargs={"slug": "young-carers-action-day"}))
    )


def test_loading_again_changes_nothing_and_keeps_what_an_editor_changed():
    demo.load()
    week = AwarenessEvent.objects.get(slug="safer-sleep-week")
    week.dates_note = "Check the Lullaby Trust for this year's dates."
    week.save()
    day = AwarenessEvent.objects.get(slug="young-carers-action-day")
    day.recurs_yearly = False  # the business unit chose to enter each year's date instead
    day.save()
    before = sorted(AwarenessEvent.objects.values_list("slug", "recurs_yearly", "dates_note", "updated_at"))

    demo.load()

    assert sorted(AwarenessEvent.objects.values_list("slug", "recurs_yearly", "dates_note", "updated_at")) == before
