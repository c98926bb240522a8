"""The same saved model on Apache Spark, through Splink's Spark backend, for a partnership whose
records outgrow one machine.

Records are standardised by the hub's one standardisation SQL (in DuckDB, which streams far more
than memory) and handed to Spark as Arrow; the model's comparisons are rendered in Spark's SQL
with the trained parameters carried across (`linkage_model.settings_for_dialect`).
"""

from __future__ import annotations

import logging
import os
import tempfile
import uuid
from typing import Any

import pyarrow as pa

from . import linkage_model, pipeline
from .standardise import standardise_table


def session(*, master: str | None = None, app_name: str = "hub-linkage"):
    """A Spark session with Splink's similarity functions; local with one thread unless SPARK_MASTER says."""
    from pyspark.sql import SparkSession
    from splink.internals.spark.jar_location import similarity_jar_location

    # py4j reports every connection it opens and closes at INFO, even after the process's streams close.
    logging.getLogger("py4j").setLevel(logging.WARNING)
    master = master or os.environ.get("SPARK_MASTER", "local[1]")
    builder = (
        SparkSession.builder.master(master)
        .appName(app_name)
        .config("spark.jars", similarity_jar_location())
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.session.timeZone", "UTC")
    )
    if master.startswith("local"):
        builder = builder.config("spark.sql.shuffle.partitions", "2").config("spark.default.parallelism", "2")
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    # Splink breaks long query plans by checkpointing; Spark needs somewhere to put them.
    spark.sparkContext.setCheckpointDir(
        os.environ.get("SPARK_CHECKPOINT_DIR", os.path.join(tempfile.gettempdir(), "hub-linkage-spark"))
    )
    return spark


def standardised(records: pa.Table, *, source_dataset: str | None = None) -> pa.Table:
    con = pipeline.connect()
    con.register("hub_spark_raw", records)
    standardise_table(con, source="hub_spark_raw", target="hub_spark_std", source_dataset=source_dataset)
    table = con.sql("select * from hub_spark_std").to_arrow_table()
    con.close()
    return table


def predict(
    spark, records: pa.Table | list[pa.Table], model: dict[str, Any], *, threshold: float
) -> list[tuple[str, str, float]]:
    """(record_id_l, record_id_r, match_probability) for every pair at or above `threshold`: one table
    is deduplicated; with two, each pair has the first table's record on the left."""
    from splink import Linker, SparkAPI

    tables = records if isinstance(records, list) else [records]
    names = ["left", "right"][: len(tables)]
    link_type = "dedupe_only" if len(tables) == 1 else "link_only"
    db_api = SparkAPI(spark_session=spark)
    run = uuid.uuid4().hex[:8]  # Spark's catalogue outlives one run, so each run's tables get their own names
    clean = [standardised(table, source_dataset=name) for table, name in zip(tables, names, strict=True)]
    inputs = [
        db_api.register(table, dataset_display_name=name, table_name=f"hub_{name}_{run}")
        for table, name in zip(clean, names, strict=True)
    ]
    settings = linkage_model.settings_for_dialect(model, "spark", link_type=link_type)
    linker = Linker(inputs if len(inputs) > 1 else inputs[0], settings, log_level=logging.WARNING)
    predictions = linker.inference.predict(threshold_match_probability=threshold, warning_mode="never")
    columns = ["record_id_l", "record_id_r", "match_probability"]
    if link_type == "link_only":
        columns.append("source_dataset_l")
    pairs = []
    for row in predictions.as_spark_dataframe().select(*columns).collect():
        left, right = row.record_id_l, row.record_id_r
        if link_type == "link_only" and row.source_dataset_l != "left":
            left, right = right, left
        pairs.append((left, right, row.match_probability))
    if not linkage_model.households_shown(model):
        return pairs
    # A pair the household rule lowers below the threshold is not written, as on DuckDB (`pipeline.pairs_sql`).
    return [pair for pair in _apply_household_rule(pairs, clean) if pair[2] >= threshold]


def _apply_household_rule(pairs: list[tuple[str, str, float]], clean: list[pa.Table]) -> list[tuple[str, str, float]]:
    """The household rule (twins and siblings at most to review), as `pipeline.run` applies it on DuckDB."""
    import pyarrow.compute as pc

    above = [pair for pair in pairs if pair[2] > linkage_model.HOUSEHOLD_RULE_PROBABILITY]
    if not above:
        return pairs
    sides = [clean[0], clean[-1]]  # deduplicating: both sides from the one table; linking: left and right
    needed = [{pair[0] for pair in above}, {pair[1] for pair in above}]
    records = [
        {row["record_id"]: row for row in table.filter(pc.is_in(table["record_id"], pa.array(list(ids)))).to_pylist()}
        for table, ids in zip(sides, needed, strict=True)
    ]
    homes, births = _households(clean)
    result = []
    for left, right, probability in pairs:
        if probability > linkage_model.HOUSEHOLD_RULE_PROBABILITY and linkage_model.household_conflict(
            records[0][left], records[1][right], homes, births
        ):
            probability = linkage_model.HOUSEHOLD_RULE_PROBABILITY
        result.append((left, right, probability))
    return result


def _households(clean: list[pa.Table]) -> tuple[set[tuple[str, str, str]], linkage_model.Births]:
    """The homes of people of one name born years apart, and the births showing two or more first names, among
    every record the run holds (as on DuckDB)."""
    import duckdb

    con = duckdb.connect()
    columns = [
        "postcode",
        "first_name",
        "surname",
        "birth_year",
        "date_of_birth",
        "given_names",
        "nhs_number",
        "pupil_number",
    ]
    for number, table in enumerate(clean):
        con.register(f"hub_clean_{number}", table.select(columns))
    con.execute(
        "create table hub_all as " + " union all ".join(f"select * from hub_clean_{n}" for n in range(len(clean)))
    )
    homes = linkage_model.namesake_homes(con, "hub_all")
    births = linkage_model.twin_births(con, "hub_all")
    con.close()
    return homes, births
