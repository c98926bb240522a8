"""What record linkage writes as CSV for people goes through the hub's one CSV writer."""

from __future__ import annotations

import csv
import dataclasses

from apps.core.csv_export import FORMULA_PREFIXES
from apps.linkage import synthetic
from apps.linkage.pipeline import link_files


def test_a_record_id_that_looks_like_a_formula_is_written_as_text(generated_people, trained_model, tmp_path):
    _, recorded = generated_people
    linked = sorted({left for left, _ in synthetic.true_pairs(recorded)})[: len(FORMULA_PREFIXES)]
    renamed = {left: f"{prefix}cmd|'/Ccalc'!{left}" for prefix, left in zip(FORMULA_PREFIXES, linked, strict=True)}
    records = [
        dataclasses.replace(record, record_id=renamed.get(record.record_id, record.record_id)) for record in recorded
    ]
    source = tmp_path / "records.csv"
    with open(source, "w", newline="", encoding="utf-8") as handle:  # the agency's own file, unguarded
        writer = csv.DictWriter(handle, fieldnames=list(records[0].as_row()))
        writer.writeheader()
        writer.writerows(record.as_row() for record in records)

    link_files(source, out=tmp_path / "pairs.csv", clusters=tmp_path / "clusters.csv", model=trained_model)

    with open(tmp_path / "pairs.csv", encoding="utf-8", newline="") as handle:
        written = {cell for row in csv.reader(handle) for cell in row[:2]}
    with open(tmp_path / "clusters.csv", encoding="utf-8", newline="") as handle:
        clustered = {cell for row in csv.reader(handle) for cell in row}
    for dangerous in renamed.values():
        assert "'" + dangerous in clustered
        assert dangerous not in written | clustered
    assert {"'" + dangerous for dangerous in renamed.values()} & written
