"""Every comparison level carries evidence, even trained on a small extract like the demo's."""

from __future__ import annotations

import csv
import math

import pytest

from apps.linkage import linkage_model, pipeline, synthetic

JORDAN = {
    "record_id": "jordan-child",
    "first_name": "Jordan",
    "surname": "Avery",
    "date_of_birth": "27/03/2011",
    "sex": "M",
    "address": "22 Heworth Green, York",
    "postcode": "YO31 7TQ",
}
JORDAN_ADULT = {**JORDAN, "record_id": "jordan-adult", "date_of_birth": "02/07/1984"}


@pytest.fixture(scope="module")
def demo_like(tmp_path_factory):
    """Trained as the demo is: about 850 records of two agencies, and the two Jordan Averys among them."""
    population = synthetic.people(600, seed=2024)
    recorded = [record for record in synthetic.records(population, seed=2025) if record.agency != "school"]
    path = tmp_path_factory.mktemp("evidence") / "records.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, [*recorded[0].as_row()], extrasaction="ignore")
        writer.writeheader()
        writer.writerows([record.as_row() for record in recorded] + [JORDAN, JORDAN_ADULT])
    con = pipeline.connect()
    pipeline.read_records_csv(con, path, table="records")
    result = pipeline.run(con, ["records"], threshold=0.0)
    pairs = {
        frozenset((a, b)): p
        for a, b, p in con.execute(
            f"select record_id_l, record_id_r, match_probability from {result.predictions}"
        ).fetchall()
    }
    return result.model, pairs


def test_no_level_is_left_without_evidence(demo_like):
    model, _ = demo_like
    for comparison in model["comparisons"]:
        for level in comparison["comparison_levels"]:
            if level.get("is_null_level"):
                continue
            m, u = level["m_probability"], level["u_probability"]
            assert m != u, (comparison["output_column_name"], level["label_for_charts"])
            if comparison["output_column_name"] in linkage_model.PRIOR_M:
                assert abs(math.log2(m / u)) > 0.1, (comparison["output_column_name"], level["label_for_charts"])


def test_levels_the_extract_could_not_train_are_named(demo_like):
    model, _ = demo_like
    assert model["hub_untrained_levels"]
    assert all(": " in level for level in model["hub_untrained_levels"])


def test_disagreeing_identifiers_weigh_strongly_against(demo_like):
    model, _ = demo_like
    for comparison in model["comparisons"]:
        for level in comparison["comparison_levels"]:
            bits = linkage_model.AT_LEAST_AGAINST.get((comparison["output_column_name"], level.get("label_for_charts")))
            if bits is not None:
                assert math.log2(level["m_probability"] / level["u_probability"]) <= -bits + 1e-9


def test_the_same_name_born_27_years_apart_is_not_linked_automatically(demo_like):
    _, pairs = demo_like
    assert pairs.get(frozenset(("jordan-child", "jordan-adult")), 0.0) < linkage_model.AUTO_LINK_THRESHOLD


def test_every_level_is_named_in_plain_english(demo_like):
    model, _ = demo_like
    for comparison in model["comparisons"]:
        for level in comparison["comparison_levels"]:
            assert "null" not in level["label_for_charts"].lower(), level["label_for_charts"]
            assert "_l" not in level["label_for_charts"], level["label_for_charts"]


def test_an_explanation_saved_with_splinks_own_words_is_shown_in_plain_english():
    from apps.linkage.explain import waterfall

    chart = waterfall(
        {
            "prior_weight": -10.0,
            "steps": [
                {"description": "Sex", "level": "sex is NULL", "weight": 0.0},
                {"description": "NHS number", "level": "nhs_number_l IS NULL OR nhs_number_r IS NULL", "weight": 0.0},
                {"description": "Surname", "level": "Same surname", "weight": 7.0},
            ],
        }
    )
    levels = [bar.level for bar in chart["bars"][1:]]
    assert levels == [
        "Sex not recorded on one record or both",
        "NHS number not recorded on one record or both",
        "Same surname",
    ]


def test_a_different_date_of_birth_weighs_what_records_of_people_alone_show_but_never_less_than_4_bits(demo_like):
    """Records of families keep at least 8 bits against a different date of birth; records that show no families
    (FEBRL's people alone, whose duplicates sometimes carry a replaced date) weigh what training found, and at
    least 4 bits."""
    import copy

    model, _ = demo_like
    key = "date_of_birth:Different dates of birth"
    assert key in model["hub_m_before_floor"]

    def dob_bits(share, learnt):
        changed = copy.deepcopy(model)
        changed["hub_m_before_floor"][key] = learnt
        linkage_model.allow_for_families(changed, share)
        comparison = next(c for c in changed["comparisons"] if c["output_column_name"] == "date_of_birth")
        level = next(
            lv for lv in comparison["comparison_levels"] if lv["label_for_charts"] == "Different dates of birth"
        )
        return math.log2(level["m_probability"] / level["u_probability"])

    assert dob_bits(0.8, 0.04) <= -8 + 1e-9  # families: the floor holds whatever training found
    assert dob_bits(None, 0.04) <= -8 + 1e-9  # too few pairs to tell: still families
    assert -8 < dob_bits(0.02, 0.04) <= -4  # people alone: what training found
    assert dob_bits(0.02, 0.9) == pytest.approx(-4)  # and never less than 4 bits against
