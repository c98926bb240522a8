"""Linking people's records held in files, without the web app: what `manage.py link_files`,
the benchmarks and the hub's own batch run share.

Records go into an embedded DuckDB database, are standardised (`standardise.py`), compared by
the hub's model (`linkage_model.py`, trained on the records themselves unless a saved model is
given) and the pairs at or above a threshold come back, with clusters if asked for.
"""

from __future__ import annotations

import logging
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
from splink import DuckDBAPI, Linker

from apps.core.csv_export import csv_writer

from .linkage_model import (
    AUTO_LINK_THRESHOLD,
    HOUSEHOLD_RULE_PROBABILITY,
    HOUSEHOLD_RULE_WEIGHT,
    NAMESAKE_HOMES_SQL,
    TWIN_BIRTHS_SQL,
    allow_for_families,
    allow_for_twins,
    family_surname_share,
    fields_present,
    household_rule_sql,
    households_shown,
    hub_settings,
    model_json,
    settings_for,
    train,
    twin_share,
    twins_name_sql,
)
from .standardise import standardise_table

logger = logging.getLogger(__name__)

FILE_COLUMNS = ("record_id", "first_name", "surname", "date_of_birth", "sex", "address", "postcode")
OPTIONAL_FILE_COLUMNS = ("middle_names", "nhs_number", "pupil_number")

# Above this many records the model is trained on a uniform sample of them (see `run`).
TRAINING_RECORDS = 200_000

# Splink reports every training step at INFO; the hub's log keeps its warnings only.
SPLINK_LOG_LEVEL = logging.WARNING


class InputFileInvalid(Exception):
    """A file of records that cannot be linked; the message says what is wrong with it."""


@dataclass
class LinkRun:
    """What a run produced and how long each stage took (seconds)."""

    con: duckdb.DuckDBPyConnection
    linker: Linker
    predictions: str  # the DuckDB table of scored pairs
    model: dict[str, Any]
    link_type: str
    record_count: int
    timings: dict[str, float] = field(default_factory=dict)


