"""Non-attendance charges: who is charged when the register closes, waivers, and the month's CSV for finance."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from apps.accounts.tests.factories import OrganisationFactory, UserFactory, make_role_user
from apps.audit.models import AuditEntry
from apps.training import charges, services
from apps.training.models import BankHoliday, BookingStatus, Charge, ChargeReason
from apps.training.tests.factories import BookingFactory, SessionFactory

pytestmark = pytest.mark.django_db

# Thursday 5 March 2026, 10am in London (GMT): two working days before is Tuesday 3 March, 10am.
START = dt.datetime(2026, 3, 5, 10, 0, tzinfo=dt.UTC)


def charged_session(trainer, starts_at=START, **kwargs):
    session = SessionFactory(
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=3),
        course__non_attendance_charge=Decimal("45.00"),
        course__charge_cancel_by_working_days=2,
        **kwargs,
    )
    session.trainers.set([trainer])
    return session


def book(session, name, *, cancelled_at=None, mark=None, by=None):
    first, last = name.split()
    booking = BookingFactory(session=session, person=UserFactory(first_name=first, last_name=last))
    if cancelled_at:
        booking.status, booking.cancelled_at = BookingStatus.CANCELLED, cancelled_at
        booking.save()
    if mark:
        services.mark_register(booking=booking, status=mark, by=by)
    return booking


def test_the_cancel_by_time_counts_working_days_back_over_a_weekend():
    monday = SessionFactory(starts_at=dt.datetime(2026, 3, 9, 10, 0, tzinfo=dt.UTC))
    assert charges.cancel_deadline(monday, 2) == dt.datetime(2026, 3, 5, 10, 0, tzinfo=dt.UTC)  # Thursday
    thursday = SessionFactory(starts_at=START)
    assert charges.cancel_deadline(thursday, 2) == dt.datetime(2026, 3, 3, 10, 0, tzinfo=dt.UTC)


def test_the_cancel_by_time_counts_bank_holidays_out():
    # Tuesday 5 May 2026, 10am in London (BST), the day after the Early May bank holiday (Monday 4 May).
    tuesday = dt.datetime(2026, 5, 5, 9, 0, tzinfo=dt.UTC)
    BankHoliday.objects.update_or_create(date=dt.date(2026, 5, 4), defaults={"name": "Early May bank holiday"})
    session = SessionFactory(starts_at=tuesday)
    # Two working days before: Friday 1 May and Thursday 30 April, so the cancel-by time is Thursday, 10am.
    assert charges.cancel_deadline(session, 2) == dt.datetime(2026, 4, 30, 9, 0, tzinfo=dt.UTC)
    assert charges.describe_deadline(session) == "Thursday 30 April 2026"


def test_a_cancellation_on_the_working_day_before_a_bank_holiday_is_charged_for_a_session_after_it():
    trainer = make_role_user("trainer")
    tuesday = dt.datetime(2026, 5, 5, 9, 0, tzinfo=dt.UTC)
    BankHoliday.objects.update_or_create(date=dt.date(2026, 5, 4), defaults={"name": "Early May bank holiday"})
    session = charged_session(trainer, starts_at=tuesday)
    with freeze_time(tuesday + dt.timedelta(hours=1)):
        in_time = book(session, "Ian Intime", cancelled_at=dt.datetime(2026, 4, 30, 8, 0, tzinfo=dt.UTC))
        friday = book(session, "Fay Friday", cancelled_at=dt.datetime(2026, 5, 1, 8, 0, tzinfo=dt.UTC))
        made = charges.close_register(session=session, by=trainer)
    assert [(charge.booking_id, charge.reason) for charge in made] == [(friday.pk, ChargeReason.CANCELLED_LATE)]
    assert in_time.pk not in {charge.booking_id for charge in made}


def test_closing_the_register_charges_no_shows_and_late_cancellations_only():
    trainer = make_role_user("trainer")
    session = charged_session(trainer)
    with freeze_time(START + dt.timedelta(hours=1)):
        attended = book(session, "Ann Attended", mark=BookingStatus.ATTENDED, by=trainer)
        in_time = book(session, "Ian Intime", cancelled_at=START - dt.timedelta(days=2, hours=1))
        late = book(session, "Lee Late", cancelled_at=START - dt.timedelta(days=1))
        marked_late = book(session, "Mo Marked", mark=BookingStatus.CANCELLED_LATE, by=trainer)
        no_show = book(session, "Nia Noshow", mark=BookingStatus.ABSENT, by=trainer)
        made = charges.close_register(session=session, by=trainer)

    by_booking = {charge.booking_id: charge for charge in made}
    assert attended.pk not in by_booking
    assert in_time.pk not in by_booking
    assert by_booking[late.pk].reason == ChargeReason.CANCELLED_LATE
    assert by_booking[marked_late.pk].reason == ChargeReason.CANCELLED_LATE
    assert by_booking[no_show.pk].reason == ChargeReason.NO_SHOW
    assert {charge.amount for charge in made} == {Decimal("45.00")}
    assert by_booking[no_show.pk].organisation == no_show.person.organisation
    session.refresh_from_db()
    assert session.register_closed_at is not None


def test_a_course_without_a_charge_charges_nobody():
    trainer = make_role_user("trainer")
    session = charged_session(
        trainer,
    )
    session.course.non_attendance_charge = None
    session.course.save()
    with freeze_time(START + dt.timedelta(hours=1)):
        book(session, "Nia Noshow", mark=BookingStatus.ABSENT, by=trainer)
        assert charges.close_register(session=session, by=trainer) == []
    assert Charge.objects.count() == 0


def test_the_register_cannot_close_with_people_unmarked_and_its_marks_are_final_once_closed():
    trainer = make_role_user("trainer")
    session = charged_session(trainer)
    with freeze_time(START + dt.timedelta(hours=1)):
        waiting = book(session, "Una Unmarked")
        with pytest.raises(charges.RegisterNotClosable, match="1 person is not marked yet"):
            charges.close_register(session=session, by=trainer)
        services.mark_register(booking=waiting, status=BookingStatus.ATTENDED, by=trainer)
        charges.close_register(session=session, by=trainer)
        with pytest.raises(services.RegisterNotOpen, match="closed"):
            services.mark_register(booking=waiting, status=BookingStatus.ABSENT, by=trainer)
        with pytest.raises(charges.RegisterNotClosable, match="already closed"):
            charges.close_register(session=session, by=trainer)


def test_the_register_cannot_close_before_the_session_starts():
    trainer = make_role_user("trainer")
    session = charged_session(trainer)
    with freeze_time(START - dt.timedelta(hours=1)), pytest.raises(charges.RegisterNotClosable, match="started"):
        charges.close_register(session=session, by=trainer)


def closed_with_a_no_show(name="Nia Noshow"):
    trainer = make_role_user("trainer")
    session = charged_session(trainer)
    with freeze_time(START + dt.timedelta(hours=1)):
        book(session, name, mark=BookingStatus.ABSENT, by=trainer)
        (charge,) = charges.close_register(session=session, by=trainer)
    return charge


def test_the_business_unit_waives_a_charge_with_a_reason_and_it_is_audited(client):
    charge = closed_with_a_no_show()
    officer = make_role_user("business_unit")
    client.force_login(officer)
    url = reverse("training:waive_charge", args=[charge.pk])
    empty = client.post(url, {"reason": ""})
    assert empty.status_code == 400 and "Enter why the charge is waived" in empty.content.decode()
    assert Charge.objects.get(pk=charge.pk).waived_at is None
    response = client.post(url, {"reason": "Snow closed the roads"})
    assert response.status_code == 302
    charge.refresh_from_db()
    assert charge.is_waived and charge.waiver_reason == "Snow closed the roads" and charge.waived_by == officer
    entry = AuditEntry.objects.get(detail="waived the charge")
    assert entry.reason == "Snow closed the roads"
    with pytest.raises(charges.WaiverRefused, match="already waived"):
        charges.waive_charge(charge=charge, reason="Again", by=officer)


def test_a_trainer_cannot_waive_a_charge():
    charge = closed_with_a_no_show()
    with pytest.raises(services.NotYourRegister):
        charges.waive_charge(charge=charge, reason="Kind", by=make_role_user("trainer"))


def test_the_months_csv_neutralises_formula_looking_names_and_marks_waivers(client):
    charge = closed_with_a_no_show("=HYPERLINK(x) Person")
    officer = make_role_user("business_unit")
    charges.waive_charge(charge=charge, reason="+1 reason", by=officer)
    client.force_login(officer)
    response = client.get(reverse("training:charges_csv", args=[2026, 3]))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["Organisation", "Person", "E-mail"]
    (row,) = rows[1:]
    assert row[1] == "'=HYPERLINK(x) Person"
    assert row[4] == "2026-03-05" and row[5] == "Did not attend" and row[6] == "45.00"
    assert row[7] == "Yes" and row[8] == "'+1 reason"
    assert AuditEntry.objects.filter(detail="non-attendance charges 2026-03 as CSV").exists()


def test_a_month_is_a_london_month_whatever_the_clocks_do():
    # 23:30 UTC on 31 March 2026 is 00:30 on 1 April in London (BST): an April charge.
    organisation = OrganisationFactory()
    charge = closed_with_a_no_show()
    Charge.objects.filter(pk=charge.pk).update(
        session_starts_at=dt.datetime(2026, 3, 31, 23, 30, tzinfo=dt.UTC), organisation=organisation
    )
    assert list(charges.charges_in_month(2026, 3)) == []
    assert list(charges.charges_in_month(2026, 4)) == [charge]
    # 00:30 UTC on 1 November 2026 is still 00:30 in London (GMT): November, not October.
    Charge.objects.filter(pk=charge.pk).update(session_starts_at=dt.datetime(2026, 11, 1, 0, 30, tzinfo=dt.UTC))
    assert list(charges.charges_in_month(2026, 10)) == []
    assert list(charges.charges_in_month(2026, 11)) == [charge]
    # 23:30 UTC on 31 October 2026 (after the clocks went back) is 23:30 in London: October.
    Charge.objects.filter(pk=charge.pk).update(session_starts_at=dt.datetime(2026, 10, 31, 23, 30, tzinfo=dt.UTC))
    assert list(charges.charges_in_month(2026, 10)) == [charge]


def test_the_charges_page_lists_charges_by_organisation_with_totals_leaving_out_waivers(client):
    first = closed_with_a_no_show("Nia Noshow")
    second = closed_with_a_no_show("Lee Late")
    officer = make_role_user("business_unit")
    charges.waive_charge(charge=second, reason="Illness", by=officer)
    client.force_login(officer)
    page = client.get(reverse("training:charges") + "?month=2026-03").content.decode()
    assert first.organisation.name in page and second.organisation.name in page
    assert "Nia Noshow" in page and "Did not attend" in page and "£45.00" in page
    assert "Waived" in page and "Illness" in page
    assert page.count("To charge: £45.00") == 1 and "To charge: £0" in page
    assert AuditEntry.objects.filter(detail="non-attendance charges of March 2026").exists()


def test_closing_the_register_from_its_page(client):
    trainer = make_role_user("trainer")
    now = timezone.now()
    session = charged_session(trainer)
    session.starts_at, session.ends_at = now - dt.timedelta(minutes=30), now + dt.timedelta(hours=1)
    session.save()
    book(session, "Nia Noshow", mark=BookingStatus.ABSENT, by=trainer)
    client.force_login(trainer)
    url = reverse("training:close_register", args=[session.pk])
    assert "charges the organisation" in client.get(url).content.decode()
    response = client.post(url, {})
    assert response.status_code == 302
    assert Charge.objects.filter(booking__session=session).count() == 1
    page = client.get(reverse("training:register", args=[session.pk])).content.decode()
    assert "The register was closed" in page and 'name="status"' not in page
