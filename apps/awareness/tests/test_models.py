import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from apps.awareness.models import AwarenessEvent
from apps.awareness.tests.factories import AwarenessEventFactory
from apps.core import dates

pytestmark = pytest.mark.django_db


def test_a_yearly_day_falls_on_the_same_date_every_year_from_its_first_year():
    event = AwarenessEventFactory.build(start_date=dt.date(2024, 3, 18), recurs_yearly=True)
    assert event.occurrence_in(2031).start == dt.date(2031, 3, 18)
    assert event.occurrence_in(2023) is None


def test_a_one_off_week_happens_only_in_its_own_year():
    event = AwarenessEventFactory.build(start_date=dt.date(2024, 3, 11), end_date=dt.date(2024, 3, 17))
    occurrence = event.occurrence_in(2024)
    assert (occurrence.start, occurrence.end) == (dt.date(2024, 3, 11), dt.date(2024, 3, 17))
    assert event.occurrence_in(2025) is None


def test_a_yearly_day_on_29_february_falls_on_the_last_day_of_february_in_other_years():
    event = AwarenessEventFactory.build(start_date=dt.date(2024, 2, 29), recurs_yearly=True)
    assert event.occurrence_in(2025).start == dt.date(2025, 2, 28)
    assert event.occurrence_in(2028).start == dt.date(2028, 2, 29)
    assert dates.format_yearly_dates(event.start_date) == "29 February (28 February when it is not a leap year)"


def test_a_yearly_week_keeps_its_length_when_it_repeats():
    event = AwarenessEventFactory.build(
        start_date=dt.date(2024, 12, 29), end_date=dt.date(2025, 1, 4), recurs_yearly=True
    )
    january = list(event.occurrences_between(dt.date(2026, 1, 1), dt.date(2026, 1, 31)))
    assert [(o.start, o.end) for o in january] == [(dt.date(2025, 12, 29), dt.date(2026, 1, 4))]


def test_the_next_occurrence_is_the_one_on_now_or_the_next_one():
    event = AwarenessEventFactory.build(
        start_date=dt.date(2024, 3, 11), end_date=dt.date(2024, 3, 17), recurs_yearly=True
    )
    assert event.next_occurrence(dt.date(2026, 3, 14)).start == dt.date(2026, 3, 11)
    assert event.next_occurrence(dt.date(2026, 3, 18)).start == dt.date(2027, 3, 11)
    one_off = AwarenessEventFactory.build(start_date=dt.date(2024, 3, 13))
    assert one_off.next_occurrence(dt.date(2024, 3, 14)) is None


def test_an_event_cannot_end_before_it_starts():
    event = AwarenessEventFactory.build(start_date=dt.date(2024, 3, 18), end_date=dt.date(2024, 3, 1))
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert error.value.message_dict["end_date"] == ["The last day must be the same as or after the first day"]
    with pytest.raises(IntegrityError):
        event.save()


def test_a_yearly_event_must_last_less_than_a_year():
    event = AwarenessEventFactory.build(
        start_date=dt.date(2024, 3, 1), end_date=dt.date(2025, 3, 1), recurs_yearly=True
    )
    with pytest.raises(ValidationError, match="must last less than a year"):
        event.full_clean()


def test_an_editor_who_leaves_the_address_empty_gets_one_made_from_the_title():
    AwarenessEventFactory(title="Safer Sleep Week", slug="safer-sleep-week")
    event = AwarenessEvent(
        title="Safer Sleep Week", slug="", start_date=dt.date(2025, 3, 10), organiser="Lullaby", description="x"
    )
    event.full_clean()
    assert event.slug == "safer-sleep-week-2"


def test_yearly_dates_read_in_govuk_style():
    assert dates.format_yearly_dates(dt.date(2024, 3, 18)) == "18 March"
    assert dates.format_yearly_dates(dt.date(2024, 3, 11), dt.date(2024, 3, 17)) == "11 to 17 March"
    assert dates.format_yearly_dates(dt.date(2024, 2, 26), dt.date(2024, 3, 3)) == "26 February to 3 March"
    assert dates.format_month(dt.date(2024, 3, 1)) == "March 2024"
