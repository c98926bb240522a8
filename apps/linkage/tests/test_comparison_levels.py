"""Comparison levels that the batch run (Splink's SQL in DuckDB) and online matching (Python) must place alike."""

from __future__ import annotations

import csv

from apps.linkage import online, pipeline
from apps.linkage.standardise import standardise_one

# A name put in the wrong box is mistyped as often as one in the right box: "Pulfrd" in the first-name box
# beside the surname "Pulford" (FEBRL3's rec-725 is such a pair).
PULFORD = {
    "record_id": "pulford-1",
    "first_name": "Pulfrd",
    "middle_names": "",
    "surname": "Cassandra",
    "date_of_birth": "07/07/1924",
    "sex": "F",
    "address": "7 Summerville Crescent, Black Rock",
    "postcode": "YO24 3HT",
}
VICTORIA = {**PULFORD, "record_id": "pulford-2", "first_name": "Victoria", "surname": "Pulford"}
LABEL = "First name written as the other record's surname"


def test_a_first_name_written_as_the_other_records_surname_with_a_slip_is_that_level_in_batch_and_online(
    trained_model, tmp_path
):
    assert _levels_in_batch_and_online(trained_model, tmp_path, PULFORD, VICTORIA, "first_name") == (LABEL, LABEL)


def _levels_in_batch_and_online(trained_model, tmp_path, left, right, comparison):
    """The label of `comparison`'s level for the pair, as the batch run places it and as online matching does."""
    path = tmp_path / f"{left['record_id']}-{right['record_id']}.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, list(left))
        writer.writeheader()
        writer.writerows([left, right])
    con = pipeline.connect()
    pipeline.read_records_csv(con, path, table="records")
    result = pipeline.run(con, ["records"], model=trained_model, threshold=0.0)
    rows = con.execute(f"select gamma_{comparison} from {result.predictions}").fetchall()
    assert rows, "blocking kept the pair"
    levels = next(c for c in trained_model["comparisons"] if c["output_column_name"] == comparison)["comparison_levels"]
    # Splink numbers the levels from the last (0) up, the null level being -1; online, 0 is the null level.
    in_batch = levels[len(levels) - 1 - rows[0][0]]["label_for_charts"]
    online_level = online.LEVEL_OF[comparison](standardise_one(right), standardise_one(left))
    return in_batch, levels[online_level]["label_for_charts"]


FLORENCE = {**PULFORD, "record_id": "florence", "first_name": "Florence", "middle_names": "Leah", "surname": "Pickden"}


def _weight(model, comparison, label):
    import math

    level = next(
        level
        for c in model["comparisons"]
        if c["output_column_name"] == comparison
        for level in c["comparison_levels"]
        if level["label_for_charts"] == label
    )
    return math.log2(level["m_probability"] / level["u_probability"])


def test_middle_names_are_weighed_once_in_batch_and_online(trained_model, tmp_path):
    """Florence Leah and Chloe Leah share only a middle name: their first names differ, and the middle name
    counts in its own comparison, not twice. Zara Chloe and Zara Evie: the same first name, other middle names,
    which weigh against. Sofia beside Georgia Sofia: known by her middle name."""
    chloe = {**FLORENCE, "record_id": "chloe", "first_name": "Chloe"}
    same = ("Different first names", "Different first names")
    assert _levels_in_batch_and_online(trained_model, tmp_path, FLORENCE, chloe, "first_name") == same
    assert _levels_in_batch_and_online(trained_model, tmp_path, FLORENCE, chloe, "middle_names") == (
        "Same middle names",
        "Same middle names",
    )

    zara = {**FLORENCE, "record_id": "zara", "first_name": "Zara", "middle_names": "Chloe"}
    zara_evie = {**zara, "record_id": "zara-evie", "middle_names": "Evie"}
    assert _levels_in_batch_and_online(trained_model, tmp_path, zara, zara_evie, "middle_names") == (
        "Different middle names",
        "Different middle names",
    )
    assert _weight(trained_model, "middle_names", "Different middle names") < 0
    assert _weight(trained_model, "middle_names", "Same middle names") > 0

    georgia = {**FLORENCE, "record_id": "georgia", "first_name": "Georgia", "middle_names": "Sofia"}
    sofia = {**georgia, "record_id": "sofia", "first_name": "Sofia", "middle_names": ""}
    assert _levels_in_batch_and_online(trained_model, tmp_path, georgia, sofia, "first_name") == (
        "First and middle names swapped",
        "First and middle names swapped",
    )
    freddie = {**FLORENCE, "record_id": "freddie", "first_name": "Freddie", "middle_names": "Arthur"}
    arthur = {**freddie, "record_id": "arthur", "first_name": "Arthur", "middle_names": "Freddie"}
    assert _levels_in_batch_and_online(trained_model, tmp_path, freddie, arthur, "middle_names") == (
        "A middle name shared, or the names in another order",
        "A middle name shared, or the names in another order",
    )
