"""Extracts nobody decided on: after a week the file and the checked rows go, and the extract says so."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from apps.accounts.tests.factories import OrganisationFactory
from apps.audit.models import AuditEntry
from apps.linkage import extracts, services, tasks
from apps.linkage.models import AgencyExtract, PersonRecord
from apps.linkage.tests.factories import supporting_families_member

pytestmark = pytest.mark.django_db

CSV = "Client ID,Forename,Surname,DOB\nH1,Amelia,Smith,07/03/2015\nH2,Oliver,Brown,31/02/2015\n"
UPLOADED = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def team_member(settings, tmp_path):
    settings.PROTECTED_MEDIA_ROOT = tmp_path
    return supporting_families_member()


def upload(by, name="health.csv"):
    return services.start_extract(
        uploaded=SimpleUploadedFile(name, CSV.encode(), content_type="text/csv"),
        organisation=OrganisationFactory(name="York Hospital"),
        by=by,
    )


@pytest.fixture
def waiting(team_member):
    """Uploaded on 2 March: one never mapped, one checked and never decided, one imported, one discarded."""
    with freeze_time(UPLOADED):
        never_mapped = upload(team_member)
        never_decided = upload(team_member)
        never_decided = services.check_extract(
            extract=never_decided, mapping=never_decided.column_mapping, by=team_member
        )
        imported = upload(team_member)
        imported = services.check_extract(extract=imported, mapping=imported.column_mapping, by=team_member)
        imported = services.import_extract(extract=imported, by=team_member)
    with freeze_time(UPLOADED + dt.timedelta(days=1)):
        discarded = services.discard_extract(extract=upload(team_member), by=team_member)
    with freeze_time(UPLOADED + dt.timedelta(days=6)):
        recent = upload(team_member)
    assert Path(never_mapped.stored_path).exists() and never_decided.checked_rows
    return {
        "never_mapped": never_mapped,
        "never_decided": never_decided,
        "imported": imported,
        "discarded": discarded,
        "recent": recent,
    }


def test_the_clean_up_runs_every_hour():
    assert ("apps.linkage.tasks.expire_undecided_extracts", 3600) in django_settings.HUB_PERIODIC_TASKS


def test_nothing_goes_before_a_week_has_passed(waiting, django_capture_on_commit_callbacks):
    with freeze_time(UPLOADED + dt.timedelta(days=6, hours=23)), django_capture_on_commit_callbacks(execute=True):
        assert tasks.expire_undecided_extracts.call() == 0
    assert Path(waiting["never_mapped"].stored_path).exists()
    assert AgencyExtract.objects.get(pk=waiting["never_decided"].pk).checked_rows


def test_after_a_week_the_file_and_the_checked_rows_are_deleted_and_audited(
    waiting, django_capture_on_commit_callbacks
):
    stored = Path(waiting["never_mapped"].stored_path)
    later = UPLOADED + dt.timedelta(days=7, minutes=1)
    with freeze_time(later), django_capture_on_commit_callbacks(execute=True):
        assert tasks.expire_undecided_extracts.call() == 2

    assert not stored.exists()
    for name in ("never_mapped", "never_decided"):
        extract = AgencyExtract.objects.get(pk=waiting[name].pk)
        assert extract.status == AgencyExtract.Status.EXPIRED
        assert (extract.stored_path, extract.checked_rows, extract.imported_count) == ("", [], 0)
        assert extract.decided_at == later
        entry = AuditEntry.objects.filter(object_type="linkage.agencyextract", object_id=str(extract.pk)).latest(
            "sequence"
        )
        assert entry.action == "delete" and "not decided within 7 days" in entry.detail
        assert entry.actor_id is None and entry.actor_label == "Clean-up of undecided extracts"
    assert (
        "columns never mapped"
        in AuditEntry.objects.filter(object_id=str(waiting["never_mapped"].pk)).latest("sequence").detail
    )
    # What was decided, and what is younger than a week, is left as it was.
    assert AgencyExtract.objects.get(pk=waiting["imported"].pk).status == AgencyExtract.Status.IMPORTED
    assert PersonRecord.objects.filter(extract=waiting["imported"]).count() == 1
    assert AgencyExtract.objects.get(pk=waiting["discarded"].pk).status == AgencyExtract.Status.DISCARDED
    recent = AgencyExtract.objects.get(pk=waiting["recent"].pk)
    assert recent.status == AgencyExtract.Status.MAPPING and Path(recent.stored_path).exists()

    with freeze_time(later + dt.timedelta(hours=1)):
        assert tasks.expire_undecided_extracts.call() == 0


def test_an_expired_extract_can_no_longer_be_imported_and_its_page_says_why(
    client, team_member, waiting, django_capture_on_commit_callbacks
):
    with freeze_time(UPLOADED + dt.timedelta(days=8)), django_capture_on_commit_callbacks(execute=True):
        services.expire_undecided_extracts()
    never_decided = waiting["never_decided"]
    with pytest.raises(extracts.ExtractProblem, match="already been imported or discarded"):
        services.import_extract(extract=never_decided, by=team_member)
    with pytest.raises(extracts.ExtractProblem, match="already been imported or discarded"):
        services.discard_extract(extract=never_decided, by=team_member)
    assert not PersonRecord.objects.filter(extract=never_decided).exists()

    client.force_login(team_member)
    page = client.get(reverse("linkage:extract_check", kwargs={"pk": never_decided.pk})).content.decode()
    assert "nobody decided within 7 days, so the file and its rows were deleted" in page
    assert "Import the" not in page
    mapping = client.get(reverse("linkage:extract_mapping", kwargs={"pk": waiting["never_mapped"].pk}))
    assert mapping.url == reverse("linkage:extract_check", kwargs={"pk": waiting["never_mapped"].pk})
    home = client.get(reverse("linkage:home")).content.decode()
    assert "nothing imported: not decided within 7 days" in home


def test_an_extract_expired_while_its_columns_were_being_mapped_keeps_no_rows(team_member, monkeypatch):
    with freeze_time(UPLOADED):
        extract = upload(team_member)
    read = extracts.check_extract

    def expire_meanwhile(*args, **kwargs):
        checked = read(*args, **kwargs)
        with freeze_time(UPLOADED + dt.timedelta(days=8)):
            services.expire_undecided_extracts()
        return checked

    monkeypatch.setattr(extracts, "check_extract", expire_meanwhile)
    with freeze_time(UPLOADED + dt.timedelta(days=7, seconds=-1)), pytest.raises(extracts.ExtractProblem):
        services.check_extract(extract=extract, mapping=extract.column_mapping, by=team_member)
    extract.refresh_from_db()
    assert (extract.status, extract.checked_rows) == (AgencyExtract.Status.EXPIRED, [])


def test_an_upload_file_no_extract_holds_is_removed_once_a_week_old(team_member):
    folder = django_settings.PROTECTED_MEDIA_ROOT / "linkage-uploads"
    folder.mkdir(parents=True, exist_ok=True)
    old, new = folder / "left-by-a-failed-upload.csv", folder / "being-uploaded.csv"
    for path in (old, new):
        path.write_text(CSV)
    eight_days_ago = (timezone.now() - dt.timedelta(days=8)).timestamp()
    os.utime(old, (eight_days_ago, eight_days_ago))
    held = upload(team_member)
    os.utime(held.stored_path, (eight_days_ago, eight_days_ago))  # its extract is new: the file is its own

    services.expire_undecided_extracts()
    assert not old.exists()
    assert new.exists() and Path(held.stored_path).exists()
