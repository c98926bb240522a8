"""The Supporting Families team's journeys in a real browser, scanned with axe-core on every page."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.accounts.tests.factories import OrganisationFactory
from apps.core.tests.fixtures import assert_accessible, use_session_of
from apps.linkage.models import CandidatePair, PersonRecord
from apps.linkage.tests.factories import PairFactory, supporting_families_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CSV = (
    "Client ID,Forename,Surname,DOB,Gender,Address,Post Code,NHS No\n"
    "H1,Amelia,Smith-Jones,07/03/2015,F,12 High St,yo17hh,943 476 5919\n"
    "H2,Oliver,Brown,31/02/2015,M,1 Low Rd,YO1 7HH,\n"
)


def test_reviewing_the_queue_with_keyboard_shortcuts(page, client, live_server):
    user = supporting_families_member()
    first = PairFactory(match_probability=0.9)
    second = PairFactory(match_probability=0.7)
    use_session_of(page, client, live_server, user)
    page.goto("/linkage/")
    assert_accessible(page, context="linkage home")
    page.get_by_role("link", name="Review the queue").click()
    page.get_by_role("heading", name="Review queue").wait_for()
    assert page.get_by_role("table", name="Pairs waiting for review (2)").is_visible()
    assert_accessible(page, context="review list")
    page.get_by_role("link", name="Review the next pair").click()
    page.get_by_role("heading", name="Are these the same person?").wait_for()
    assert page.get_by_role("img", name="Waterfall chart of match weights for this pair").is_visible()
    assert page.get_by_label("Use keyboard shortcuts").is_checked()
    assert_accessible(page, context="review page")
    page.keyboard.press("m")
    page.get_by_text("Decision saved.").wait_for()
    first.refresh_from_db()
    assert first.status == CandidatePair.Status.LINKED
    assert page.url.endswith(f"/linkage/review/{second.pk}/")
    page.get_by_label("Use keyboard shortcuts").uncheck()
    page.keyboard.press("n")
    second.refresh_from_db()
    assert second.status == CandidatePair.Status.QUEUED
    page.get_by_role("button", name="Not a match").click()
    page.get_by_role("heading", name="No pairs are waiting").wait_for()
    assert_accessible(page, context="empty queue")
    page.goto(f"/linkage/people/{PersonRecord.objects.get(pk=first.record_a_id).person_id}/")
    page.get_by_role("heading", name="Why these records are linked").wait_for()
    assert_accessible(page, context="person page")


def test_importing_an_extract_shows_each_bad_line(page, client, live_server, settings, tmp_path):
    settings.PROTECTED_MEDIA_ROOT = tmp_path
    user = supporting_families_member()
    agency = OrganisationFactory(name="York Hospital")
    path = tmp_path / "health.csv"
    path.write_text(CSV)
    use_session_of(page, client, live_server, user)
    page.goto("/linkage/extracts/new/")
    page.get_by_role("button", name="Upload and continue").click()
    page.get_by_role("link", name="Choose a file to upload").wait_for()
    assert_accessible(page, context="upload with errors")
    page.get_by_label("Which agency is the extract from?").select_option(label=agency.name)
    page.get_by_label("Upload the extract").set_input_files(str(path))
    page.get_by_role("button", name="Upload and continue").click()
    page.get_by_role("heading", name="Which column holds what?").wait_for()
    assert page.get_by_label("Date of birth").input_value() == "DOB"
    assert_accessible(page, context="column mapping")
    page.get_by_role("button", name="Check the rows").click()
    page.get_by_role("heading", name="Check the extract").wait_for()
    assert page.get_by_role("row", name="3 Date of birth “31/02/2015” is not a real date.").is_visible()
    assert_accessible(page, context="check the extract")
    assert page.get_by_text("2 rows checked: 1 can be imported, 1 has problems and would be left out.").is_visible()
    page.get_by_role("button", name="Import the good row").click()
    page.get_by_text("1 record imported from York Hospital").wait_for()
    assert PersonRecord.objects.get().first_name == "Amelia"


def test_the_linkage_pages_fit_a_375_pixel_screen(page, client, live_server, settings, tmp_path):
    from apps.linkage import services

    settings.PROTECTED_MEDIA_ROOT = tmp_path
    user = supporting_families_member()
    pair = PairFactory(status=CandidatePair.Status.LINKED, match_probability=0.993)
    services.regroup_people()
    queued = PairFactory(match_probability=0.8)
    person = PersonRecord.objects.get(pk=pair.record_a_id).person_id
    extract = services.start_extract(
        uploaded=SimpleUploadedFile(
            "YorkAndScarboroughChildrenAndYoungPeopleExtract20261203Final.csv",  # a long word on a phone
            CSV.encode(),
            content_type="text/csv",
        ),
        organisation=OrganisationFactory(name="York and Scarborough Teaching Hospitals NHS Foundation Trust"),
        by=user,
    )
    services.check_extract(extract=extract, mapping=extract.column_mapping, by=user)
    page.set_viewport_size({"width": 375, "height": 800})
    use_session_of(page, client, live_server, user)
    for url in (
        "/linkage/",
        "/linkage/review/",
        "/linkage/review/?band=nonsense",
        "/linkage/settings/",
        f"/linkage/review/{queued.pk}/",
        f"/linkage/review/{pair.pk}/",
        f"/linkage/people/{person}/",
        "/linkage/people/",
        f"/linkage/extracts/{extract.pk}/",
    ):
        page.goto(url)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{url} is {width} px wide"
    assert_accessible(page, context="extract check on a phone")


def test_choosing_pairs_from_the_list_and_checking_an_automatic_link(page, client, live_server):
    from apps.linkage import services
    from apps.linkage.tests.factories import ModelVersionFactory, PersonRecordFactory

    user = supporting_families_member()
    version = ModelVersionFactory()
    school = OrganisationFactory(name="Clifton Green Primary School")
    from_school = PersonRecordFactory(organisation=school)
    chosen = PairFactory(match_probability=0.74, model_version=version, record_a=from_school)
    PairFactory(match_probability=0.92, model_version=version)
    linked = PairFactory(match_probability=0.98, model_version=version, status=CandidatePair.Status.LINKED)
    services.regroup_people()
    use_session_of(page, client, live_server, user)
    page.goto("/linkage/review/?band=nonsense")
    page.get_by_role("link", name="Choose a score from the list").wait_for()
    assert_accessible(page, context="review list with a filter error")
    page.get_by_label("Score", exact=True).select_option(label="70% to 80%")
    page.get_by_label("A record from").select_option(label="Clifton Green Primary School")
    page.get_by_role("button", name="Filter").click()
    page.get_by_role("table", name="Pairs that match the filters (1)").wait_for()
    assert_accessible(page, context="filtered review list")
    page.get_by_role("link", name=f"(pair {chosen.pk})").click()
    page.get_by_role("heading", name="Are these the same person?").wait_for()
    assert page.url.endswith(f"/linkage/review/{chosen.pk}/")
    page.goto("/linkage/settings/")
    chart = "Pairs by score: 50% to 70% 0; 70% to 80% 1; 80% to 90% 0; 90% to 95% 1; 95% to 99% 1;"
    assert page.get_by_role("img", name=chart).is_visible()
    assert_accessible(page, context="linkage settings")
    page.get_by_role("link", name="Check a linked pair chosen at random").click()
    page.get_by_text("The model linked this pair automatically and nobody has checked it").wait_for()
    assert page.url.endswith(f"/linkage/review/{linked.pk}/")
    assert_accessible(page, context="checking an automatic link")
    page.get_by_role("button", name="Match : the same person").click()
    page.get_by_text("So about 100.0% of automatic links are right").wait_for()
    assert page.get_by_text("with 95% confidence, between 20.7% and 100.0%").is_visible()
    linked.refresh_from_db()
    assert linked.status == CandidatePair.Status.LINKED and linked.decided_by == user