def connect(*, memory_limit: str = "4GB", threads: int | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB that spills to a temporary directory rather than grow past `memory_limit`."""
    con = duckdb.connect()
    con.execute(f"set memory_limit = '{memory_limit}'")
    con.execute(f"set temp_directory = '{tempfile.gettempdir()}/hub-linkage-duckdb'")
    con.execute("set preserve_insertion_order = false")
    if threads:
        con.execute(f"set threads = {int(threads)}")
    return con


def read_records_csv(con: duckdb.DuckDBPyConnection, path: Path, *, table: str) -> int:
    """Load one CSV of records into `table`, refusing files that lack the columns the model needs."""
    if not path.is_file():
        raise InputFileInvalid(f"{path}: no such file.")
    try:
        con.execute(
            f"create or replace table {table} as select * from read_csv(?, header = true, all_varchar = true)",
            [str(path)],
        )
    except duckdb.Error as error:
        raise InputFileInvalid(f"{path}: not a readable CSV file ({str(error).splitlines()[0]}).") from None
    columns = {row[0].strip().lower() for row in con.execute(f"describe {table}").fetchall()}
    missing = [name for name in FILE_COLUMNS if name not in columns]
    if missing:
        raise InputFileInvalid(
            f"{path}: the header must name {', '.join(FILE_COLUMNS)} (and may name "
            f"{', '.join(OPTIONAL_FILE_COLUMNS)}); missing: {', '.join(missing)}."
        )
    count, distinct, blank = con.execute(
        f"select count(*), count(distinct record_id), count(*) filter (where coalesce(trim(record_id), '') = '')"
        f" from {table}"
    ).fetchall()[0]
    if count == 0:
        raise InputFileInvalid(f"{path}: the file has a header but no records.")
    if blank:
        raise InputFileInvalid(f"{path}: {blank} record(s) have no record_id.")
    if distinct != count:
        raise InputFileInvalid(f"{path}: record_id must be unique, but {count - distinct} are repeated.")
    return count


def run(
    con: duckdb.DuckDBPyConnection,
    tables: Sequence[str],
    *,
    model: dict[str, Any] | None = None,
    threshold: float | None = AUTO_LINK_THRESHOLD,
    seed: int = 42,
    explain: bool = True,
) -> LinkRun:
    """Standardise `tables` (one: deduplicate; two: link), train or load the model, and predict pairs.

    With `explain`, each pair keeps its fields and each comparison's level and weight (what the
    review queue shows); without, only the ids and scores, which is faster on large files.
    """
    timings: dict[str, float] = {}
    started = time.perf_counter()
    link_type = "dedupe_only" if len(tables) == 1 else "link_only"
    names = ["left", "right"][: len(tables)]
    for table, name in zip(tables, names, strict=True):
        standardise_table(con, source=table, target=f"hub_std_{name}", source_dataset=name)
    record_count = sum(con.execute(f"select count(*) from hub_std_{name}").fetchall()[0][0] for name in names)
    timings["standardise"] = time.perf_counter() - started

    db_api = DuckDBAPI(connection=con)
    inputs = [db_api.register(f"hub_std_{name}", dataset_display_name=name) for name in names]
    started = time.perf_counter()
    fields = _fields_of(con, names)
    if model is None:
        # The records' own evidence of twins and of families (`twin_share`, `family_surname_share`) needs nothing
        # from training: a cursor of its own works it out while Splink trains, on whichever core is free.
        every = "(" + " union all by name ".join(f"select * from hub_std_{name}" for name in names) + ")"
        shares = _in_background(con, lambda cursor: (twin_share(cursor, every), family_surname_share(cursor, every)))
        try:
            model = _train_model(con, db_api, inputs, names, fields, link_type, record_count, seed)
        except BaseException:
            shares(quiet=True)  # the cursor's query ends before the caller may close the connection
            raise
        twins, families = shares()
        allow_for_twins(model, twins)
        allow_for_families(model, families)
    settings = settings_for(model, link_type=link_type)
    settings["retain_intermediate_calculation_columns"] = explain
    settings["retain_matching_columns"] = explain
    linker = Linker(inputs if len(inputs) > 1 else inputs[0], settings, log_level=SPLINK_LOG_LEVEL)
    timings["train"] = time.perf_counter() - started

    started = time.perf_counter()
    pruned = _block_and_prune(linker, threshold) if threshold is not None and 0 < threshold < 1 else None
    predictions = linker.inference.predict(threshold_match_probability=threshold, warning_mode="never")
    if pruned is not None:
        _drop_pruned(linker, pruned)
    if households_shown(model):
        apply_household_rule(con, predictions.physical_name, names, link_type=link_type)
    else:
        logger.warning("These records show no families: the twins-and-relatives rule is not applied.")
        con.execute(f"alter table {predictions.physical_name} add column hub_household_rule double default 0")
        con.execute(f"alter table {predictions.physical_name} add column hub_household_reason varchar")
    timings["predict"] = time.perf_counter() - started
    return LinkRun(
        con=con,
        linker=linker,
        predictions=predictions.physical_name,
        model=model,
        link_type=link_type,
        record_count=record_count,
        timings=timings,
    )


# SQL too costly, per pair, for the bound to evaluate as it stands (see `_weight_bound_sql`). DuckDB's
# damerau_levenshtein takes about five times levenshtein's time, list_intersect twice list_has_any's (on 200,000
# records' 1,084,000 blocked pairs, 1.0 s against 0.2 s and 0.55 s against 0.25 s of CPU); jaro_winkler_similarity is
# as cheap as levenshtein.
EXPENSIVE_SQL = ("levenshtein", "list_", "array_", "jaccard", "hamming", "select ", "exists")


def _costly(sql: str) -> bool:
    text = sql.lower()
    return any(word in text for word in EXPENSIVE_SQL)


def _relaxed_sql(sql: str) -> str:
    """A cheap condition true wherever `sql` is (and perhaps elsewhere). Each costly test in it, where it is not
    under a NOT, becomes a cheaper one it implies: a Damerau-Levenshtein distance of at most k a Levenshtein distance
    of at most 2k (a transposition is two substitutions), lists sharing k >= 1 items lists sharing one; any other
    costly test (or a NOT holding one) is taken as true, and so is SQL the parser cannot read."""
    import re

    import sqlglot
    from sqlglot import exp

    def relax(node) -> str:
        if isinstance(node, exp.Paren):
            return relax(node.this)
        if isinstance(node, exp.And | exp.Or):
            joiner = " AND " if isinstance(node, exp.And) else " OR "
            return "(" + relax(node.this) + joiner + relax(node.expression) + ")"
        text = node.sql(dialect="duckdb")
        if not _costly(text):
            return f"({text})"
        if match := re.fullmatch(r"DAMERAU_LEVENSHTEIN\(([^()]*)\) <= (\d+)", text):
            return f"(levenshtein({match[1]}) <= {2 * int(match[2])})"
        match = re.fullmatch(r"ARRAY_LENGTH\(LIST_INTERSECT\(([^()]*)\)\) >= (\d+)", text)
        if match and int(match[2]) >= 1:
            return f"list_has_any({match[1]})"
        return "true"

    try:
        return relax(sqlglot.parse_one(sql, read="duckdb"))
    except Exception:  # a condition the parser cannot read is simply not used to prune
        return "true"


def _level_weight_sql(level, levels) -> str:
    """The match weight (bits) Splink gives a pair in this level, its term frequency adjustment included."""
    if level._match_weight is None:
        raise ValueError(f"{level.label_for_charts}: no m or u probability")
    weight = f"cast({level._match_weight!r} as float8)"
    if level.is_null_level or level._is_else_level or not level._has_tf_adjustments or not level._tf_adjustment_weight:
        return weight
    when = level._tf_adjustment_sql("hub_gamma", levels)
    return f"({weight} + (CASE {when.replace(f'hub_gamma = {level.comparison_vector_value}', 'true', 1)} END))"


def _comparison_bound_sql(comparison) -> str:
    """The most one comparison can add to a pair's match weight, as `_weight_bound_sql` works it out."""
    levels = comparison.comparison_levels
    whens: list[str] = []  # the cheap levels before the first costly one, tested in order as Splink tests them
    # From the first costly level on, every level that may be the pair's: (condition, weight SQL, weight where it
    # is fixed, whether it is else or cheap)
    candidates: list[tuple[str, str, float | None, bool]] = []
    cheap_after: list[str] = []
    exact = True
    for level in levels:
        weight = _level_weight_sql(level, levels)
        fixed = float(level._match_weight) if weight.startswith("cast(") else None
        sql = level.sql_condition
        if exact and not level._is_else_level and not _costly(sql):
            whens.append(f"WHEN {sql} THEN {weight}")
            continue
        exact = False
        if level._is_else_level:
            condition, fallback = "true", True
        elif _costly(sql):
            condition, fallback = _relaxed_sql(sql), False
        else:
            condition, fallback = f"({sql})", True
        unless = " OR ".join(f"coalesce({c}, false)" for c in cheap_after)
        candidates.append((f"{condition} AND NOT ({unless})" if unless else condition, weight, fixed, fallback))
        if fallback and not level._is_else_level:
            cheap_after.append(f"({sql})")
    # Where there is an else level, one of the cheap levels after the first costly one, or else, is always the
    # first to hold of them: a costly level of a fixed weight no greater than the least of theirs never gives the most.
    floor = [fixed for _, _, fixed, fallback in candidates if fallback]
    if any(level._is_else_level for level in levels) and floor and None not in floor:
        candidates = [c for c in candidates if c[3] or c[2] is None or c[2] > min(floor)]
    fixed_weights = [c[2] for c in candidates]
    if not candidates:
        rest = "NULL"
    elif None in fixed_weights:
        rest = (
            "greatest("
            + ", ".join(f"CASE WHEN {condition} THEN {weight} END" for condition, weight, _, _ in candidates)
            + ")"
        )
    else:
        # The first to hold, the heaviest first, is the most.
        ordered = sorted(candidates, key=lambda c: -c[2])
        rest = "CASE " + " ".join(f"WHEN {condition} THEN {weight}" for condition, weight, _, _ in ordered) + " END"
    return f"(CASE {' '.join(whens)} ELSE {rest} END)" if whens else f"({rest})"


