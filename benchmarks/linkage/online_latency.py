"""Online matching latency against a large register of people: the hub's find_matches index
against Splink's own predict_between of one new record, in the same run and with the same model.

    .venv/bin/python -m benchmarks.linkage.online_latency --people 1000000

Writes benchmarks/results/linkage_online_<people>.json and .md.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import random
import resource
import statistics
import tempfile
import time
from pathlib import Path

from splink import DuckDBAPI, Linker

from apps.linkage import linkage_model, online, pipeline, synthetic
from apps.linkage.standardise import standardise_table

RESULTS = Path(__file__).resolve().parents[1] / "results"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=1_000_000, help="records in the register")
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--splink-queries", type=int, default=30)
    parser.add_argument("--train-sample", type=int, default=200_000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="hub-online-"))
    report: dict = {
        "command": f".venv/bin/python -m benchmarks.linkage.online_latency --people {args.people}",
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "load_average_at_start": [round(value, 2) for value in os.getloadavg()],
    }

    started = time.perf_counter()
    population = synthetic.people(int(args.people / 2.1) + 10, seed=31)
    register = []
    for record in synthetic.records(population, seed=32):
        register.append(record)
        if len(register) == args.people:
            break
    synthetic.write_csv(register, folder / "register.csv")
    rng = random.Random(33)
    queries = []
    for number in range(args.queries):
        if number % 5 == 4:  # one in five is someone the register has never seen
            stranger = synthetic.people(1, seed=10_000 + number)[0]
            stranger.surname = "quorndon"
            queries.append(synthetic.record_of(stranger, rng, record_id=f"Q{number}", agency="new", style=number % 3))
        else:
            known = population[rng.randrange(len(population) // 2)]
            queries.append(synthetic.record_of(known, rng, record_id=f"Q{number}", agency="new", style=number % 3))
    report["generate_seconds"] = round(time.perf_counter() - started, 1)

    con = pipeline.connect(memory_limit="6GB")
    pipeline.read_records_csv(con, folder / "register.csv", table="register")
    started = time.perf_counter()
    con.execute(f"create table training as select * from register using sample {args.train_sample} rows (reservoir, 1)")
    model = pipeline.run(con, ["training"], threshold=0.99).model
    report["train_seconds"] = round(time.perf_counter() - started, 1)

    started = time.perf_counter()
    index = online.PeopleIndex.build(con, "register", model)
    report["index_build_seconds"] = round(time.perf_counter() - started, 1)
    report["peak_rss_mb_after_index"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)

    hub_times, found_counts = [], []
    for record in queries:
        fields = record.as_row()
        began = time.perf_counter()
        found = index.find(fields)
        hub_times.append((time.perf_counter() - began) * 1000)
        found_counts.append(len(found))
    report["hub"] = {
        "queries": len(queries),
        "p50_ms": round(percentile(hub_times, 0.5), 2),
        "p95_ms": round(percentile(hub_times, 0.95), 2),
        "p99_ms": round(percentile(hub_times, 0.99), 2),
        "mean_ms": round(statistics.fmean(hub_times), 2),
        # The first query after the index is built (as a worker that warmed up at start answers it): it must
        # be as fast as the rest, with nothing left to build on first use.
        "first_query_ms": round(hub_times[0], 2),
        "queries_with_a_candidate": sum(1 for count in found_counts if count),
    }
    print(json.dumps(report["hub"]), flush=True)

    report["splink_predict_between"] = splink_predict_between(con, model, queries[: args.splink_queries])
    report["register"] = args.people
    report["load_average_at_end"] = [round(value, 2) for value in os.getloadavg()]
    RESULTS.mkdir(exist_ok=True)
    name = f"linkage_online_{args.people}"
    (RESULTS / f"{name}.json").write_text(json.dumps(report, indent=2))
    (RESULTS / f"{name}.md").write_text(markdown(report))
    print(markdown(report))


def splink_predict_between(con, model: dict, queries) -> dict:
    """Splink's own way: register the new record and call predict_between against the register."""
    standardise_table(con, source="register", target="register_std")
    db_api = DuckDBAPI(connection=con)
    register = db_api.register("register_std", dataset_display_name="register")
    linker = Linker(register, linkage_model.settings_for(model), log_level=logging.WARNING)
    for column in online.TF_COLUMNS:
        linker.table_management.compute_tf_table(column)
    times = []
    for number, record in enumerate(queries):
        con.execute(
            "create or replace table new_raw as select * from (select ? as record_id, ? as first_name,"
            " ? as middle_names, ? as surname, ? as date_of_birth, ? as sex, ? as address, ? as postcode,"
            " ? as nhs_number)",
            list(record.as_row().values()),
        )
        began = time.perf_counter()
        standardise_table(con, source="new_raw", target=f"new_std_{number}")
        new = db_api.register(f"new_std_{number}", dataset_display_name=f"new_{number}")
        predictions = linker.inference.predict_between(
            new, register, threshold_match_probability=0.5, warning_mode="never"
        )
        predictions.as_record_list()
        times.append((time.perf_counter() - began) * 1000)
        predictions.drop_table_from_database_and_remove_from_cache()
    return {
        "queries": len(times),
        "p50_ms": round(percentile(times, 0.5), 1),
        "p95_ms": round(percentile(times, 0.95), 1),
        "mean_ms": round(statistics.fmean(times), 1),
    }


def markdown(report: dict) -> str:
    hub, splink = report["hub"], report["splink_predict_between"]
    return "\n".join(
        [
            f"# Online matching against {report['register']:,} registered people",
            "",
            f"Command: `{report['command']}` ({report['machine']}). The same trained model in both; a fifth of the",
            "queries are people the register has never seen. The hub's index took "
            f"{report['index_build_seconds']} s to build (peak memory {report['peak_rss_mb_after_index']} MB so far),"
            " as a web worker builds it when it starts; the first query after that took"
            f" {hub.get('first_query_ms', '?')} ms. Load average (1, 5, 15 min)"
            f" {report.get('load_average_at_start')} at the start, {report.get('load_average_at_end')} at the end.",
            "",
            "| method | queries | p50 ms | p95 ms | mean ms |",
            "| --- | --- | --- | --- | --- |",
            f"| hub `find_matches` (blocking-key hash index, Python scoring) | {hub['queries']} | {hub['p50_ms']} "
            f"| {hub['p95_ms']} | {hub['mean_ms']} |",
            f"| Splink `predict_between` of one new record | {splink['queries']} | {splink['p50_ms']} "
            f"| {splink['p95_ms']} | {splink['mean_ms']} |",
            "",
        ]
    )


if __name__ == "__main__":
    main()
