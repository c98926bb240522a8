"""Run one set-up (the hub's or Splink's plain one) on CSV files in this process and report.

Each set-up runs in its own process (see `measure`) so that wall time and peak memory are its
own. Usage: python -m benchmarks.linkage.run_setup --setup hub --truth truth.csv --out r.json a.csv [b.csv]
"""

from __future__ import annotations

import argparse
import json
import logging
import resource
import subprocess
import sys
import time
from pathlib import Path

from splink import DuckDBAPI, Linker

from apps.linkage import linkage_model, pipeline

from . import plain

THRESHOLD = linkage_model.AUTO_LINK_THRESHOLD


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_plain(con, tables: list[str]) -> pipeline.LinkRun:
    timings = {}
    started = time.perf_counter()
    names = ["left", "right"][: len(tables)]
    for table, name in zip(tables, names, strict=True):
        plain.prepare(con, source=table, target=f"plain_{name}", source_dataset=name)
    timings["standardise"] = time.perf_counter() - started
    link_type = "dedupe_only" if len(tables) == 1 else "link_only"
    db_api = DuckDBAPI(connection=con)
    inputs = [db_api.register(f"plain_{name}", dataset_display_name=name) for name in names]
    record_count = sum(con.execute(f"select count(*) from plain_{n}").fetchall()[0][0] for n in names)
    started = time.perf_counter()
    linker = Linker(inputs if len(inputs) > 1 else inputs[0], plain.settings(link_type), log_level=logging.WARNING)
    plain.train(linker, record_count=record_count)
    timings["train"] = time.perf_counter() - started
    started = time.perf_counter()
    predictions = linker.inference.predict(threshold_match_probability=THRESHOLD, warning_mode="never")
    timings["predict"] = time.perf_counter() - started
    return pipeline.LinkRun(con, linker, predictions.physical_name, {}, link_type, record_count, timings)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--setup", choices=("hub", "plain"), required=True)
    parser.add_argument("--truth", type=Path, required=True, help="record_id, entity_id")
    parser.add_argument("--twins", type=Path, help="record_id_l, record_id_r of twins who must not be linked")
    parser.add_argument(
        "--siblings", type=Path, help="record_id_l, record_id_r of others of one household who must not be linked"
    )
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--memory-limit", default="4GB")
    parser.add_argument("files", type=Path, nargs="+")
    args = parser.parse_args()

    started = time.perf_counter()
    con = pipeline.connect(memory_limit=args.memory_limit)
    tables = []
    for index, path in enumerate(args.files):
        pipeline.read_records_csv(con, path, table=f"input_{index}")
        tables.append(f"input_{index}")
    if args.setup == "hub":
        result = pipeline.run(con, tables, threshold=THRESHOLD, explain=False)
    else:
        result = run_plain(con, tables)
    clustering = time.perf_counter()
    clusters_sql = pipeline.clusters_sql(result, threshold=THRESHOLD)
    cluster_count = con.execute(f"select count(distinct cluster_id) from ({clusters_sql})").fetchall()[0][0]
    result.timings["cluster"] = time.perf_counter() - clustering
    wall = time.perf_counter() - started
    peak = peak_rss_mb()

    report = {
        "setup": args.setup,
        "files": [path.name for path in args.files],
        "records": result.record_count,
        "wall_seconds": round(wall, 2),
        "peak_rss_mb": round(peak),
        "duckdb_memory_limit": args.memory_limit,
        "stage_seconds": {key: round(value, 2) for key, value in result.timings.items()},
        "clusters": cluster_count,
    }
    report.update(accuracy(con, result, args.truth, args.twins, setup=args.setup, siblings=args.siblings))
    args.out.write_text(json.dumps(report, indent=2))
    print(json.dumps(report))