def _weight_bound_sql(linker: Linker) -> str:
    """SQL over Splink's `blocked_with_cols` (columns `x_l`, `x_r`, `tf_x_l`, ...) for an upper bound of each pair's
    match weight. Each comparison's levels are tested in order, as Splink tests them, while their SQL is cheap
    (equalities, nulls, substrings, Jaro-Winkler: nothing in EXPENSIVE_SQL). From the first costly
    level on, the comparison counts the most of any level still possible: a costly level is possible where its
    condition with each costly test taken as true holds (`_relaxed_sql`), any level only if no cheap level between
    the first costly one and it holds (Splink would have stopped there)."""
    import math

    settings = linker._settings_obj
    prior = settings._probability_two_random_records_match
    parts = [f"cast({math.log2(prior / (1 - prior))!r} as float8)"]
    parts.extend(_comparison_bound_sql(comparison) for comparison in settings.comparisons)
    return " + ".join(parts)


# What the bound may allow for floating point (bits): Splink adds the same weights in another order.
BOUND_MARGIN = 1e-6


def _block_and_prune(linker: Linker, threshold: float):  # 0 < threshold < 1
    """Compute Splink's blocked pairs for `predict` and leave out, before any comparison is worked out, the pairs
    whose match weight cannot reach `threshold` (`_weight_bound_sql`): predict then scores only the others, and
    every pair it returns is the pair, with the score, it returned before. Returns the pruned table (in Splink's
    cache, where `predict` finds it), for the caller to drop afterwards (`_drop_pruned`)."""
    import math

    from splink.internals.chunking import _blocked_pairs_cache_key
    from splink.internals.comparison_vector_values import compute_comparison_vector_values_from_id_pairs_sqls
    from splink.internals.pipeline import CTEPipeline
    from splink.internals.vertically_concatenate import enqueue_df_concat_with_tf

    settings = linker._settings_obj
    db_api = linker._db_api
    try:
        bound = _weight_bound_sql(linker)
    except Exception:  # a level without a weight (untrained): Splink's own predict decides alone
        logger.info("No bound on the match weight for this model; every blocked pair is scored", exc_info=True)
        return None
    blocked = linker.inference.compute_blocked_pairs_for_predict()
    pipeline = CTEPipeline([blocked])
    enqueue_df_concat_with_tf(linker, pipeline)
    sqls = compute_comparison_vector_values_from_id_pairs_sqls(
        [*settings._columns_to_select_for_blocking, "b.join_key_l as hub_join_key_l", "b.join_key_r as hub_join_key_r"],
        settings._columns_to_select_for_comparison_vector_values,
        input_tablename_l="__splink__df_concat_with_tf",
        input_tablename_r="__splink__df_concat_with_tf",
        source_dataset_input_column=settings.column_info_settings.source_dataset_input_column,
        unique_id_input_column=settings.column_info_settings.unique_id_input_column,
        link_type=settings._link_type,
        sql_dialect_str=linker._sql_dialect_str,
    )
    pipeline.enqueue_list_of_sqls(sqls[:-1])  # the pairs with their records' columns, not yet compared
    weight = math.log2(threshold / (1 - threshold))
    pipeline.enqueue_sql(
        "select match_key, hub_join_key_l as join_key_l, hub_join_key_r as join_key_r from blocked_with_cols"
        f" where {bound} >= {weight - BOUND_MARGIN!r}",
        "__splink__hub_pruned_id_pairs",
    )
    pruned = db_api.sql_pipeline_to_splink_dataframe(pipeline)
    blocked.drop_table_from_database_and_remove_from_cache()
    kept = db_api.table_to_splink_dataframe("__splink__blocked_id_pairs", pruned.physical_name)
    linker._intermediate_table_cache[_blocked_pairs_cache_key()] = kept
    return pruned


