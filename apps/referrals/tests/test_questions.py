"""The partner forms' questions: times as people write them."""

from __future__ import annotations

import datetime as dt

import pytest

from apps.referrals.questions.base import parse_time_of_day
from apps.referrals.tests.test_views import begin, html, signed_in, step_url

pytestmark = pytest.mark.django_db


# --- Times ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed_time", "meant"),
    [
        ("10am", dt.time(10)),
        ("10 AM", dt.time(10)),
        ("2:30pm", dt.time(14, 30)),
        ("2.30 p.m.", dt.time(14, 30)),
        ("10.30am", dt.time(10, 30)),
        ("12am", dt.time(0)),
        ("12pm", dt.time(12)),
        ("12:15pm", dt.time(12, 15)),
        ("noon", dt.time(12)),
        ("Midday", dt.time(12)),
        ("midnight", dt.time(0)),
        ("14:30", dt.time(14, 30)),
        ("14.30", dt.time(14, 30)),
        ("1430", dt.time(14, 30)),
        ("09:05", dt.time(9, 5)),
        ("0:00", dt.time(0)),
    ],
)
def test_times_are_read_as_people_write_them(typed_time, meant):
    assert parse_time_of_day(typed_time) == meant


@pytest.mark.parametrize("typed_time", ["10", "13pm", "0am", "25:00", "14:60", "half past two", "2:3pm", ""])
def test_what_is_not_a_time_is_not_read_as_one(typed_time):
    assert parse_time_of_day(typed_time) is None


def test_a_time_step_says_how_to_write_a_time_and_takes_2_30pm(client):
    signed_in(client)
    draft = begin(client, "missing-person")
    page = html(client.get(step_url(draft, "last-seen")))
    assert "For example, 2:30pm or 14:30" in page
    yesterday = dt.date.today() - dt.timedelta(days=1)
    data = {
        "date_0": str(yesterday.day),
        "date_1": str(yesterday.month),
        "date_2": str(yesterday.year),
        "place": "Outside the school",
        "action": "continue",
    }
    response = client.post(step_url(draft, "last-seen"), {**data, "time": "half two"})
    assert "Enter the time the person was last seen as a time of day, like 2:30pm or 14:30" in html(response)
    response = client.post(step_url(draft, "last-seen"), {**data, "time": "2:30pm"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.answers["last-seen"]["time"] == "14:30"
