"""The one GOV.UK date input, used by referrals, early help and training, with the GOV.UK messages."""

from __future__ import annotations

import datetime as dt

from django import forms
from freezegun import freeze_time

from apps.core.forms import DateField


class LastSeen(forms.Form):
    date = DateField(label="Date last seen", what="the date the person was last seen", when="not_future")


class Session(forms.Form):
    date = DateField(label="Date", what="the date of the session", subject="Date of the session")


def errors(form_class, day, month, year):
    form = form_class({"date_0": day, "date_1": month, "date_2": year})
    form.is_valid()
    return form.errors.get("date")


def test_every_app_uses_the_one_date_field():
    from apps.earlyhelp import forms as earlyhelp_forms
    from apps.referrals import questions
    from apps.training import coordinator_forms
    from apps.training import forms as training_forms

    assert questions.missing_person.DateField is training_forms.DateField is earlyhelp_forms.DateField is DateField
    assert isinstance(training_forms.SessionForm.base_fields["date"], DateField)
    assert isinstance(coordinator_forms.BankHolidayForm.base_fields["date"], DateField)


@freeze_time("2026-12-02")
def test_the_messages_name_the_date_as_each_caller_words_it():
    assert errors(LastSeen, "", "", "") == ["Enter the date the person was last seen"]
    assert errors(Session, "", "", "") == ["Enter the date of the session"]
    assert errors(LastSeen, "", "3", "2026") == ["The date the person was last seen must include a day"]
    assert errors(Session, "4", "", "2026") == ["Date of the session must include a month"]
    assert errors(LastSeen, "31", "2", "2026") == ["The date the person was last seen must be a real date"]
    assert errors(Session, "31", "2", "2030") == ["Date of the session must be a real date"]
    assert errors(Session, "x", "2", "2030") == ["Date of the session must be a real date"]


@freeze_time("2026-12-02")
def test_a_year_needs_4_numbers_and_the_past_or_future_rule_is_kept():
    # Before, referrals said "must be after 1900" for a 2-number year, and training had no 1900 rule.
    assert errors(LastSeen, "1", "3", "26") == ["The date the person was last seen must include a year with 4 numbers"]
    assert errors(Session, "1", "3", "1850") == ["Date of the session must be after 1900"]
    assert errors(LastSeen, "3", "12", "2026") == ["The date the person was last seen must be today or in the past"]
    form = Session({"date_0": "3", "date_1": "12", "date_2": "2026"})
    assert form.is_valid() and form.cleaned_data["date"] == dt.date(2026, 12, 3)