def _drop_pruned(linker: Linker, pruned) -> None:
    from splink.internals.chunking import _blocked_pairs_cache_key

    linker._intermediate_table_cache.pop(_blocked_pairs_cache_key(), None)
    pruned.drop_table_from_database_and_remove_from_cache()


def training_sample_sql(share: float, seed: int) -> str:
    """A condition keeping about `share` of the records, chosen by a hash of each record's id and the seed: the
    same records whatever order they are read in (DuckDB reads a file on several threads, and a sample drawn
    row by row followed that order, so two runs on one file trained different models)."""
    return f"hash(record_id || ':{int(seed)}') % 1000000 < {round(share * 1_000_000)}"


def _train_model(con, db_api, inputs, names, fields, link_type: str, record_count: int, seed: int) -> dict[str, Any]:
    """Train the hub's model on the records (a uniform sample of them above TRAINING_RECORDS)."""
    training = inputs
    if record_count > TRAINING_RECORDS:
        # A uniform sample of records keeps every parameter's estimate, the prior included (true
        # pairs and all pairs both shrink by the square of the share), at a fraction of the cost.
        share = TRAINING_RECORDS / record_count
        training = []
        for name in names:
            con.execute(
                f"create or replace table hub_train_{name} as select * from hub_std_{name}"
                f" where {training_sample_sql(share, seed)}"
            )
            training.append(db_api.register(f"hub_train_{name}", dataset_display_name=f"train_{name}"))
    linker = Linker(
        training if len(training) > 1 else training[0],
        hub_settings(link_type=link_type, fields=fields),
        log_level=SPLINK_LOG_LEVEL,
    )
    train(linker, record_count=min(record_count, TRAINING_RECORDS), seed=seed)
    return model_json(linker)


