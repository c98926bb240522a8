"""The partner forms' questions: long answers with a character count, times as people write them, and a last
sighting that cannot have happened."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from freezegun import freeze_time

from apps.referrals.models import FormType, Submission
from apps.referrals.questions.base import parse_time_of_day
from apps.referrals.samples import sample_answers
from apps.referrals.tests.test_views import begin, html, signed_in, step_url, typed

pytestmark = pytest.mark.django_db


# --- Long answers ----------------------------------------------------------------------------------


def test_a_long_answer_has_a_character_count_and_no_maxlength_that_would_cut_pasted_text(client):
    signed_in(client)
    draft = begin(client, "missing-person")
    page = html(client.get(step_url(draft, "description")))
    textarea = re.search(r'<textarea[^>]*name="description"[^>]*>', page).group(0)
    assert "maxlength" not in textarea
    assert "govuk-js-character-count" in textarea
    assert 'data-module="govuk-character-count"' in page and 'data-maxlength="5000"' in page
    assert 'id="id_description-info"' in page
    # The page loads GOV.UK Frontend, which starts the character count.
    assert "hub/init.mjs" in page


def test_a_long_answer_over_the_limit_is_refused_with_a_message_written_for_people(client):
    signed_in(client)
    draft = begin(client, "missing-person")
    pasted = "Tall, " * 1000
    response = client.post(
        step_url(draft, "description"),
        typed(FormType.MISSING_PERSON, "description", description=pasted),
    )
    page = html(response)
    assert response.status_code == 200
    assert "Description must be 5,000 characters or fewer" in page
    assert "Describe the person must be" not in page
    assert pasted.strip() in page, "what was typed is kept to be cut down"


def test_every_question_names_its_answer_in_the_limit_message():
    from django import forms

    from apps.referrals.questions import DEFINITIONS

    for definition in DEFINITIONS.values():
        for step in definition.steps:
            for name, field in step.form.base_fields.items():
                if isinstance(field, forms.CharField) and field.max_length:
                    message = field.error_messages.get("max_length", "")
                    assert "?" not in message and "(optional)" not in message, (definition.slug, name, message)
                    assert re.search(r"must be [0-9,]+ characters or fewer$", message), (name, message)
                if isinstance(field.widget, forms.Textarea):
                    assert "maxlength" not in field.widget.attrs, (definition.slug, name)


def test_answering_the_teams_question_has_a_character_count_too():
    from apps.referrals.forms import AnswerForm

    form = AnswerForm(data={"answer": "x" * 5001})
    assert "maxlength" not in form.fields["answer"].widget.attrs
    assert form.errors["answer"] == ["Your answer must be 5,000 characters or fewer"]


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


# --- A last sighting before the person was born -------------------------------------------------------


def last_seen_on(day: dt.date) -> dict:
    return {
        "date_0": str(day.day),
        "date_1": str(day.month),
        "date_2": str(day.year),
        "time": "16:30",
        "place": "Outside the school",
        "action": "continue",
    }


@freeze_time("2026-06-15 10:00:00")
def test_a_last_sighting_before_the_date_of_birth_is_refused_on_the_date(client):
    signed_in(client)
    draft = begin(client, "missing-person")
    response = client.post(step_url(draft, "person"), typed(FormType.MISSING_PERSON, "person"))
    assert response.status_code == 302
    response = client.post(step_url(draft, "last-seen"), last_seen_on(dt.date(1901, 6, 1)))
    page = html(response)
    message = "The date the person was last seen must be on or after their date of birth, 27 March 2011"
    assert message in page
    assert f'<a href="#id_date_0">{message}</a>' in page
    draft.refresh_from_db()
    assert "last-seen" not in draft.answers
    response = client.post(step_url(draft, "last-seen"), last_seen_on(dt.date(2026, 6, 14)))
    assert response.status_code == 302


@freeze_time("2026-06-15 10:00:00")
def test_a_last_sighting_before_a_12_year_old_can_have_been_born_is_refused(client):
    signed_in(client)
    draft = begin(client, "missing-person")
    person = typed(FormType.MISSING_PERSON, "person", date_of_birth_0="", date_of_birth_1="", date_of_birth_2="")
    response = client.post(step_url(draft, "person"), {**person, "age": "12"})
    assert response.status_code == 302
    page = html(client.post(step_url(draft, "last-seen"), last_seen_on(dt.date(1901, 6, 1))))
    assert (
        "The date the person was last seen must be after they were born: they are 12, "
        "so they were born after 15 June 2013"
    ) in page
    assert client.post(step_url(draft, "last-seen"), last_seen_on(dt.date(2013, 6, 16))).status_code == 302


def test_the_api_refuses_a_last_sighting_before_the_date_of_birth_too(client, partner):
    answers = sample_answers(FormType.MISSING_PERSON)
    answers["last-seen"]["date"] = "1901-06-01"
    response = client.post(
        "/api/v1/submissions/",
        data=json.dumps({"form_type": "missing_person", "answers": answers, "declaration": True}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {partner['secret']}"},
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "answers.last-seen.date": [
            "The date the person was last seen must be on or after their date of birth, 27 March 2011"
        ]
    }
    assert Submission.objects.count() == 0
