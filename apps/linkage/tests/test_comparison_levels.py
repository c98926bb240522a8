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
    path = tmp_path / "records.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, list(PULFORD))
        writer.writeheader()
        writer.writerows([PULFORD, VICTORIA])
    con = pipeline.connect()
    pipeline.read_records_csv(con, path, table="records")
    result = pipeline.run(con, ["records"], model=trained_model, threshold=0.0)
    (gamma,) = con.execute(f"select gamma_first_name from {result.predictions}").fetchall()[0]
    levels = next(c for c in trained_model["comparisons"] if c["output_column_name"] == "first_name")[
        "comparison_levels"
    ]
    # Splink numbers the levels from the last (0) up, the null level being -1.
    assert levels[len(levels) - 1 - gamma]["label_for_charts"] == LABEL

    new, known = standardise_one(VICTORIA), standardise_one(PULFORD)
    # Online, level 0 is the null level, in the model's order.
    assert levels[online.LEVEL_OF["first_name"](new, known)]["label_for_charts"] == LABEL