def _in_background(con: duckdb.DuckDBPyConnection, work):
    """Run `work(cursor)` on a thread with a cursor of `con`'s database; the returned function waits for its
    result (or raises what it raised)."""
    import threading

    outcome: dict[str, Any] = {}

    def run_it() -> None:
        cursor = con.cursor()
        try:
            outcome["value"] = work(cursor)
        except BaseException as error:  # raised again in the caller's thread
            outcome["error"] = error
        finally:
            cursor.close()

    thread = threading.Thread(target=run_it, name="hub-linkage-background")
    thread.start()

    def result(*, quiet: bool = False):
        thread.join()
        if "error" in outcome and not quiet:
            raise outcome["error"]
        return outcome.get("value")

    return result


def apply_household_rule(con: duckdb.DuckDBPyConnection, predictions: str, names: Sequence[str], *, link_type: str):
    """Lower every pair the household rule catches (twins, siblings, namesakes) to at most a review.

    `hub_household_rule` holds the bits taken off (0 for every other pair) and `hub_household_reason` why,
    for the explanation."""
    con.execute(f"alter table {predictions} add column hub_household_rule double default 0")
    con.execute(f"alter table {predictions} add column hub_household_reason varchar")
    datasets = link_type != "dedupe_only"
    on_left = " and l.source_dataset = p.source_dataset_l" if datasets else ""
    on_right = " and r.source_dataset = p.source_dataset_r" if datasets else ""
    carried = ", p.source_dataset_l, p.source_dataset_r" if datasets else ""
    # First the few pairs above the cap with their reason (explicit joins, so each is a hash join), then
    # the update by their ids.
    con.execute("create or replace temp table hub_namesake_homes as " + NAMESAKE_HOMES_SQL.format(table="hub_std_all"))
    con.execute("create or replace temp table hub_twin_births as " + TWIN_BIRTHS_SQL.format(table="hub_std_all"))
    # The pairs where a record carries a twin's name, by a join with the births (looked up pair by pair, inside the
    # rule, they cost as much as the rest of it: on 200,000 records 2.8 CPU-s for the rule against 1.5 this way).
    pairs = (
        f"from {predictions} p join hub_std_all l on l.record_id = p.record_id_l{on_left}"
        f" join hub_std_all r on r.record_id = p.record_id_r{on_right}"
    )
    above = f"p.match_weight > {HOUSEHOLD_RULE_WEIGHT!r}"
    con.execute(
        "create or replace temp table hub_twin_name_pairs as "
        + " union ".join(
            f"select p.record_id_l, p.record_id_r{carried} {pairs}"
            f" join hub_twin_births t on {twins_name_sql(x, y, 't')} where {above}"
            for x, y in (("l", "r"), ("r", "l"))
        )
    )

    def same_as(c: str) -> str:
        return (
            f" and {c}.source_dataset_l = p.source_dataset_l and {c}.source_dataset_r = p.source_dataset_r" * datasets
        )

    rule = household_rule_sql("l", "r", namesakes="hub_namesake_homes", twin_name_carried="n.record_id_l is not null")
    con.execute(
        f"create or replace temp table hub_household_caught as select p.record_id_l, p.record_id_r{carried},"
        f" {rule} as reason {pairs}"
        " left join hub_twin_name_pairs n"
        f" on n.record_id_l = p.record_id_l and n.record_id_r = p.record_id_r{same_as('n')}"
        f" where {above}"
    )
    same = same_as("c")
    con.execute(
        f"update {predictions} as p set hub_household_rule = {HOUSEHOLD_RULE_WEIGHT!r} - p.match_weight,"
        f" hub_household_reason = c.reason,"
        f" match_weight = {HOUSEHOLD_RULE_WEIGHT!r}, match_probability = {HOUSEHOLD_RULE_PROBABILITY!r}"
        " from hub_household_caught c"
        f" where c.reason is not null and c.record_id_l = p.record_id_l and c.record_id_r = p.record_id_r{same}"
    )
    con.execute("drop table hub_household_caught")
    con.execute("drop table hub_twin_name_pairs")
    con.execute("drop table hub_namesake_homes")
    con.execute("drop table hub_twin_births")


