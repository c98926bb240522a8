"""The check-in and waiver forms speak to people too: walked like every other training form."""

from __future__ import annotations

import pytest

from apps.training import forms_ontheday
from apps.training.tests.test_form_messages import DJANGO_DEFAULTS, bad_values, bound, messages_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("cls", [forms_ontheday.CheckInForm, forms_ontheday.WaiveChargeForm])
def test_empty_and_wrong_input_get_messages_naming_the_field(cls):
    empty = bound(cls, {}, {}, {})
    shown = messages_of(empty)
    assert shown, "an empty form is refused"
    for round_ in range(4):
        data = {name: bad_values(field)[round_] for name, field in empty.fields.items()}
        shown += messages_of(bound(cls, {}, data, {}))
    assert not [m for m in shown if any(text in m for text in DJANGO_DEFAULTS)]
    assert any("check-in code" in m or "why the charge" in m or "reason" in m for m in shown)
