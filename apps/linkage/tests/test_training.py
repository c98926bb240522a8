"""Training shortcuts must give what Splink itself gives."""

from __future__ import annotations

import logging

from splink import DuckDBAPI, Linker

from apps.linkage import linkage_model, pipeline, synthetic
from apps.linkage.standardise import standardise_table


def _trained_u(con, fields, *, threaded: bool) -> dict:
    db_api = DuckDBAPI(connection=con)
    table = db_api.register("clean", dataset_display_name="left")
    linker = Linker(table, linkage_model.hub_settings(link_type="dedupe_only", fields=fields), log_level=logging.ERROR)
    if threaded:
        linkage_model.estimate_u(linker, max_pairs=5e4, seed=42)
    else:
        linker.training.estimate_u_using_random_sampling(max_pairs=5e4, seed=42)
    return {
        (comparison.output_column_name, level.comparison_vector_value): (
            level._u_probability,
            [value["probability"] for value in level._trained_u_probabilities],
        )
        for comparison in linker._settings_obj.comparisons
        for level in comparison._comparison_levels_excluding_null
    }


def test_u_estimated_in_threads_is_splinks_own_estimate(tmp_path, caplog):
    people = synthetic.people(1500, seed=5)
    path = tmp_path / "records.csv"
    synthetic.write_csv(list(synthetic.records(people, seed=6)), path)
    con = pipeline.connect()
    pipeline.read_records_csv(con, path, table="records")
    standardise_table(con, source="records", target="clean", source_dataset="left")
    fields = linkage_model.fields_present(con, "clean")
    with caplog.at_level(logging.INFO, logger="apps.linkage.linkage_model"):
        threaded = _trained_u(con, fields, threaded=True)
    assert "Estimating u in threads failed" not in caplog.text  # the threads did the work
    assert threaded == _trained_u(con, fields, threaded=False)
    assert sum(isinstance(u, float) for u, _ in threaded.values()) > 20
