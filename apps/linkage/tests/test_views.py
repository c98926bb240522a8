"""The Supporting Families team's screens: import, review, people, unlinking; each audited."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.accounts.tests.factories import OrganisationFactory, make_role_user
from apps.audit.models import AuditEntry
from apps.linkage.models import AgencyExtract, CandidatePair, PersonRecord, ReviewDecision
from apps.linkage.tests.factories import PairFactory, supporting_families_member

pytestmark = pytest.mark.django_db

CSV = (
    "Client ID,Forename,Surname,DOB,Gender,Address,Post Code,NHS No\n"
    "H1,Amelia,Smith-Jones,07/03/2015,F,12 High St,yo17hh,943 476 5919\n"
    "H2,Oliver,Brown,31/02/2015,M,1 Low Rd,YO1 7HH,\n"
)


@pytest.fixture
def team(client, settings, tmp_path):
    settings.PROTECTED_MEDIA_ROOT = tmp_path
    user = supporting_families_member()
    client.force_login(user)
    return user


def test_the_supporting_families_team_sees_linkage_and_another_receiving_team_does_not(client, team):
    assert client.get(reverse("linkage:home")).status_code == 200
    client.force_login(make_role_user("team_member"))
    assert client.get(reverse("linkage:home")).status_code == 403


def test_importing_an_extract_from_upload_to_records(client, team):
    from django.core.files.uploadedfile import SimpleUploadedFile

    agency = OrganisationFactory(name="York Hospital")
    response = client.post(
        reverse("linkage:extract_upload"),
        {"organisation": agency.pk, "file": SimpleUploadedFile("health.csv", CSV.encode(), content_type="text/csv")},
    )
    extract = AgencyExtract.objects.get()
    assert response.url == reverse("linkage:extract_mapping", kwargs={"pk": extract.pk})
    page = client.get(response.url)
    assert "Which column holds what?" in page.content.decode()
    response = client.post(
        response.url,
        {
            "agency_reference": "Client ID",
            "first_name": "Forename",
            "surname": "Surname",
            "date_of_birth": "DOB",
            "sex": "Gender",
            "address": "Address",
            "postcode": "Post Code",
            "nhs_number": "NHS No",
        },
    )
    assert response.url == reverse("linkage:extract_check", kwargs={"pk": extract.pk})
    page = client.get(response.url).content.decode()
    assert "1</strong> can be imported" in page
    assert "“31/02/2015” is not a real date" in page
    response = client.post(response.url, {"decision": "import"}, follow=True)
    assert "1 record imported from York Hospital" in response.content.decode()
    assert PersonRecord.objects.get().first_name == "Amelia"
    assert AuditEntry.objects.filter(object_type="linkage.agencyextract", action="create").count() == 2
    assert "health.csv from York Hospital, uploaded" in client.get(reverse("linkage:home")).content.decode()


def _checked_page(client, team, content: str) -> str:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from apps.linkage import services

    extract = services.start_extract(
        uploaded=SimpleUploadedFile("extract.csv", content.encode(), content_type="text/csv"),
        organisation=OrganisationFactory(),
        by=team,
    )
    services.check_extract(extract=extract, mapping=extract.column_mapping, by=team)
    return client.get(reverse("linkage:extract_check", kwargs={"pk": extract.pk})).content.decode()


def test_the_check_page_counts_every_row_of_the_file_including_those_an_unclosed_quote_ran_into(client, team):
    page = _checked_page(
        client,
        team,
        "Client ID,Forename,Surname,DOB\n"
        "A1,Ann,Lee,01/01/2015\n"
        "A2,Bob,Lee,01/01/2015\n"
        'A3,"Cal,Lee,01/01/2015\n'  # never closed: runs into the last two lines
        "A4,Dee,Lee,01/01/2015\n"
        "A5,Eve,Lee,01/01/1388\n",
    )
    assert "5 rows checked: <strong>2</strong> can be imported, <strong>3</strong> have problems" in page
    assert "Import the 2 good rows" in page
    assert "never closed" in page


def test_a_file_whose_every_row_has_a_problem_says_so_without_blaming_the_columns_outright(client, team):
    page = _checked_page(client, team, "Client ID,Forename,Surname,DOB\nA1,,Lee,01/01/2015\nA2,Ann,Lee,01/01/1388\n")
    assert "None of the 2 rows can be imported" in page
    assert "Each row has a problem, listed below." in page
    assert "If every row shows the same problem" in page
    assert "Import the" not in page


def test_a_mapping_that_uses_one_column_twice_keeps_the_choices_and_explains(client, team):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.post(
        reverse("linkage:extract_upload"),
        {"organisation": OrganisationFactory().pk, "file": SimpleUploadedFile("h.csv", CSV.encode())},
    )
    extract = AgencyExtract.objects.get()
    response = client.post(
        reverse("linkage:extract_mapping", kwargs={"pk": extract.pk}),
        {"first_name": "Forename", "surname": "Forename", "date_of_birth": "DOB"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Error: Which column holds what?" in page
    assert "already chosen for given names" in page


def test_a_two_gigabyte_upload_is_refused_before_it_is_read(client, team):
    response = client.post(
        reverse("linkage:extract_upload"),
        data=b"x",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(2 * 1024**3),
    )
    assert response.status_code == 413
    assert "larger than 100 MB" in response.content.decode()
    assert not AgencyExtract.objects.exists()


def test_an_empty_file_gets_a_clear_message(client, team):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("linkage:extract_upload"),
        {"organisation": OrganisationFactory().pk, "file": SimpleUploadedFile("e.csv", b"")},
    )
    assert "The file is empty" in response.content.decode()
    assert not AgencyExtract.objects.exists()


def test_the_review_page_shows_both_records_their_differences_and_the_waterfall(client, team):
    pair = PairFactory()
    page = client.get(reverse("linkage:review_pair", kwargs={"pk": pair.pk})).content.decode()
    assert "Are these the same person?" in page
    assert "<mark>Robert</mark>" in page and "<mark>Bob</mark>" in page
    assert 'govuk-tag--red">Different' in page
    assert 'role="img"' in page and "Waterfall chart of match weights" in page
    assert "Day and month swapped" in page
    assert "linkage/review.js" in page
    assert "1 waiting" in page
    assert AuditEntry.objects.filter(
        object_type="linkage.candidatepair", object_id=str(pair.pk), action="view"
    ).exists()


def test_a_pair_online_matching_found_says_why_it_waits_whatever_its_score_and_can_be_filtered_to(client, team):
    from apps.linkage.models import LinkageRun

    found_online = PairFactory(match_probability=0.999)
    from_a_run = PairFactory(match_probability=0.6)
    from_a_run.run = LinkageRun.objects.create(model_version=from_a_run.model_version)
    from_a_run.save()
    said = "This pair was found when a record was added"
    assert said in client.get(reverse("linkage:review_pair", kwargs={"pk": found_online.pk})).content.decode()
    assert said not in client.get(reverse("linkage:review_pair", kwargs={"pk": from_a_run.pk})).content.decode()
    listed = client.get(reverse("linkage:review_queue"), {"band": "99-100"}).content.decode()
    assert reverse("linkage:review_pair", kwargs={"pk": found_online.pk}) in listed
    assert reverse("linkage:review_pair", kwargs={"pk": from_a_run.pk}) not in listed


def test_deciding_moves_on_to_the_next_pair_and_is_audited(client, team):
    first = PairFactory(match_probability=0.9)
    second = PairFactory(match_probability=0.7)
    response = client.post(reverse("linkage:review_pair", kwargs={"pk": first.pk}), {"decision": "not_a_match"})
    assert response.url == reverse("linkage:review_pair", kwargs={"pk": second.pk})
    first.refresh_from_db()
    assert first.status == CandidatePair.Status.NOT_LINKED
    assert first.decided_by == team
    assert AuditEntry.objects.filter(object_id=str(first.pk), action="change", actor_id=team.pk).exists()
    response = client.post(reverse("linkage:review_pair", kwargs={"pk": second.pk}), {"decision": "match"})
    assert response.url == reverse("linkage:review_queue")
    page = client.get(response.url).content.decode()
    assert "No pairs are waiting" in page and "2 pairs decided by the team" in page


def test_a_decision_must_be_chosen(client, team):
    pair = PairFactory()
    response = client.post(reverse("linkage:review_pair", kwargs={"pk": pair.pk}), {"note": "hmm"})
    assert response.status_code == 200
    assert "Choose match, not a match or not sure" in response.content.decode()


def test_reviewing_the_next_pair_opens_the_strongest_waiting_pair(client, team):
    PairFactory(match_probability=0.6)
    strongest = PairFactory(match_probability=0.9)
    assert client.get(reverse("linkage:review_next")).url == reverse("linkage:review_pair", kwargs={"pk": strongest.pk})


def test_a_persons_page_lists_their_records_from_which_agency_and_why(client, team):
    pair = PairFactory(status=CandidatePair.Status.LINKED, match_probability=0.993)
    from apps.linkage.services import regroup_people

    regroup_people()
    pair.refresh_from_db()
    person = pair.record_a.person
    page = client.get(reverse("linkage:person_detail", kwargs={"pk": person.pk})).content.decode()
    assert pair.record_a.organisation.name in page and pair.record_b.organisation.name in page
    assert "99.3%" in page and "Automatically" in page
    assert AuditEntry.objects.filter(object_type="linkage.person", object_id=str(person.pk), action="view").exists()
    listing = client.get(reverse("linkage:person_list")).content.decode()
    assert reverse("linkage:person_detail", kwargs={"pk": person.pk}) in listing
    found = client.get(reverse("linkage:person_list"), {"q": "bob"}).content.decode()
    assert reverse("linkage:person_detail", kwargs={"pk": person.pk}) in found
    assert AuditEntry.objects.filter(object_type="linkage.person", action="search").exists()


def test_unlinking_needs_a_reason_and_splits_the_person(client, team):
    pair = PairFactory(status=CandidatePair.Status.LINKED, match_probability=0.99)
    from apps.linkage.services import regroup_people

    regroup_people()
    url = reverse("linkage:unlink", kwargs={"pk": pair.pk})
    assert "Enter why the records are not the same person" in client.post(url, {"reason": ""}).content.decode()
    response = client.post(url, {"reason": "Twins"})
    pair.refresh_from_db()
    assert pair.status == CandidatePair.Status.NOT_LINKED
    assert pair.decisions.get().decision == ReviewDecision.Decision.UNLINK
    assert pair.record_a.person_id != pair.record_b.person_id
    assert response.url == reverse("linkage:person_detail", kwargs={"pk": pair.record_a.person_id})


def test_starting_a_run_without_a_model_says_how_to_train_one(client, team):
    page = client.post(reverse("linkage:start_run"), follow=True).content.decode()
    assert "train_linkage_model" in page


def test_starting_a_run_runs_linkage_in_the_background_task(client, team, generated_people, trained_model):
    from apps.linkage import services
    from apps.linkage.models import LinkageRun
    from apps.linkage.tests.conftest import import_generated

    _, recorded = generated_people
    import_generated(recorded[:150])
    services.save_model_version(model=trained_model, record_count=150)
    page = client.post(reverse("linkage:start_run"), follow=True).content.decode()
    assert "Linkage has started" in page
    run = LinkageRun.objects.get()
    assert run.started_by == team
    assert run.record_count == 150
    assert "Linkage is already running" not in page  # the claim was given back when the run ended


def test_pressing_run_linkage_now_while_a_run_is_under_way_starts_nothing(
    client, team, generated_people, trained_model
):
    from apps.linkage import services
    from apps.linkage.models import LinkageRun
    from apps.linkage.tests.conftest import import_generated

    _, recorded = generated_people
    import_generated(recorded[:50])
    services.save_model_version(model=trained_model, record_count=50)
    assert services.claim_linkage_run()  # the first press: its run is waiting or running
    page = client.post(reverse("linkage:start_run"), follow=True).content.decode()
    assert "Linkage is already running" in page
    assert not LinkageRun.objects.exists()
    services.release_linkage_run()
    client.post(reverse("linkage:start_run"))
    assert LinkageRun.objects.count() == 1


def test_a_pair_you_marked_not_sure_says_you_did(client, team):
    from apps.linkage import services

    mine = PairFactory(match_probability=0.9)
    services.decide(pair=mine, decision="not_sure", by=team)
    page = client.get(reverse("linkage:review_pair", kwargs={"pk": mine.pk})).content.decode()
    assert "you marked it not sure" in page and "a colleague marked it" not in page
    theirs = PairFactory(match_probability=0.8)
    services.decide(pair=theirs, decision="not_sure", by=supporting_families_member())
    page = client.get(reverse("linkage:review_pair", kwargs={"pk": theirs.pk})).content.decode()
    assert "a colleague marked it not sure" in page
