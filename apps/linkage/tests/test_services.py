"""The batch run, the team's decisions, unlinking and the hub's own sources."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from apps.audit.models import AuditEntry
from apps.linkage import services, sources
from apps.linkage.linkage_model import ModelFileInvalid
from apps.linkage.models import CandidatePair, LinkageModelVersion, Person, PersonRecord, ReviewDecision
from apps.linkage.sources import SourcedPerson
from apps.linkage.tests.conftest import import_generated
from apps.linkage.tests.factories import PersonRecordFactory, supporting_families_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def linked(generated_people, trained_model):
    """The generated records in the hub, the trained model saved, and one linkage run."""
    people, recorded = generated_people
    ids = import_generated(recorded)
    services.save_model_version(model=trained_model, record_count=len(recorded))
    run = services.link_people()
    return {"people": people, "recorded": recorded, "ids": ids, "run": run}


def test_a_run_links_sure_pairs_queues_uncertain_ones_and_groups_records_into_people(linked):
    run = linked["run"]
    assert run.auto_linked > 100
    assert run.queued > 0
    assert CandidatePair.objects.filter(status=CandidatePair.Status.LINKED).count() == run.auto_linked
    assert CandidatePair.objects.filter(status=CandidatePair.Status.QUEUED).count() == run.queued
    linked_pair = CandidatePair.objects.filter(status=CandidatePair.Status.LINKED).first()
    assert linked_pair.decided_by is None  # decided automatically
    assert linked_pair.model_version.version == 1
    assert linked_pair.record_a.person_id == linked_pair.record_b.person_id
    # Records of one generated person mostly end up as one Person; records are never changed.
    person_of = {record.record_id: record.person_id for record in linked["recorded"]}
    by_truth: dict[int, set[int]] = {}
    for record_id, pk in linked["ids"].items():
        by_truth.setdefault(person_of[record_id], set()).add(PersonRecord.objects.get(pk=pk).person_id)
    together = sum(1 for persons in by_truth.values() if len(persons) == 1)
    assert together / len(by_truth) > 0.9
    assert AuditEntry.objects.filter(object_type="linkage.linkagerun", object_id=str(run.pk)).exists()


def test_each_pair_explains_its_score_with_one_step_per_comparison(linked, trained_model):
    pair = CandidatePair.objects.filter(status=CandidatePair.Status.QUEUED).first()
    steps = pair.explanation["steps"]
    compared = [step["comparison"] for step in steps if step["comparison"] != "household_rule"]
    assert compared == [c["output_column_name"] for c in trained_model["comparisons"]]
    total = pair.explanation["prior_weight"] + sum(step["weight"] for step in steps)
    assert total == pytest.approx(pair.match_weight, abs=0.05)


def test_a_pair_decided_by_a_person_is_never_queued_again(linked):
    reviewer = supporting_families_member()
    pair = CandidatePair.objects.filter(status=CandidatePair.Status.QUEUED).first()
    services.decide(pair=pair, decision=ReviewDecision.Decision.NOT_A_MATCH, by=reviewer)
    run = services.link_people()
    pair.refresh_from_db()
    assert pair.status == CandidatePair.Status.NOT_LINKED
    assert pair.decided_by == reviewer
    assert run.kept_decisions >= 1
    assert not CandidatePair.objects.filter(pk=pair.pk, status=CandidatePair.Status.QUEUED).exists()


def test_a_match_decision_joins_the_two_records_into_one_person(linked):
    reviewer = supporting_families_member()
    pair = CandidatePair.objects.filter(status=CandidatePair.Status.QUEUED).first()
    services.decide(pair=pair, decision=ReviewDecision.Decision.MATCH, by=reviewer, note="Same school and GP")
    pair.refresh_from_db()
    assert pair.status == CandidatePair.Status.LINKED
    assert pair.record_a.person_id == pair.record_b.person_id
    assert pair.decisions.get().note == "Same school and GP"
    with pytest.raises(services.AlreadyDecided):
        services.decide(pair=pair, decision=ReviewDecision.Decision.NOT_A_MATCH, by=reviewer)


def test_not_sure_keeps_the_pair_in_the_queue_after_the_unlooked_at_ones(linked):
    reviewer = supporting_families_member()
    pair = CandidatePair.objects.filter(status=CandidatePair.Status.QUEUED).first()
    services.decide(pair=pair, decision=ReviewDecision.Decision.NOT_SURE, by=reviewer)
    pair.refresh_from_db()
    assert pair.status == CandidatePair.Status.NOT_SURE
    assert pair.decided_by is None
    services.link_people()
    pair.refresh_from_db()
    assert pair.status in (CandidatePair.Status.NOT_SURE, CandidatePair.Status.LINKED, CandidatePair.Status.NOT_LINKED)


def test_unlinking_splits_the_person_and_the_pair_is_never_linked_again(linked):
    reviewer = supporting_families_member()
    pair = CandidatePair.objects.filter(status=CandidatePair.Status.LINKED, match_probability__gte=0.999).first()
    services.unlink(pair=pair, by=reviewer, note="Twins at the same school")
    pair.refresh_from_db()
    assert pair.status == CandidatePair.Status.NOT_LINKED
    assert pair.decisions.get().decision == ReviewDecision.Decision.UNLINK
    services.link_people()
    pair.refresh_from_db()
    assert pair.status == CandidatePair.Status.NOT_LINKED
    assert pair.decided_by == reviewer
    with pytest.raises(services.NotLinked):
        services.unlink(pair=pair, by=reviewer)


def test_people_without_records_are_removed_when_records_are_regrouped(linked):
    assert not Person.objects.filter(records__isnull=True).exists()


def test_link_people_refuses_to_run_without_a_model():
    with pytest.raises(CommandError, match="No linkage model has been trained yet"):
        call_command("link_people", stdout=StringIO())


def test_a_saved_model_that_does_not_load_refuses_to_run_and_says_why(trained_model):
    broken = {**trained_model, "probability_two_random_records_match": None}
    LinkageModelVersion.objects.create(version=1, model_json=broken, record_count=10)
    with pytest.raises(CommandError, match="no trained prior"):
        call_command("link_people", stdout=StringIO())
    with pytest.raises(ModelFileInvalid):
        services.current_model()


def test_the_retrain_command_saves_the_next_model_version(generated_people):
    _, recorded = generated_people
    import_generated(recorded[:400])
    out = StringIO()
    call_command("train_linkage_model", stdout=out)
    call_command("train_linkage_model", stdout=out)
    assert list(LinkageModelVersion.objects.values_list("version", flat=True)) == [2, 1]
    assert "version 2 trained on 400 records" in out.getvalue()


def test_training_refuses_with_too_few_records():
    PersonRecordFactory.create_batch(3)
    with pytest.raises(CommandError, match="at least 200"):
        call_command("train_linkage_model", stdout=StringIO())


def test_the_command_reports_what_the_run_did(linked):
    out = StringIO()
    call_command("link_people", stdout=out)
    assert "pairs scored" in out.getvalue()
    with pytest.raises(CommandError, match="thresholds"):
        call_command("link_people", auto_link=0.4, review=0.6)


class PartnerForms:
    key = "test-forms"
    label = "Partner forms (test)"

    def __init__(self, people):
        self._people = people

    def people(self):
        return self._people


def test_the_hubs_own_sources_are_read_through_the_registry():
    source = PartnerForms(
        [SourcedPerson(reference="F-1", first_name="Amy", surname="Lee", date_of_birth=dt.date(2012, 1, 2))]
    )
    sources.register(source)
    try:
        assert services.sync_sources() == 1
        assert services.sync_sources() == 0
        record = PersonRecord.objects.get(source="test-forms", source_reference="F-1")
        assert record.source_label == "Partner forms (test)"
        source._people = [SourcedPerson(reference="F-1", first_name="Amy", surname="Lee-Smith")]
        assert services.sync_sources() == 1
        record.refresh_from_db()
        assert record.surname == "Lee-Smith"
    finally:
        sources.unregister("test-forms")
    with pytest.raises(ValueError, match="extract"):
        sources.register(type("Bad", (), {"key": "extract", "label": "x", "people": lambda self: []})())
