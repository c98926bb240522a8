"""The same saved model on Spark (local PySpark, one thread) finds the same links as on DuckDB."""

from __future__ import annotations

import pyarrow as pa
import pytest

from apps.linkage import linkage_model, pipeline, spark, synthetic


@pytest.fixture(scope="module")
def spark_session():
    session = spark.session(master="local[1]", app_name="hub-linkage-parity-test")
    yield session
    session.stop()


def test_spark_and_duckdb_give_the_same_links_with_the_same_saved_model(trained_model, spark_session):
    people = synthetic.people(220, seed=41)
    rows = [record.as_row() for record in synthetic.records(people, seed=42)]
    records = pa.table({name: [row[name] for row in rows] for name in rows[0]})

    con = pipeline.connect()
    con.register("records_arrow", records)
    con.execute("create table records as select * from records_arrow")
    result = pipeline.run(con, ["records"], model=trained_model, threshold=linkage_model.REVIEW_THRESHOLD)
    on_duckdb = {
        (left, right): probability
        for left, right, probability in con.execute(
            f"select record_id_l, record_id_r, match_probability from {result.predictions}"
        ).fetchall()
    }
    con.close()

    on_spark = {
        (left, right): probability
        for left, right, probability in spark.predict(
            spark_session, records, trained_model, threshold=linkage_model.REVIEW_THRESHOLD
        )
    }

    links = linkage_model.AUTO_LINK_THRESHOLD
    assert len(on_duckdb) > 100
    assert {pair for pair, p in on_spark.items() if p >= links} == {pair for pair, p in on_duckdb.items() if p >= links}
    assert set(on_spark) == set(on_duckdb)
    for pair, probability in on_duckdb.items():
        assert on_spark[pair] == pytest.approx(probability, abs=1e-9)


def test_the_model_rendered_for_spark_keeps_the_trained_parameters(trained_model):
    rendered = linkage_model.settings_for_dialect(trained_model, "spark")
    assert rendered["probability_two_random_records_match"] == trained_model["probability_two_random_records_match"]
    for theirs, ours in zip(rendered["comparisons"], trained_model["comparisons"], strict=True):
        for level_theirs, level_ours in zip(theirs["comparison_levels"], ours["comparison_levels"], strict=True):
            assert level_theirs.get("m_probability") == level_ours.get("m_probability")
    sql = " ".join(level["sql_condition"] for c in rendered["comparisons"] for level in c["comparison_levels"])
    assert "jaro_winkler(" in sql and "jaro_winkler_similarity" not in sql


def test_link_files_runs_a_saved_model_on_spark(trained_model, spark_session, tmp_path):
    import csv
    import json
    from io import StringIO

    from django.core.management import CommandError, call_command

    people = synthetic.people(120, seed=43)
    recorded = list(synthetic.records(people, seed=44))
    synthetic.write_csv([r for r in recorded if r.agency == "health"], tmp_path / "health.csv")
    synthetic.write_csv([r for r in recorded if r.agency == "school"], tmp_path / "school.csv")
    (tmp_path / "model.json").write_text(json.dumps(trained_model))
    for engine in ("duckdb", "spark"):
        call_command(
            "link_files",
            str(tmp_path / "health.csv"),
            str(tmp_path / "school.csv"),
            out=str(tmp_path / f"{engine}.csv"),
            clusters=str(tmp_path / f"{engine}-clusters.csv"),
            model=str(tmp_path / "model.json"),
            engine=engine,
            stdout=StringIO(),
        )

    def pairs(engine):
        with open(tmp_path / f"{engine}.csv", encoding="utf-8") as handle:
            return {(row["record_id_l"], row["record_id_r"]) for row in csv.DictReader(handle)}

    assert pairs("spark") == pairs("duckdb")
    assert pairs("spark")
    with pytest.raises(CommandError, match="Spark runs a saved model"):
        call_command("link_files", str(tmp_path / "health.csv"), out=str(tmp_path / "x.csv"), engine="spark")
