"""The review queue as a list to choose from, the pairs by score, and precision from the team's own checks."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.accounts.tests.factories import OrganisationFactory
from apps.audit.models import AuditEntry
from apps.linkage import services
from apps.linkage.evidence import band_of, estimate, wilson_interval
from apps.linkage.models import CandidatePair, ReviewDecision
from apps.linkage.tests.factories import (
    ModelVersionFactory,
    PairFactory,
    PersonRecordFactory,
    supporting_families_member,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(client):
    user = supporting_families_member()
    client.force_login(user)
    return user


def test_the_queue_lists_waiting_pairs_strongest_first_with_not_sure_last_and_is_audited(client, team):
    weak = PairFactory(match_probability=0.62)
    strong = PairFactory(match_probability=0.91)
    unsure = PairFactory(match_probability=0.99, status=CandidatePair.Status.NOT_SURE)
    PairFactory(match_probability=0.97, status=CandidatePair.Status.LINKED)
    page = client.get(reverse("linkage:review_queue")).content.decode()
    positions = [page.index(f"(pair {pair.pk})") for pair in (strong, weak, unsure)]
    assert positions == sorted(positions)
    assert "Pairs waiting for review (3)" in page
    assert "Not sure" in page
    assert AuditEntry.objects.filter(object_type="linkage.candidatepair", action="view", detail="page 1").exists()


def test_the_queue_filters_by_score_and_by_the_agency_a_record_came_from(client, team):
    school = OrganisationFactory(name="Clifton Green Primary School")
    from_school = PairFactory(match_probability=0.75, record_a=PersonRecordFactory(organisation=school))
    elsewhere = PairFactory(match_probability=0.76)
    stronger = PairFactory(match_probability=0.85, record_b=PersonRecordFactory(organisation=school))
    page = client.get(reverse("linkage:review_queue"), {"band": "70-80"}).content.decode()
    assert f"(pair {from_school.pk})" in page and f"(pair {elsewhere.pk})" in page
    assert f"(pair {stronger.pk})" not in page
    page = client.get(reverse("linkage:review_queue"), {"source": f"org-{school.pk}"}).content.decode()
    assert f"(pair {from_school.pk})" in page and f"(pair {stronger.pk})" in page
    assert f"(pair {elsewhere.pk})" not in page
    page = client.get(reverse("linkage:review_queue"), {"band": "70-80", "source": f"org-{school.pk}"}).content.decode()
    assert "Pairs that match the filters (1)" in page


def test_a_filter_not_on_the_list_is_refused_with_a_message_naming_it(client, team):
    PairFactory()
    response = client.get(reverse("linkage:review_queue"), {"band": "10-20", "source": "org-999999"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Choose a score from the list" in page
    assert "Choose an agency or source from the list" in page


def test_the_queue_pages_keep_their_filters(client, team):
    version = ModelVersionFactory()
    for number in range(30):
        PairFactory(match_probability=0.9 + number / 1000, model_version=version)
    page = client.get(reverse("linkage:review_queue"), {"band": "90-95"}).content.decode()
    assert "Page 1 of 2" in page
    assert "?page=2&amp;band=90-95" in page
    second = client.get(reverse("linkage:review_queue"), {"band": "90-95", "page": 2}).content.decode()
    assert "Page 2 of 2" in second and second.count("(pair ") == 5


def test_pairs_by_score_count_the_current_model_versions_pairs_only(client, team):
    old, current = ModelVersionFactory(), ModelVersionFactory()
    PairFactory(match_probability=0.6, model_version=old)
    PairFactory(match_probability=0.6, model_version=current)
    PairFactory(match_probability=0.65, model_version=current, status=CandidatePair.Status.NOT_LINKED)
    PairFactory(match_probability=0.999, model_version=current, status=CandidatePair.Status.LINKED)
    response = client.get(reverse("linkage:settings"))
    bands = {row["band"].key: row for row in response.context["evidence"]["bands"]}
    assert (bands["50-70"]["total"], bands["50-70"]["waiting"], bands["50-70"]["not_linked"]) == (2, 1, 1)
    assert (bands["99-100"]["total"], bands["99-100"]["linked"]) == (1, 1)
    assert bands["90-95"]["total"] == 0
    page = response.content.decode()
    assert f"Pairs by score for model version {current.version}" in page
    assert "Pairs by score: 50% to 70% 2;" in page  # the chart's text alternative; the table beside it too


def test_checking_automatic_links_at_random_estimates_precision_with_its_sample_and_interval(client, team):
    version = ModelVersionFactory()
    linked = [
        PairFactory(match_probability=0.97 + number / 1000, model_version=version, status=CandidatePair.Status.LINKED)
        for number in range(3)
    ]
    services.regroup_people()
    page = client.get(reverse("linkage:settings")).content.decode()
    assert "has not checked any pair scored 95% or more yet" in page
    assert "3 automatic links not yet checked" in page

    decisions = iter(["match", "match", "not_a_match"])
    for _ in linked:
        response = client.get(reverse("linkage:check_linked"))
        pair_url = response.url
        page = client.get(pair_url).content.decode()
        assert "The model linked this pair automatically and nobody has checked it" in page
        response = client.post(pair_url, {"decision": next(decisions)})
        assert response.url == reverse("linkage:settings")
    statuses = sorted(CandidatePair.objects.filter(model_version=version).values_list("status", flat=True))
    assert statuses == ["linked", "linked", "not_linked"]
    assert AuditEntry.objects.filter(detail="review decision: match (check of an automatic link)").count() == 2

    page = client.get(reverse("linkage:settings")).content.decode()
    assert "Of <strong>3</strong> pairs scored 95% or more that the team has checked, <strong>2</strong> were" in page
    assert "66.7%" in page and "between 20.8% and 93.9%" in page  # Wilson's 95% interval for 2 of 3
    assert "leans low" not in page  # every check was of a pair chosen at random
    response = client.get(reverse("linkage:check_linked"))
    assert response.url == reverse("linkage:settings")
    page = client.get(response.url).content.decode()
    assert "Every pair the current model linked automatically has been checked" in page
    # A link undone after someone noticed a mistake counts as wrong, and the page says what that does to the estimate
    undone = PairFactory(match_probability=0.99, model_version=version, status=CandidatePair.Status.LINKED)
    services.unlink(pair=undone, by=team, note="Different people: the school confirmed")
    page = client.get(reverse("linkage:settings")).content.decode()
    assert "Of <strong>4</strong> pairs" in page
    assert "1 of those checks is a link the team undid after noticing a mistake" in page and "leans low" in page


def test_a_pair_a_person_linked_cannot_be_checked_again_as_an_automatic_link(client, team):
    pair = PairFactory(match_probability=0.97, status=CandidatePair.Status.LINKED, decided_by=team)
    with pytest.raises(services.AlreadyDecided):
        services.decide(pair=pair, decision="not_a_match", by=team)
    assert not ReviewDecision.objects.filter(pair=pair).exists()


def test_the_wilson_interval_and_the_bands():
    low, high = wilson_interval(2, 3)
    assert (round(low, 3), round(high, 3)) == (0.208, 0.939)
    low, high = wilson_interval(10, 10)
    assert high == 1.0 and 0.72 < low < 0.73  # ten of ten is not "100% for sure"
    assert wilson_interval(0, 0) is None
    assert estimate(0, 0).in_words == {}
    assert band_of(0.95).key == "95-99" and band_of(0.9499).key == "90-95" and band_of(1.0).key == "99-100"
