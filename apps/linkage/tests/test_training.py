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


def test_the_training_sample_of_a_large_file_is_the_same_whatever_order_its_records_are_read_in():
    """Above TRAINING_RECORDS the model trains on a sample: drawn by record id, not by the order rows arrive in,
    so two runs on one file train one model."""
    import duckdb

    con = duckdb.connect()
    con.execute("create table records as select 'R' || lpad(i::varchar, 7, '0') as record_id from range(20000) t(i)")
    con.execute("create table shuffled as select * from records order by hash(record_id)")
    condition = pipeline.training_sample_sql(0.2, 42)
    kept = [
        {row[0] for row in con.execute(f"select record_id from {table} where {condition}").fetchall()}
        for table in ("records", "shuffled")
    ]
    assert kept[0] == kept[1]
    assert 3_600 < len(kept[0]) < 4_400  # about a fifth
    condition = pipeline.training_sample_sql(0.2, 7)
    other_seed = {row[0] for row in con.execute(f"select record_id from records where {condition}").fetchall()}
    assert other_seed != kept[0]
