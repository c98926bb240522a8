"""Finding training: keywords, GOV.UK date inputs, and the results taking the focus after filtering."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.training.models import Delivery
from apps.training.tests.factories import CourseFactory, ELearningItemFactory, SessionFactory

pytestmark = pytest.mark.django_db

TITLES = ("PREVENT awareness", "Fire safety at home", "Neglect toolkit", "Online harms")


def titles_in(client, **query) -> set[str]:
    page = client.get(reverse("training:catalogue"), query).content.decode()
    return {title for title in TITLES if title in page}


@pytest.fixture
def courses():
    SessionFactory(course__title="PREVENT awareness", course__summary="Spotting radicalisation.")
    SessionFactory(course__title="Fire safety at home", course__summary="Smoke alarms and escape plans.")
    SessionFactory(
        course__title="Online harms",
        course__summary="Keeping children safe online.",
        course__description="Includes how the Prevent duty applies to online radicalisation.",
    )
    ELearningItemFactory(course__title="Neglect toolkit", course__summary="Using the neglect screening tool.")


def test_keywords_search_titles_summaries_and_descriptions(client, courses):
    assert titles_in(client) == set(TITLES)
    assert titles_in(client, q="prevent") == {"PREVENT awareness", "Online harms"}
    assert titles_in(client, q="smoke") == {"Fire safety at home"}
    assert titles_in(client, q="neglect") == {"Neglect toolkit"}
    assert titles_in(client, q="online radicalisation") == {"Online harms"}
    assert titles_in(client, q="nothing-like-this") == set()


def test_the_keywords_are_kept_in_the_box(client, courses):
    page = client.get(reverse("training:catalogue"), {"q": "prevent"}).content.decode()
    assert 'name="q"' in page and 'value="prevent"' in page


def test_the_dates_are_gov_uk_date_inputs_not_the_browsers_date_picker(client):
    page = client.get(reverse("training:catalogue")).content.decode()
    assert 'type="date"' not in page
    for name in ("date_from", "date_to"):
        for part in range(3):
            assert f'name="{name}_{part}"' in page
    assert "govuk-date-input" in page


def test_a_date_that_cannot_be_is_refused_in_words(client):
    response = client.get(
        reverse("training:catalogue"), {"date_from_0": "31", "date_from_1": "2", "date_from_2": "2030"}
    )
    page = response.content.decode()
    assert "<title>Error: " in page and "govuk-error-summary" in page
    assert "From date must be a real date" in page
    assert "out of range" not in page


def test_filtered_results_take_the_focus_and_an_unfiltered_page_does_not(client):
    SessionFactory(course__title="PREVENT awareness", starts_at=timezone.now() + dt.timedelta(days=3))
    plain = client.get(reverse("training:catalogue")).content.decode()
    assert 'id="results" tabindex="-1">' in plain
    assert 'action="/training/#results"' in plain
    filtered = client.get(reverse("training:catalogue"), {"q": "prevent"}).content.decode()
    assert 'id="results" tabindex="-1" autofocus>' in filtered


def test_an_e_learning_course_is_found_by_keyword_and_delivery(client):
    ELearningItemFactory(course__title="Neglect toolkit", course__delivery=Delivery.ELEARNING)
    CourseFactory(title="Neglect in person")
    assert titles_in(client, q="neglect", delivery="elearning") == {"Neglect toolkit"}
