"""The early help pages as a practitioner uses them: bad input gets a GOV.UK message and keeps what was typed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.accounts.tests.factories import OrganisationFactory, UserFactory

from .. import services
from ..models import Family, FamilyStatus, Outcome
from .factories import add_child, open_family, start_family, supporting_families_user

pytestmark = pytest.mark.django_db


def url(name, **kwargs):
    return reverse(f"earlyhelp:{name}", kwargs=kwargs or None)


def test_starting_without_the_consent_details_names_each_missing_answer_and_keeps_the_rest(client):
    client.force_login(UserFactory())
    response = client.post(
        url("start"), {"family_name": "The Fictional-Avery family", "postcode": "YO30 6AA", "has_consent": "yes"}
    )
    assert response.status_code == 400
    text = response.text
    assert "There is a problem" in text
    for message in (
        "Enter the name of the person who gave consent",
        "Choose who gave consent",
        "Enter the date consent was given",
        "Choose how consent was given",
        "Choose at least one agency the assessment may be shared with",
    ):
        assert message in text
    assert 'value="The Fictional-Avery family"' in text
    assert not Family.objects.exists()


def test_a_record_without_consent_asks_for_the_law_and_then_starts(client):
    practitioner = UserFactory()
    client.force_login(practitioner)
    refused = client.post(url("start"), {"family_name": "The Fictional family", "has_consent": "no"})
    assert "Enter the law under which the record is kept without consent" in refused.text
    started = client.post(
        url("start"),
        {"family_name": "The Fictional family", "has_consent": "no", "no_consent_basis": "Children Act 1989 s47"},
    )
    family = Family.objects.get()
    assert started.status_code == 302 and started["Location"] == url("assessment", pk=family.pk)
    assert family.lead == practitioner


def test_starting_with_consent_takes_the_gov_uk_date_and_chosen_agencies(client):
    practitioner = UserFactory()
    health = OrganisationFactory(name="Fictional Health Trust")
    client.force_login(practitioner)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    response = client.post(
        url("start"),
        {
            "family_name": "The Fictional family",
            "has_consent": "yes",
            "given_by_name": "Sam Fictional",
            "given_by": "parent_carer",
            "given_on_0": yesterday.day,
            "given_on_1": yesterday.month,
            "given_on_2": yesterday.year,
            "method": "verbal",
            "agencies": [health.pk, practitioner.organisation.pk],
        },
    )
    assert response.status_code == 302
    consent = Family.objects.get().consents.get()
    assert consent.given_on == yesterday
    assert set(consent.agencies.values_list("name", flat=True)) == {
        "Fictional Health Trust",
        practitioner.organisation.name,
    }


def test_a_person_with_a_wrong_nhs_number_upn_or_date_of_birth_is_refused_with_what_was_typed_kept(client):
    family = start_family()
    client.force_login(family.lead)
    response = client.post(
        url("add_member", pk=family.pk),
        {
            "role": "child",
            "first_name": "Jordan",
            "surname": "Fictional-Avery",
            "nhs_number": "943 476 5918",
            "pupil_number": "A801200001001",
            "date_of_birth_0": "31",
            "date_of_birth_1": "2",
            "date_of_birth_2": "2015",
        },
    )
    assert response.status_code == 400
    text = response.text
    assert "Enter a real NHS number" in text
    assert "Enter a real unique pupil number" in text
    assert "Their date of birth must be a real date" in text
    assert 'value="943 476 5918"' in text and 'value="Jordan"' in text
    assert not family.members.exists()


def test_the_assessment_can_be_saved_and_come_back_to_then_signed_off(client):
    family = start_family()
    add_child(family)
    client.force_login(family.lead)
    saved = client.post(
        url("assessment_section", pk=family.pk, section="story"),
        {"family_story": "We moved here last year.", "voice_of_child": "", "save_and_return": "1"},
    )
    assert saved.status_code == 302 and saved["Location"] == url("family", pk=family.pk)
    again = client.get(url("assessment_section", pk=family.pk, section="story"))
    assert "We moved here last year." in again.text
    sign = client.get(url("sign_off", pk=family.pk))
    assert "Enter the voice of the child" in sign.text
    client.post(url("assessment_section", pk=family.pk, section="story"), {"family_story": "x", "voice_of_child": "y"})
    client.post(
        url("assessment_section", pk=family.pk, section="signs-of-safety"),
        {"working_well": "a", "worries": "b", "needs_to_happen": "c", "scaling": "4"},
    )
    needs = client.post(url("assessment_section", pk=family.pk, section="needs"), {"needs": ["housing"]})
    assert needs.status_code == 400 and "Enter what the family needs for secure housing" in needs.text
    client.post(
        url("assessment_section", pk=family.pk, section="needs"),
        {"needs": ["housing"], "need_housing": "A bigger flat"},
    )
    done = client.post(url("sign_off", pk=family.pk))
    assert done.status_code == 302
    family.refresh_from_db()
    assert family.status == FamilyStatus.OPEN
    assert family.assessments.get().needs == {"housing": "A bigger flat"}


def test_a_review_before_the_assessment_began_is_refused_on_its_date_field(client):
    family = open_family()
    client.force_login(family.lead)
    action = family.plan_outcomes.get().actions.get()
    long_ago = timezone.localdate() - dt.timedelta(days=400)
    response = client.post(
        url("add_review", pk=family.pk),
        {
            "held_on_0": long_ago.day,
            "held_on_1": long_ago.month,
            "held_on_2": long_ago.year,
            "scaling": "7",
            f"action_{action.pk}": "in_progress",
            f"note_{action.pk}": "Two meetings so far",
        },
    )
    assert response.status_code == 400
    assert "The date of the review must be on or after the assessment started" in response.text
    assert "Two meetings so far" in response.text
    assert not family.reviews.exists()


def test_closing_asks_about_each_outcome_of_the_plan(client):
    family = open_family()
    client.force_login(family.lead)
    response = client.post(url("close", pk=family.pk), {"reason": "outcomes_achieved"})
    assert response.status_code == 400
    assert "Say whether significant and sustained progress was made on getting a good education" in response.text
    closed = client.post(
        url("close", pk=family.pk),
        {"reason": "outcomes_achieved", f"outcome_{Outcome.EDUCATION}": "yes", f"evidence_{Outcome.EDUCATION}": "97%"},
    )
    assert closed.status_code == 302
    family.refresh_from_db()
    assert family.status == FamilyStatus.CLOSED


def test_a_step_up_with_a_reference_the_lead_cannot_see_is_refused(client):
    family = open_family()
    client.force_login(family.lead)
    response = client.post(
        url("step_up", pk=family.pk), {"to_service": "tis", "reason": "More help", "reference": "TIS-2026-000004-K"}
    )
    assert response.status_code == 400
    assert "Check the reference number" in response.text or "No partner form you can see" in response.text
    family.refresh_from_db()
    assert family.status == FamilyStatus.OPEN


def test_chronology_filters_take_gov_uk_dates_and_say_when_one_is_not_real(client):
    family = open_family()
    client.force_login(family.lead)
    bad = client.get(url("chronology", pk=family.pk), {"date_from_0": "31", "date_from_1": "2", "date_from_2": "2026"})
    assert bad.status_code == 400
    assert "The from date must be a real date" in bad.text
    today = timezone.localdate()
    good = client.get(
        url("chronology", pk=family.pk),
        {"kind": "automatic", "date_from_0": today.day, "date_from_1": today.month, "date_from_2": today.year},
    )
    assert good.status_code == 200 and "Assessment completed" in good.text


def test_the_figures_csv_never_runs_a_formula_an_agency_name_could_hold(client):
    family = open_family(UserFactory(organisation=OrganisationFactory(name='=HYPERLINK("http://x")')))
    assert family.opened_on
    client.force_login(supporting_families_user())
    response = client.get(url("figures_csv"))
    body = response.content.decode()
    assert "'=HYPERLINK" in body
    assert "\n=HYPERLINK" not in body and ",=HYPERLINK" not in body


def test_the_central_record_finds_a_family_by_a_person_s_name_school_or_postcode(client):
    family = open_family()
    other = open_family()
    services.change_member(
        member=other.members.get(), by=other.lead, data={"first_name": "Riley", "school": "Fictional Academy"}
    )
    client.force_login(supporting_families_user())
    by_name = client.get(url("central_record"), {"q": "Riley"})
    assert other.name in by_name.text and by_name.context["page"].paginator.count == 1
    by_school = client.get(url("central_record"), {"school": "Clifton Green"})
    assert [row.pk for row in by_school.context["page"].object_list] == [family.pk]
    by_postcode = client.get(url("central_record"), {"postcode": "yo30"})
    assert by_postcode.context["page"].paginator.count == 2


def test_adding_a_person_offers_matches_the_practitioner_may_see_and_queues_the_rest(client, monkeypatch):
    from apps.linkage import online
    from apps.linkage.models import CandidatePair, LinkageModelVersion, PersonRecord
    from apps.linkage.services import register_record
    from apps.linkage.sources import SourcedPerson

    LinkageModelVersion.objects.create(version=1, model_json={}, record_count=0)
    lead = UserFactory()
    known = open_family(lead)  # a family the lead already works with
    elsewhere, _ = register_record(
        source=type("S", (), {"key": "referrals", "label": "Partner forms"})(),
        person=SourcedPerson(reference="WEL-2026-000001-X:person", first_name="Jordan", surname="Avery"),
    )
    mine = PersonRecord.objects.get(source_reference=known.members.get().linkage_reference)
    explanation = {
        "prior_weight": -10,
        "steps": [{"description": "Date of birth", "level": "Exact match", "weight": 9}],
    }

    def find(fields, **kwargs):
        return [
            online.Candidate(str(mine.pk), 0.97, 5.0, explanation, mine.person_id),
            online.Candidate(str(elsewhere.pk), 0.9, 3.0, explanation, elsewhere.person_id),
        ]

    monkeypatch.setattr(online, "find_matches", find)
    family = start_family(lead, name="The Fictional family (new)")
    client.force_login(lead)
    added = client.post(
        url("add_member", pk=family.pk), {"role": "child", "first_name": "Jordan", "surname": "Fictional-Avery"}
    )
    person = family.members.get()
    assert added["Location"] == url("matches", pk=family.pk, member=person.pk)
    queued = CandidatePair.objects.get(status="queued")  # queued by adding the person, not by opening a page
    assert {queued.record_a_id, queued.record_b_id} == {
        elsewhere.pk,
        PersonRecord.objects.get(source_reference=person.linkage_reference).pk,
    }
    offer = client.get(added["Location"])
    assert known.reference in offer.text
    assert "Date of birth: Exact match" in offer.text
    assert "WEL-2026-000001-X" not in offer.text  # another agency's record is never shown to the practitioner
    client.get(added["Location"])
    assert CandidatePair.objects.count() == 1  # opening the page again writes nothing
    client.post(added["Location"], {"choice": str(known.members.get().pk)})
    person.refresh_from_db()
    assert person.same_person_as == known.members.get()


def test_every_page_of_the_lead_opens(client):
    from .test_browser_pages import pages_of

    family = open_family()
    add_child(family, role="parent_carer", first_name="Sam", date_of_birth=dt.date(1985, 1, 2))
    joined = services.add_team_member(family=family, user=UserFactory(), role="School nurse", by=family.lead)
    client.force_login(family.lead)
    pages = pages_of(family, family.members.first(), family.consents.get(), family.plan_outcomes.get(), joined)
    for name, kwargs in pages:
        assert client.get(reverse(name, kwargs=kwargs)).status_code == 200, name