def _fields_of(con: duckdb.DuckDBPyConnection, names: Sequence[str]) -> list[str]:
    con.execute(
        "create or replace temp view hub_std_all as "
        + " union all by name ".join(f"select * from hub_std_{name}" for name in names)
    )
    return fields_present(con, "hub_std_all")


def pairs_sql(result: LinkRun, *, threshold: float) -> str:
    """record_id_l, record_id_r, match_probability; with two files, _l is always the left file's."""
    if result.link_type == "dedupe_only":
        left, right = "record_id_l", "record_id_r"
    else:
        left = "case when source_dataset_l = 'left' then record_id_l else record_id_r end"
        right = "case when source_dataset_l = 'left' then record_id_r else record_id_l end"
    return (
        f"select {left} as record_id_l, {right} as record_id_r, round(match_probability, 6) as match_probability"
        f" from {result.predictions} where match_probability >= {threshold}"
        " order by match_probability desc, record_id_l, record_id_r"
    )


def clusters_sql(result: LinkRun, *, threshold: float) -> str:
    """record_id, cluster_id: people joined by pairs at or above `threshold`, as connected components."""
    linker = result.linker
    predictions = linker._db_api.table_to_splink_dataframe("__splink__df_predict", result.predictions)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=threshold
    )
    return f"select record_id, cluster_id from {clusters.physical_name} order by cluster_id, record_id"


