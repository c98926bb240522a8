"""The demo: two agencies' records, a trained model, a queue to review, and a school's extract to import."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from apps.accounts.models import User
from apps.demo import accounts
from apps.linkage import demo, services
from apps.linkage.models import CandidatePair, LinkageModelVersion, LinkageRun, Person, PersonRecord

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        PersonRecord.objects.count(),
        Person.objects.count(),
        LinkageModelVersion.objects.count(),
        LinkageRun.objects.count(),
        sorted(CandidatePair.objects.values_list("record_a", "record_b", "status")),
    )


@pytest.fixture
def loaded(settings, tmp_path):
    settings.BASE_DIR = tmp_path
    settings.PROTECTED_MEDIA_ROOT = tmp_path / "protected"
    accounts.load()
    demo.load()
    return tmp_path


def test_the_demo_has_records_a_model_and_pairs_waiting_for_review(loaded):
    assert PersonRecord.objects.count() > 200
    assert LinkageModelVersion.objects.count() == 1
    assert CandidatePair.objects.filter(status=CandidatePair.Status.QUEUED).exists()
    assert CandidatePair.objects.filter(status=CandidatePair.Status.LINKED).exists()


def test_loading_the_demo_twice_changes_nothing(loaded):
    before = snapshot()
    demo.load()
    assert snapshot() == before


def test_the_supporting_families_demo_user_can_import_the_schools_extract(loaded):
    path = demo.extract_path()
    assert path == Path(loaded) / "var" / "demo" / "linkage" / demo.EXTRACT_NAME
    with open(path, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows and rows[0].keys() >= {"Pupil ID", "Forename", "Surname", "DOB"}

    from django.core.files.uploadedfile import SimpleUploadedFile

    user = User.objects.get(email="supporting.families@example.org")
    school = demo.AGENCIES["school"]
    from apps.accounts.models import Organisation

    extract = services.start_extract(
        uploaded=SimpleUploadedFile(demo.EXTRACT_NAME, path.read_bytes()),
        organisation=Organisation.objects.get(name=school),
        by=user,
    )
    assert extract.column_mapping["agency_reference"] == "Pupil ID"
    extract = services.check_extract(extract=extract, mapping=extract.column_mapping, by=user)
    assert {5, 9} <= {problem["line"] for problem in extract.problems}  # the two planted bad rows
    extract = services.import_extract(extract=extract, by=user)
    run = services.link_people(by=user)
    assert run.auto_linked > 0
    school_records = PersonRecord.objects.filter(organisation__name=school)
    assert school_records.count() == extract.imported_count
    joined = sum(1 for record in school_records if record.person.records.count() > 1)
    assert joined > extract.imported_count / 2


def test_the_partner_forms_demo_sends_its_subjects_into_linkage_once(settings, tmp_path):
    from apps.referrals import demo as referrals_demo
    from apps.referrals.models import Submission

    settings.BASE_DIR = tmp_path
    settings.PROTECTED_MEDIA_ROOT = tmp_path / "protected"
    accounts.load()
    referrals_demo.load()
    demo.load()
    from_forms = PersonRecord.objects.filter(source="referrals")
    # Missing person, MHA and welfare check people and TIS children; not intelligence nor the follow-up.
    expected = Submission.objects.filter(
        follows__isnull=True,
        form_type__in=["missing_person", "mha_assessment", "welfare_check", "targeted_intervention"],
    ).count()
    assert expected and from_forms.count() == expected
    assert {record.source_label for record in from_forms} == {
        f"Partner forms from {User.objects.get(email='practitioner@example.org').organisation.name}"
    }
    before = snapshot()
    referrals_demo.load()
    demo.load()
    services.sync_sources()
    assert snapshot() == before


def test_loading_the_demo_retrains_a_model_saved_for_an_older_set_up_of_the_hub(loaded):
    old = LinkageModelVersion.objects.get()
    LinkageModelVersion.objects.filter(pk=old.pk).update(model_json={**old.model_json, "hub_setup": "hub-5"})
    demo.load()
    newest = services.current_model()
    assert newest.version == old.version + 1
    compared = [comparison["output_column_name"] for comparison in newest.model_json["comparisons"]]
    assert "nhs_number" in compared
