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


def standardised(records: pa.Table) -> pa.Table:
    con = pipeline.connect()
    con.register("hub_spark_raw", records)
    standardise_table(con, source="hub_spark_raw", target="hub_spark_std")
    table = con.sql("select * from hub_spark_std").to_arrow_table()
    con.close()
    return table


def predict(spark, records: pa.Table, model: dict[str, Any], *, threshold: float) -> list[tuple[str, str, float]]:
    """(record_id_l, record_id_r, match_probability) for every pair at or above `threshold`, deduplicating."""
    from splink import Linker, SparkAPI

    db_api = SparkAPI(spark_session=spark)
    people = db_api.register(standardised(records), dataset_display_name="people")
    settings = linkage_model.settings_for_dialect(model, "spark", link_type="dedupe_only")
    linker = Linker(people, settings, log_level=logging.WARNING)
    predictions = linker.inference.predict(threshold_match_probability=threshold, warning_mode="never")
    rows = predictions.as_spark_dataframe().select("record_id_l", "record_id_r", "match_probability").collect()
    return [(row.record_id_l, row.record_id_r, row.match_probability) for row in rows]
