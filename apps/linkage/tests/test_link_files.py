"""`manage.py link_files`: the file-level pipeline an analyst or the benchmark uses without the web app."""

from __future__ import annotations

import csv
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from apps.linkage import synthetic
from apps.linkage.linkage_model import ModelFileInvalid, load_model


def read(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def population():
    people = synthetic.people(900, seed=11)
    return people, list(synthetic.records(people, seed=12))


@pytest.fixture(scope="module")
def deduplicated(population, tmp_path_factory):
    """One run of the command on a generated file, trained on it, with the model saved."""
    _, recorded = population
    folder = tmp_path_factory.mktemp("dedupe")
    synthetic.write_csv(recorded, folder / "records.csv")
    out = StringIO()
    call_command(
        "link_files",
        str(folder / "records.csv"),
        out=str(folder / "pairs.csv"),
        clusters=str(folder / "clusters.csv"),
        save_model=str(folder / "model.json"),
        stdout=out,
    )
    return folder, out.getvalue()


def test_deduplicating_a_file_finds_the_same_people_and_writes_the_issue_columns(population, deduplicated):
    _, recorded = population
    folder, output = deduplicated
    pairs = read(folder / "pairs.csv")
    assert list(pairs[0]) == ["record_id_l", "record_id_r", "match_probability"]
    assert all(float(pair["match_probability"]) >= 0.95 for pair in pairs)
    found = {tuple(sorted((pair["record_id_l"], pair["record_id_r"]))) for pair in pairs}
    truth = synthetic.true_pairs(recorded)
    precision = len(found & truth) / len(found)
    recall = len(found & truth) / len(truth)
    assert precision > 0.97, precision
    assert recall > 0.85, recall
    assert f"{len(pairs):,} pairs written" in output


def test_twins_are_not_linked_automatically(population, deduplicated):
    people, recorded = population
    folder, _ = deduplicated
    twins = synthetic.twin_pairs(people, recorded)
    assert twins, "the generated households should include twins"
    found = {tuple(sorted((pair["record_id_l"], pair["record_id_r"]))) for pair in read(folder / "pairs.csv")}
    assert len(found & twins) <= len(twins) * 0.05


def test_clusters_give_every_record_one_cluster(population, deduplicated):
    _, recorded = population
    folder, _ = deduplicated
    clusters = read(folder / "clusters.csv")
    assert list(clusters[0]) == ["record_id", "cluster_id"]
    assert sorted(row["record_id"] for row in clusters) == sorted(record.record_id for record in recorded)


def test_the_saved_model_reloads_and_gives_the_same_pairs(deduplicated):
    folder, _ = deduplicated
    model = load_model((folder / "model.json").read_text())
    assert model["hub_setup"]
    call_command(
        "link_files",
        str(folder / "records.csv"),
        out=str(folder / "again.csv"),
        model=str(folder / "model.json"),
        stdout=StringIO(),
    )
    assert read(folder / "again.csv") == read(folder / "pairs.csv")


def test_two_files_are_linked_with_the_left_files_ids_on_the_left(population, deduplicated, tmp_path):
    _, recorded = population
    folder, _ = deduplicated
    left = [record for record in recorded if record.agency == "health"]
    right = [record for record in recorded if record.agency == "school"]
    synthetic.write_csv(left, tmp_path / "health.csv")
    synthetic.write_csv(right, tmp_path / "school.csv")
    call_command(
        "link_files",
        str(tmp_path / "health.csv"),
        str(tmp_path / "school.csv"),
        out=str(tmp_path / "pairs.csv"),
        model=str(folder / "model.json"),
        stdout=StringIO(),
    )
    pairs = read(tmp_path / "pairs.csv")
    left_ids = {record.record_id for record in left}
    right_ids = {record.record_id for record in right}
    assert pairs
    assert all(pair["record_id_l"] in left_ids and pair["record_id_r"] in right_ids for pair in pairs)
    person = {record.record_id: record.person_id for record in recorded}
    correct = sum(person[pair["record_id_l"]] == person[pair["record_id_r"]] for pair in pairs)
    assert correct / len(pairs) > 0.97


def test_a_model_file_that_does_not_load_refuses_to_run_and_says_why(deduplicated, tmp_path):
    folder, _ = deduplicated
    broken = tmp_path / "model.json"
    broken.write_text("{not json")
    with pytest.raises(CommandError, match="not valid JSON"):
        call_command("link_files", str(folder / "records.csv"), out=str(tmp_path / "p.csv"), model=str(broken))
    model = json.loads((folder / "model.json").read_text())
    model["comparisons"][0]["comparison_levels"][1]["m_probability"] = None
    broken.write_text(json.dumps(model))
    with pytest.raises(CommandError, match="no trained m_probability"):
        call_command("link_files", str(folder / "records.csv"), out=str(tmp_path / "p.csv"), model=str(broken))
    assert not (tmp_path / "p.csv").exists()


def test_a_model_for_another_set_up_is_refused():
    with pytest.raises(ModelFileInvalid, match="different set-up"):
        load_model(json.dumps({"comparisons": [{"output_column_name": "first_name"}], "hub_setup": "old"}))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "not a readable CSV|no records|header must name"),
        ("record_id,first_name,surname\n1,Ann,Lee\n", "missing: date_of_birth, sex, address, postcode"),
        ("record_id,first_name,surname,date_of_birth,sex,address,postcode\n", "no records"),
        (
            "record_id,first_name,surname,date_of_birth,sex,address,postcode\n1,A,B,,,,\n1,C,D,,,,\n",
            "must be unique",
        ),
    ],
)
def test_bad_files_get_a_clear_message(tmp_path, content, message):
    path = tmp_path / "records.csv"
    path.write_text(content)
    with pytest.raises(CommandError, match=message):
        call_command("link_files", str(path), out=str(tmp_path / "pairs.csv"))


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        call_command("link_files", str(tmp_path / "nope.csv"), out=str(tmp_path / "pairs.csv"))
