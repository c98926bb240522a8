"""Every look at something about a named person is in the audit trail: the business unit or an admin
opening another person's booking or certificate is recorded; a person looking at their own is not."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.accounts.tests.factories import make_role_user
from apps.audit.models import AuditAction, AuditEntry
from apps.training.models import BookingStatus, Certificate
from apps.training.tests.factories import BookingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def certified():
    booking = BookingFactory(status=BookingStatus.ATTENDED)
    Certificate.objects.create(booking=booking, code=Certificate.new_code())
    return booking


@pytest.mark.parametrize("role", ["business_unit", "system_admin"])
def test_an_organiser_opening_another_persons_booking_and_certificate_is_audited(client, certified, role):
    organiser = make_role_user(role)
    client.force_login(organiser)

    assert client.get(reverse("training:booking", args=[certified.pk])).status_code == 200
    assert client.get(reverse("training:certificate", args=[certified.pk])).status_code == 200

    viewed = AuditEntry.objects.filter(action=AuditAction.VIEW, actor_id=organiser.pk)
    booking_view = viewed.get(object_type="training.booking")
    assert booking_view.object_id == str(certified.pk) and "booking" in booking_view.detail
    certificate_view = viewed.get(object_type="training.certificate")
    assert certificate_view.object_label == f"certificate {certified.certificate.code}"


def test_a_person_looking_at_their_own_booking_and_certificate_is_not_audited(client, certified):
    client.force_login(certified.person)
    client.get(reverse("training:booking", args=[certified.pk]))
    client.get(reverse("training:certificate", args=[certified.pk]))
    assert not AuditEntry.objects.filter(action=AuditAction.VIEW).exists()
