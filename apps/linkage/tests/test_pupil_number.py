"""The unique pupil number: compared by the model, a blocking key, and only with a check letter that agrees."""

from __future__ import annotations

import csv
import random

import pytest

from apps.core.identifiers import upn_check_letter
from apps.linkage import online, pipeline, synthetic
from apps.linkage.standardise import standardise_one


def pupil_number(serial: int) -> str:
    rest = f"{serial:012d}"
    return upn_check_letter(rest) + rest


# One pupil recorded twice with nothing else to find the pair by: a new surname, another home and a
# date of birth typed wrong. Only the pupil number brings them together.
KAI = {
    "record_id": "kai-school",
    "first_name": "Kai",
    "surname": "Brown",
    "date_of_birth": "05/04/2013",
    "sex": "M",
    "address": "3 Mill Lane, Malton",
    "postcode": "YO17 7LX",
    "pupil_number": pupil_number(987654),
}
KAI_AGAIN = {
    **KAI,
    "record_id": "kai-health",
    "surname": "Okafor",
    "date_of_birth": "15/06/2013",
    "address": "40 Station Road, Thirsk",
    "postcode": "YO7 1PZ",
}


@pytest.fixture(scope="module")
def with_pupil_numbers(tmp_path_factory):
    population = synthetic.people(400, seed=7)
    recorded = list(synthetic.records(population, seed=8))
    rng = random.Random(9)
    rows = []
    for record in recorded:
        row = record.as_row()
        if record.date_of_birth[-4:] > "2008" and rng.random() < 0.6:
            row["pupil_number"] = pupil_number(record.person_id)
        rows.append(row)
    path = tmp_path_factory.mktemp("upn") / "records.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, [*rows[0], "pupil_number"], extrasaction="ignore")
        writer.writeheader()
        writer.writerows([*rows, KAI, KAI_AGAIN])
    con = pipeline.connect()
    pipeline.read_records_csv(con, path, table="records")
    result = pipeline.run(con, ["records"], threshold=0.0)
    found = con.execute(
        f"select gamma_pupil_number from {result.predictions}"
        " where least(record_id_l, record_id_r) = 'kai-health' and greatest(record_id_l, record_id_r) = 'kai-school'"
    ).fetchall()
    return {"model": result.model, "kai": found, "con": con}


def test_the_model_compares_pupil_numbers(with_pupil_numbers):
    [comparison] = [c for c in with_pupil_numbers["model"]["comparisons"] if c["output_column_name"] == "pupil_number"]
    same = next(
        level for level in comparison["comparison_levels"] if level.get("label_for_charts") == "Same pupil number"
    )
    assert same["m_probability"] / same["u_probability"] > 2**5


def test_a_shared_pupil_number_alone_finds_the_pair(with_pupil_numbers):
    assert with_pupil_numbers["kai"], "the pair was not blocked"
    assert with_pupil_numbers["kai"][0][0] == 2  # the "same pupil number" level


def test_online_matching_finds_a_pupil_by_the_number(with_pupil_numbers):
    index = online.PeopleIndex.build(with_pupil_numbers["con"], "records", with_pupil_numbers["model"])
    found = index.find({**KAI_AGAIN, "record_id": "typed"}, minimum=0.0)
    assert "kai-school" in [candidate.record_id for candidate in found]


def test_a_pupil_number_with_a_wrong_check_letter_is_not_compared():
    good = pupil_number(123)
    wrong = ("B" if good[0] != "B" else "C") + good[1:]
    assert standardise_one({"record_id": "1", "pupil_number": good.lower()})["pupil_number"] == good
    assert standardise_one({"record_id": "1", "pupil_number": wrong})["pupil_number"] is None
