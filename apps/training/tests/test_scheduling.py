"""Scheduling many sessions: the dates of each pattern, the warnings a coordinator sees, and saving all or none."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from freezegun import freeze_time

from apps.accounts.tests.factories import make_role_user
from apps.audit.models import AuditEntry
from apps.core.dates import LONDON, to_london
from apps.training import scheduling
from apps.training.coordinator_forms import ScheduleForm, parse_date_line
from apps.training.models import BankHoliday, Session
from apps.training.tests.factories import CourseFactory, SessionFactory

pytestmark = pytest.mark.django_db

TUESDAY = 1


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute)).replace(tzinfo=LONDON)


def plan_of(course, dates, *, trainers=(), venue="West Offices, York", start=dt.time(10), end=dt.time(12)):
    return scheduling.plan(
        course=course,
        dates=dates,
        start_time=start,
        end_time=end,
        trainers=list(trainers),
        venue=venue,
        capacity=20,
        joining_link="",
        cancellation_cutoff_hours=24,
        booking_closes_hours=0,
    )


# --- Dates of a pattern -------------------------------------------------------------------------


def test_weekly_sessions_stay_at_10am_london_across_the_clocks_going_back():
    dates = scheduling.weekly_dates(dt.date(2030, 10, 15), 4)  # the clocks go back on 27 October 2030
    planned = plan_of(CourseFactory(), dates).sessions
    assert [to_london(p.starts_at).hour for p in planned] == [10, 10, 10, 10]
    # In UTC that is 9am while British Summer Time lasts, then 10am.
    assert [p.starts_at.astimezone(dt.UTC).hour for p in planned] == [9, 9, 10, 10]


def test_monthly_on_the_second_tuesday():
    dates, skipped = scheduling.monthly_dates(dt.date(2030, 1, 1), 3, TUESDAY, 2)
    assert dates == [dt.date(2030, 1, 8), dt.date(2030, 2, 12), dt.date(2030, 3, 12)]
    assert skipped == []


def test_a_month_without_a_fifth_tuesday_is_skipped_and_said_so():
    # July 2030 has five Tuesdays (2, 9, 16, 23, 30); August and September 2030 have four.
    dates, skipped = scheduling.monthly_dates(dt.date(2030, 7, 1), 3, TUESDAY, 5)
    assert dates == [dt.date(2030, 7, 30)]
    assert [s.reason for s in skipped] == ["August 2030 has no fifth Tuesday", "September 2030 has no fifth Tuesday"]


def test_the_last_weekday_of_the_month_and_a_year_boundary():
    dates, _ = scheduling.monthly_dates(dt.date(2030, 11, 1), 3, 4, scheduling.LAST)  # last Friday
    assert dates == [dt.date(2030, 11, 29), dt.date(2030, 12, 27), dt.date(2031, 1, 31)]


def test_a_first_date_after_that_months_nth_weekday_starts_the_next_month():
    dates, skipped = scheduling.monthly_dates(dt.date(2030, 1, 20), 2, TUESDAY, 2)
    assert dates == [dt.date(2030, 2, 12)]
    assert skipped[0].reason == "The second Tuesday of January 2030 is before the first date"


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("13/1/2031", dt.date(2031, 1, 13)),
        ("13 01 2031", dt.date(2031, 1, 13)),
        ("2031-01-13", dt.date(2031, 1, 13)),
        ("13 January 2031", dt.date(2031, 1, 13)),
        ("31/2/2031", None),
        ("next Tuesday", None),
    ],
)
def test_dates_as_people_type_them(typed, day):
    assert parse_date_line(typed) == day


# --- Warnings ------------------------------------------------------------------------------------


def test_a_bank_holiday_is_warned_of_by_name():
    BankHoliday.objects.update_or_create(date=dt.date(2030, 5, 27), defaults={"name": "Spring bank holiday"})
    planned = plan_of(CourseFactory(), [dt.date(2030, 5, 20), dt.date(2030, 5, 27)]).sessions
    assert planned[0].warnings == []
    assert planned[1].warnings == ["Bank holiday: Spring bank holiday"]


def test_the_published_bank_holidays_are_in_the_table():
    # Seeded by the migration, from gov.uk/bank-holidays (England and Wales).
    assert BankHoliday.objects.get(date=dt.date(2026, 12, 28)).name == "Boxing Day (substitute day)"
    assert BankHoliday.objects.get(date=dt.date(2027, 3, 26)).name == "Good Friday"
    assert BankHoliday.objects.filter(date__year=2028).count() == 8


def test_a_duplicate_of_the_courses_own_session_is_warned_of():
    course = CourseFactory()
    SessionFactory(course=course, starts_at=at(dt.date(2030, 6, 4), 10), ends_at=at(dt.date(2030, 6, 4), 12))
    planned = plan_of(course, [dt.date(2030, 6, 4), dt.date(2030, 6, 11)]).sessions
    assert planned[0].warnings == [
        "The course already has a session at this time (Tuesday 4 June 2030, 10am to midday)"
    ]
    assert planned[1].warnings == []


def test_a_trainer_already_booked_is_warned_of_after_the_clocks_go_back_and_touching_times_do_not_clash():
    trainer = make_role_user("trainer", first_name="Sam", last_name="Okafor")
    other = CourseFactory(title="Neglect toolkit")
    # Weekly from 22 October 2030, 10am to midday London; the clocks go back on 27 October.
    # 12 November: the trainer teaches 11am to midday London (11:00 UTC). Adding weeks in UTC to the first
    # session (09:00 UTC in summer time) would put the session at 9 to 11 UTC and miss this clash.
    SessionFactory(
        course=other, starts_at=at(dt.date(2030, 11, 12), 11), ends_at=at(dt.date(2030, 11, 12), 12)
    ).trainers.set([trainer])
    # 5 November: the trainer starts elsewhere at midday, when this session ends: no clash.
    SessionFactory(
        course=other, starts_at=at(dt.date(2030, 11, 5), 12), ends_at=at(dt.date(2030, 11, 5), 14)
    ).trainers.set([trainer])
    planned = plan_of(
        CourseFactory(), scheduling.weekly_dates(dt.date(2030, 10, 22), 4), trainers=[trainer], venue="Elsewhere"
    ).sessions
    assert [p.date for p in planned if p.warnings] == [dt.date(2030, 11, 12)]
    assert planned[3].warnings == [
        "Sam Okafor is already training Neglect toolkit (Tuesday 12 November 2030, 11am to midday)"
    ]


def test_a_venue_already_booked_is_warned_of_across_the_clocks_going_forward():
    # The clocks go forward on 31 March 2030. 2pm London is 13:00 UTC after the change.
    day = dt.date(2030, 4, 2)
    SessionFactory(
        course=CourseFactory(title="Prevent awareness"),
        starts_at=at(day, 13, 30),
        ends_at=at(day, 15),
        venue="west offices, york",
    )
    planned = plan_of(CourseFactory(), [dt.date(2030, 3, 26), day], start=dt.time(14), end=dt.time(16)).sessions
    assert planned[0].warnings == []
    assert planned[1].warnings == [
        "The venue is already booked for Prevent awareness (Tuesday 2 April 2030, 1:30pm to 3pm)"
    ]


def test_a_cancelled_session_is_no_clash():
    course = CourseFactory()
    day = dt.date(2030, 6, 4)
    SessionFactory(course=course, starts_at=at(day, 10), ends_at=at(day, 12), status="cancelled")
    assert plan_of(course, [day]).sessions[0].warnings == []


# --- The form and saving -------------------------------------------------------------------------


def form_data(**changes) -> dict:
    data = {
        "pattern": "weekly",
        "first_date_0": "7",
        "first_date_1": "1",
        "first_date_2": "2031",
        "count": "3",
        "start_time": "10:00",
        "end_time": "12:00",
        "capacity": "20",
        "venue": "West Offices, York",
        "cancellation_cutoff_hours": "24",
        "booking_closes_hours": "0",
    }
    data.update(changes)
    return data


@freeze_time("2031-01-01 12:00")
def test_past_dates_are_refused_as_the_single_session_form_refuses_them():
    course = CourseFactory()
    form = ScheduleForm(form_data(first_date_2="2030"), course=course)
    assert not form.is_valid()
    assert form.errors["first_date"] == ["Date of the first session must be today or in the future"]
    form = ScheduleForm(form_data(pattern="dates", dates="2/1/2031\n31/12/2030\n\n30/12/2030"), course=course)
    assert not form.is_valid()
    assert form.errors["dates"] == ["Dates must be today or in the future: 30 December 2030, 31 December 2030 are past"]
    form = ScheduleForm(form_data(first_date_0="1", first_date_2="2031", start_time="09:00"), course=course)
    assert not form.is_valid()
    assert form.errors["start_time"] == ["Start time must be later than now"]


def test_the_form_names_what_a_monthly_pattern_needs_and_a_wrong_date_line():
    course = CourseFactory()
    form = ScheduleForm(form_data(pattern="monthly", count=""), course=course)
    assert not form.is_valid()
    assert form.errors["count"] == ["Enter how many months"]
    assert form.errors["nth"] == ["Choose the week of the month, for example second"]
    assert form.errors["weekday"] == ["Choose the day of the week"]
    form = ScheduleForm(form_data(pattern="dates", dates="13/1/2031\n31/2/2031"), course=course)
    assert not form.is_valid()
    assert form.errors["dates"] == ["Dates must be real dates, like 13/1/2027: check line 2 (“31/2/2031”)"]


def test_saving_adds_every_session_with_one_audit_entry_each(settings):
    course = CourseFactory()
    coordinator = make_role_user("business_unit")
    plan = plan_of(course, scheduling.weekly_dates(dt.date(2030, 10, 15), 4))
    created = scheduling.save_plan(plan=plan, by=coordinator)
    assert [s.number for s in created] == [1, 2, 3, 4]
    assert all(to_london(s.starts_at).hour == 10 for s in Session.objects.filter(course=course))
    assert AuditEntry.objects.filter(object_type="training.session", action="create").count() == 4


def test_a_failure_part_way_adds_no_session(monkeypatch):
    course = CourseFactory()
    plan = plan_of(course, scheduling.weekly_dates(dt.date(2030, 10, 15), 3))
    calls = []
    real = scheduling.record

    def failing(**kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("the database went away")
        return real(**kwargs)

    monkeypatch.setattr(scheduling, "record", failing)
    with pytest.raises(RuntimeError):
        scheduling.save_plan(plan=plan, by=make_role_user("business_unit"))
    assert Session.objects.filter(course=course).count() == 0


def test_scheduled_sessions_number_on_from_the_courses_last_and_keep_their_trainers():
    course = CourseFactory()
    SessionFactory(course=course, number=4)
    trainer = make_role_user("trainer")
    plan = plan_of(course, [dt.date(2030, 6, 4), dt.date(2030, 6, 11)], trainers=[trainer])
    created = scheduling.save_plan(plan=plan, by=make_role_user("business_unit"))
    assert [s.number for s in created] == [5, 6]
    assert all(list(s.trainers.all()) == [trainer] for s in Session.objects.filter(pk__in=[s.pk for s in created]))


def test_preview_then_add_through_the_pages(client):
    client.force_login(make_role_user("business_unit"))
    course = CourseFactory()
    BankHoliday.objects.update_or_create(date=dt.date(2031, 1, 14), defaults={"name": "An extra bank holiday"})
    url = reverse("training:schedule", args=[course.slug])
    preview = client.post(url, form_data())
    assert preview.status_code == 200
    page = preview.content.decode()
    assert "Check the 3 sessions" in page
    assert "Bank holiday: An extra bank holiday" in page
    assert Session.objects.filter(course=course).count() == 0
    # "Change the pattern" gives back the form with everything typed.
    changed = client.post(url, {**form_data(), "action": "change"}).content.decode()
    assert 'value="West Offices, York"' in changed and "Preview the sessions" in changed
    done = client.post(url, {**form_data(), "action": "confirm"})
    assert done.status_code == 302
    assert Session.objects.filter(course=course).count() == 3


def test_the_schedule_page_shows_errors_with_the_fields(client):
    client.force_login(make_role_user("business_unit"))
    course = CourseFactory()
    page = client.post(reverse("training:schedule", args=[course.slug]), {"pattern": "weekly"}).content.decode()
    assert "There is a problem" in page
    assert "Enter the date of the first session" in page
    assert "Enter the venue for these sessions in person" in page


def test_bank_holidays_are_kept_by_the_business_unit(client):
    client.force_login(make_role_user("business_unit"))
    url = reverse("training:bank_holidays")
    added = client.post(url, {"date_0": "5", "date_1": "5", "date_2": "2031", "name": "Early May bank holiday"})
    assert added.status_code == 302
    holiday = BankHoliday.objects.get(date=dt.date(2031, 5, 5))
    again = client.post(url, {"date_0": "5", "date_1": "5", "date_2": "2031", "name": "Twice"}).content.decode()
    assert "Monday 5 May 2031" not in again or "already in the list" in again
    assert "5 May 2031 is already in the list" in again
    client.post(reverse("training:bank_holiday_delete", args=[holiday.pk]))
    assert not BankHoliday.objects.filter(date=dt.date(2031, 5, 5)).exists()
    assert AuditEntry.objects.filter(object_type="training.bankholiday").count() == 2
