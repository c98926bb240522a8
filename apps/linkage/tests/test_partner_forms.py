"""The people named in partner forms reach record linkage, with where they came from."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from apps.accounts.tests.factories import OrganisationFactory, UserFactory
from apps.audit.models import AuditEntry
from apps.linkage import services, sources
from apps.linkage.models import PersonRecord
from apps.linkage.tests.factories import supporting_families_member
from apps.referrals.models import FormType
from apps.referrals.samples import sample_answers
from apps.referrals.sources import PartnerFormSubjects, people_in, split_name
from apps.referrals.tests.factories import submit_sample

pytestmark = pytest.mark.django_db


def snapshot():
    return sorted(
        PersonRecord.objects.values_list(
            "source", "source_reference", "first_name", "surname", "date_of_birth", "address", "postcode", "agency"
        )
    )


@pytest.fixture
def school_practitioner():
    return UserFactory(organisation=OrganisationFactory(name="Clifton Green Primary School"))


def test_partner_forms_are_a_registered_source_of_linkage():
    (source,) = [source for source in sources.registered() if source.key == "referrals"]
    assert isinstance(source, PartnerFormSubjects)
    assert sources.label_of("referrals") == "Partner forms"


def test_the_people_two_forms_name_are_copied_in_once_with_where_they_came_from(school_practitioner):
    welfare = submit_sample(FormType.WELFARE_CHECK, by=school_practitioner)
    family = submit_sample(FormType.TARGETED_INTERVENTION, by=school_practitioner, variant=1)

    assert services.sync_sources() == 2
    person = PersonRecord.objects.get(source="referrals", source_reference=f"{welfare.reference}:person")
    assert (person.first_name, person.middle_names, person.surname) == ("Jordan", "", "Avery")
    assert person.date_of_birth is None  # the partner gave an age, not a date of birth
    assert (person.address, person.postcode) == ("3 Sample Close, York", "YO24 0ZZ")
    assert person.organisation is None and person.extract is None
    assert person.source_label == "Partner forms from Clifton Green Primary School"
    child = PersonRecord.objects.get(source="referrals", source_reference=f"{family.reference}:child-1")
    assert (child.first_name, child.surname, child.date_of_birth) == ("Casey", "Morgan", dt.date(2013, 9, 14))
    assert (child.address, child.postcode) == ("7 Placeholder Street, York", "YO31 0YY")
    assert AuditEntry.objects.filter(
        object_type="linkage.personrecord", object_id=str(child.pk), detail="from Partner forms"
    ).exists()

    before, entries = snapshot(), AuditEntry.objects.count()
    assert services.sync_sources() == 0
    assert snapshot() == before
    assert AuditEntry.objects.count() == entries


def test_a_follow_up_adds_nobody_and_intelligence_free_text_is_not_a_person(school_practitioner):
    report = submit_sample(FormType.MISSING_PERSON, by=school_practitioner)
    submit_sample(FormType.MISSING_PERSON_UPDATE, by=school_practitioner, original=report.reference)
    submit_sample(FormType.PERSON_RETURNED, by=school_practitioner, original=report.reference)
    submit_sample(FormType.COMMUNITY_INTELLIGENCE, by=school_practitioner)

    services.sync_sources()
    (record,) = PersonRecord.objects.filter(source="referrals")
    assert record.source_reference == f"{report.reference}:person"
    assert (record.first_name, record.surname, record.date_of_birth) == ("Jordan", "Avery", dt.date(2011, 3, 27))
    assert record.address == ""  # the carer's address is the carer's


def test_where_an_mha_assessment_will_be_is_not_taken_for_the_persons_home(school_practitioner):
    assessment = submit_sample(FormType.MHA_ASSESSMENT, by=school_practitioner)
    services.sync_sources()
    record = PersonRecord.objects.get(source_reference=f"{assessment.reference}:person")
    assert (record.first_name, record.surname, record.date_of_birth) == ("Jordan", "Avery", dt.date(1984, 7, 2))
    assert (record.address, record.postcode) == ("", "")


def test_a_records_page_in_linkage_shows_which_form_and_organisation_it_came_from(client, school_practitioner):
    welfare = submit_sample(FormType.WELFARE_CHECK, by=school_practitioner, variant=2)
    services.sync_sources()
    record = PersonRecord.objects.get(source_reference=f"{welfare.reference}:person")
    client.force_login(supporting_families_member())
    page = client.get(reverse("linkage:person_detail", kwargs={"pk": record.person_id})).content.decode()
    assert "Riley" in page and "Hughes" in page
    assert "Partner forms from Clifton Green Primary School" in page
    assert f"record {welfare.reference}:person" in page


def test_each_linkage_run_copies_in_the_forms_sent_since_the_last(school_practitioner, trained_model):
    services.save_model_version(model=trained_model, record_count=500)
    first = submit_sample(FormType.WELFARE_CHECK, by=school_practitioner)
    services.link_people()
    assert list(PersonRecord.objects.values_list("source_reference", flat=True)) == [f"{first.reference}:person"]
    second = submit_sample(FormType.MISSING_PERSON, by=school_practitioner, variant=1)
    run = services.link_people()
    assert run.record_count == 2
    assert PersonRecord.objects.filter(source_reference=f"{second.reference}:person", surname="Morgan").exists()


@pytest.mark.parametrize(
    ("typed", "parts"),
    [
        ("Jordan Avery", ("Jordan", "", "Avery")),
        ("  Mary  Ann   Smith-Jones ", ("Mary", "Ann", "Smith-Jones")),
        ("Avery, Jordan Lee", ("Jordan", "Lee", "Avery")),
        ("Miss Kayla O'Neill", ("Kayla", "", "O'Neill")),
        ("Ludwig van Beethoven", ("Ludwig", "", "van Beethoven")),
        ("Ana Maria de la Cruz", ("Ana", "Maria", "de la Cruz")),
        ("Mary De Souza", ("Mary", "De", "Souza")),
        ("Tom Smith Jr", ("Tom", "", "Smith")),
        ("Deano", ("Deano", "", "")),
        ("", ("", "", "")),
    ],
)
def test_a_full_name_is_split_into_first_middle_and_surname(typed, parts):
    assert split_name(typed) == parts


def test_every_child_a_family_step_lists_is_a_person_of_the_request():
    answers = sample_answers(FormType.TARGETED_INTERVENTION)
    answers["family"]["children"] = [{"full_name": "Alex Avery", "date_of_birth": "2020-01-05"}, {"full_name": ""}]
    people = people_in("TIS-2026-000001-A", FormType.TARGETED_INTERVENTION, answers, agency="City of York Council")
    assert [(person.reference, person.first_name, person.date_of_birth) for person in people] == [
        ("TIS-2026-000001-A:child-1", "Jordan", dt.date(2013, 9, 14)),
        ("TIS-2026-000001-A:child-2", "Alex", dt.date(2020, 1, 5)),
    ]
    assert {person.agency for person in people} == {"City of York Council"}


def test_a_postcode_that_is_not_a_whole_uk_postcode_is_left_out():
    answers = sample_answers(FormType.WELFARE_CHECK)
    answers["address"] = {"address": "Flat 2\n3 Sample Close\nYork", "postcode": "YO24"}
    (person,) = people_in("WEL-2026-000001-A", FormType.WELFARE_CHECK, answers, agency="A school")
    assert (person.address, person.postcode) == ("Flat 2, 3 Sample Close, York", "")