def link_files(
    left: Path,
    right: Path | None = None,
    *,
    out: Path,
    clusters: Path | None = None,
    model: dict[str, Any] | None = None,
    threshold: float = AUTO_LINK_THRESHOLD,
    save_model: Path | None = None,
    memory_limit: str = "4GB",
    engine: str = "duckdb",
) -> dict[str, Any]:
    """The file-level command's work. Returns counts and timings for the caller to report."""
    import json

    con = connect(memory_limit=memory_limit)
    tables = ["hub_input_left"] + (["hub_input_right"] if right else [])
    counts = [read_records_csv(con, left, table="hub_input_left")]
    if right:
        counts.append(read_records_csv(con, right, table="hub_input_right"))
        if clusters:
            overlap = con.execute(
                "select count(*) from hub_input_left l join hub_input_right r using (record_id)"
            ).fetchall()[0][0]
            if overlap:
                raise InputFileInvalid(
                    f"{overlap} record_id(s) appear in both files, so clusters could not say which record is meant:"
                    " give the two files distinct record ids."
                )
    if engine == "spark":
        return _link_files_on_spark(con, tables, counts, out=out, clusters=clusters, model=model, threshold=threshold)
    result = run(con, tables, model=model, threshold=threshold, explain=False)
    started = time.perf_counter()
    _write_query(con, pairs_sql(result, threshold=threshold), out)
    pair_count = con.execute(
        f"select count(*) from {result.predictions} where match_probability >= {threshold}"
    ).fetchall()[0][0]
    cluster_count = None
    if clusters:
        sql = clusters_sql(result, threshold=threshold)
        _write_query(con, sql, clusters)
        cluster_count = con.execute(f"select count(distinct cluster_id) from ({sql})").fetchall()[0][0]
    result.timings["write"] = time.perf_counter() - started
    if save_model:
        save_model.write_text(json.dumps(result.model, indent=2), encoding="utf-8")
    con.close()
    return {
        "records": counts,
        "pairs": pair_count,
        "clusters": cluster_count,
        "link_type": result.link_type,
        "timings": result.timings,
        "model": result.model,
    }


def _write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    # Through the hub's one CSV writer: a record id from an agency's file could start like a formula.
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv_writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def _write_query(con: duckdb.DuckDBPyConnection, sql: str, path: Path, batch: int = 100_000) -> None:
    cursor = con.execute(sql)
    header = [column[0] for column in cursor.description]

    def rows():
        while chunk := cursor.fetchmany(batch):
            yield from chunk

    _write_csv(path, header, rows())


def _link_files_on_spark(con, tables, counts, *, out: Path, clusters: Path | None, model, threshold: float) -> dict:
    """The same work on Spark with a saved model (Spark does not train: train on DuckDB and save)."""
    from . import spark

    if model is None:
        raise InputFileInvalid("Spark runs a saved model: give --model (train one first with --save-model).")
    started = time.perf_counter()
    records = [con.sql(f"select * from {table}").to_arrow_table() for table in tables]
    con.close()
    pairs = spark.predict(spark.session(), records if len(records) > 1 else records[0], model, threshold=threshold)
    pairs.sort(key=lambda pair: (-pair[2], pair[0], pair[1]))
    _write_csv(
        out,
        ["record_id_l", "record_id_r", "match_probability"],
        ((left, right, round(probability, 6)) for left, right, probability in pairs),
    )
    cluster_count = None
    if clusters:
        ids = [record_id for table in records for record_id in table.column("record_id").to_pylist()]
        cluster_of = connected_components(ids, [(left, right) for left, right, _ in pairs])
        _write_csv(
            clusters, ["record_id", "cluster_id"], sorted(cluster_of.items(), key=lambda item: (item[1], item[0]))
        )
        cluster_count = len(set(cluster_of.values()))
    return {
        "records": counts,
        "pairs": len(pairs),
        "clusters": cluster_count,
        "link_type": "dedupe_only" if len(tables) == 1 else "link_only",
        "timings": {"spark": time.perf_counter() - started},
        "model": model,
    }


def connected_components(ids: list[str], edges: list[tuple[str, str]]) -> dict[str, str]:
    """Each id's cluster, named by its smallest member (as Splink names them)."""
    parent = {record_id: record_id for record_id in ids}

    def find(node: str) -> str:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for left, right in edges:
        a, b = find(left), find(right)
        if a != b:
            parent[max(a, b)] = min(a, b)
    return {record_id: find(record_id) for record_id in ids}