def accuracy(
    con, result: pipeline.LinkRun, truth: Path, twins: Path | None, *, setup: str, siblings: Path | None = None
) -> dict:
    """Precision, recall and F1 at the auto-link threshold, and how many true pairs blocking keeps."""
    con.execute(
        "create or replace table truth as select * from read_csv(?, header = true, all_varchar = true)", [str(truth)]
    )
    link = result.link_type == "link_only"
    prefix = "hub_std" if setup == "hub" else "plain"
    if link:
        con.execute(
            f"create or replace table true_pairs as select l.record_id as record_id_l, r.record_id as record_id_r"
            f" from truth l join truth r using (entity_id)"
            f" where l.record_id in (select record_id from {prefix}_left)"
            f" and r.record_id in (select record_id from {prefix}_right)"
        )
        left_table, right_table = f"{prefix}_left", f"{prefix}_right"
    else:
        con.execute(
            "create or replace table true_pairs as select l.record_id as record_id_l, r.record_id as record_id_r"
            " from truth l join truth r using (entity_id) where l.record_id < r.record_id"
        )
        left_table = right_table = f"{prefix}_left"
    con.execute(
        "create or replace table found as select least(record_id_l, record_id_r) as a,"
        f" greatest(record_id_l, record_id_r) as b"
        f" from {result.predictions} where match_probability >= {THRESHOLD}"
    )
    true_count = con.execute("select count(*) from true_pairs").fetchall()[0][0]
    found_count = con.execute("select count(*) from found").fetchall()[0][0]
    correct = con.execute(
        "select count(*) from found f join true_pairs t on f.a = least(t.record_id_l, t.record_id_r)"
        " and f.b = greatest(t.record_id_l, t.record_id_r)"
    ).fetchall()[0][0]
    rules = linkage_model.BLOCKING_RULES if setup == "hub" else plain.blocking_sql()
    kept = con.execute(
        f"select count(*) from true_pairs t join {left_table} l on l.record_id = t.record_id_l"
        f" join {right_table} r on r.record_id = t.record_id_r where " + " or ".join(f"({rule})" for rule in rules)
    ).fetchall()[0][0]
    precision = correct / found_count if found_count else 0.0
    recall = correct / true_count if true_count else 0.0
    report = {
        "threshold": THRESHOLD,
        "true_pairs": true_count,
        "pairs_found": found_count,
        "pairs_correct": correct,
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(2 * precision * recall / (precision + recall), 4) if precision + recall else 0.0,
        "blocking_recall": round(kept / true_count, 4) if true_count else None,
    }
    if setup == "hub":
        # What the household rule (twins, relatives) held back from an automatic link, and how many of those
        # were in truth one person (the recall it costs).
        rows = con.execute(
            "select p.hub_household_reason, count(*), count(*) filter (where l.entity_id = r.entity_id)"
            f" from {result.predictions} p join truth l on l.record_id = p.record_id_l"
            " join truth r on r.record_id = p.record_id_r where p.hub_household_reason is not null group by 1"
        ).fetchall()
        report["sent_to_review_by_rule"] = {
            reason: {"pairs": pairs, "true_pairs": true} for reason, pairs, true in rows
        }
    for name, path in (("twin", twins), ("sibling", siblings)):
        if not path:
            continue
        con.execute(
            f"create or replace table {name}s as select * from read_csv(?, header = true, all_varchar = true)",
            [str(path)],
        )
        report[f"{name}_pairs"] = con.execute(f"select count(*) from {name}s").fetchall()[0][0]
        report[f"{name}_pairs_linked"] = con.execute(
            f"select count(*) from found f join {name}s t on f.a = least(t.record_id_l, t.record_id_r)"
            " and f.b = greatest(t.record_id_l, t.record_id_r)"
        ).fetchall()[0][0]
        if setup == "hub" and report[f"{name}_pairs_linked"]:
            # What the mistakes look like, as the hub read the records (a few, for whoever works on them next).
            shown = "first_name, middle_names, surname, date_of_birth, sex, postcode, nhs_number, pupil_number"
            rows = con.execute(
                f"select [{', '.join(f'l.{c}' for c in shown.split(', '))}]::varchar,"
                f" [{', '.join(f'r.{c}' for c in shown.split(', '))}]::varchar"
                f" from found f join {name}s t on f.a = least(t.record_id_l, t.record_id_r)"
                " and f.b = greatest(t.record_id_l, t.record_id_r)"
                f" join {left_table} l on l.record_id = f.a join {right_table} r on r.record_id = f.b"
                " order by f.a limit 5"
            ).fetchall()
            report[f"{name}_pairs_linked_examples"] = {"fields": shown, "pairs": [list(row) for row in rows]}
    return report


# The hub keeps DuckDB within 4 GB (it spills to disk beyond); the plain set-up gets 12 GB, close to
# what Splink's defaults take on this machine while leaving room for the other people sharing it.
MEMORY_LIMITS = {"hub": "4GB", "plain": "12GB"}


def measure(
    setup: str, files: list[Path], *, truth: Path, out: Path, twins: Path | None = None, siblings: Path | None = None
) -> dict:
    """Run one set-up in a child process and return its report."""
    command = [
        sys.executable,
        "-m",
        "benchmarks.linkage.run_setup",
        "--setup",
        setup,
        "--truth",
        str(truth),
        "--out",
        str(out),
    ]
    if twins:
        command += ["--twins", str(twins)]
    if siblings:
        command += ["--siblings", str(siblings)]
    command += ["--memory-limit", MEMORY_LIMITS[setup], *(str(path) for path in files)]
    subprocess.run(command, check=True, cwd=Path(__file__).resolve().parents[2])
    return json.loads(out.read_text())


if __name__ == "__main__":
    main()
