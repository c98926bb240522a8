"""The attendance demo: two schools' terms through the real import, five pupils who are the demo early help
children (linked by UPN), the attendance team's and the school uploader's accounts; loading twice changes nothing.
The sample files in the repository import as they are."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.accounts.models import User
from apps.accounts.permissions import can
from apps.audit.models import AuditEntry
from apps.demo import accounts
from apps.earlyhelp import demo as earlyhelp_demo
from apps.referrals import demo as referrals_demo

from .. import demo, services
from ..models import Pupil, PupilTerm, School, Upload

pytestmark = pytest.mark.django_db
SAMPLES = Path(__file__).resolve().parent.parent / "samples"


@pytest.fixture
def loaded():
    accounts.load()
    referrals_demo.load()
    earlyhelp_demo.load()
    demo.load()


def test_the_demo_has_two_schools_terms_and_loading_again_changes_nothing(loaded, client):
    before = (Upload.objects.count(), PupilTerm.objects.count(), AuditEntry.objects.count())
    demo.load()
    assert (Upload.objects.count(), PupilTerm.objects.count(), AuditEntry.objects.count()) == before
    assert School.objects.count() == 2 and Upload.objects.count() == 8
    assert Pupil.objects.count() == 2 * demo.PUPILS_PER_SCHOOL

    team = User.objects.get(email="attendance.team@example.org")
    officer = User.objects.get(email="attendance.officer@example.org")
    assert can(team, "attendance.upload") and can(officer, "attendance.upload")
    fulford = School.objects.get(organisation__name="Fulford Vale Academy")
    clifton = Pupil.objects.filter(school__organisation__name="Clifton Green Primary School").first()
    assert not can(officer, "attendance.view_pupil", clifton)
    assert can(officer, "attendance.view_pupil", fulford.pupils.first())

    lead = User.objects.get(email=earlyhelp_demo.LEAD)
    tobias = Pupil.objects.get(upn="T816212224900")
    client.force_login(lead)
    page = client.get(reverse("attendance:pupil", kwargs={"pk": tobias.pk})).content.decode()
    assert "found by UPN" in page and "Brambleworth" in page


@pytest.mark.parametrize(("kind", "name"), [("termly", "termly"), ("daily", "daily")])
def test_the_sample_files_import(loaded, kind, name):
    officer = User.objects.get(email="attendance.officer@example.org")
    school = School.objects.get(organisation__name="Fulford Vale Academy")
    path = SAMPLES / {"termly": "termly-attendance-sample.csv", "daily": "daily-sessions-sample.csv"}[name]
    upload = services.import_attendance(
        school=school,
        academic_year=2025,
        term=2,
        kind=kind,
        uploaded=SimpleUploadedFile(path.name, path.read_bytes(), "text/csv"),
        by=officer,
    )
    assert upload.pupils == (12 if kind == "termly" else 4)
