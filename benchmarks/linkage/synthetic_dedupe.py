"""Deduplicating UK-style synthetic records (names, nicknames, typos, swapped day and month, house
moves, missing fields, twins): the hub's set-up against Splink's plain set-up, in the same run.

    .venv/bin/python -m benchmarks.linkage.synthetic_dedupe --records 1000000

Writes benchmarks/results/linkage_synthetic_<records>.json and .md: F1 at the auto-link
threshold, twins linked, wall time and peak memory of each set-up (each in its own process).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import tempfile
import time
from pathlib import Path

from apps.linkage import synthetic

from .run_setup import measure

RESULTS = Path(__file__).resolve().parents[1] / "results"


def generate(records: int, folder: Path, *, seed: int, hard_negatives: bool = True) -> dict:
    started = time.perf_counter()
    population = synthetic.people(int(records / 2.1) + 10, seed=seed, hard_negatives=hard_negatives)
    recorded = []
    for record in synthetic.records(population, seed=seed + 1, hard_negatives=hard_negatives):
        recorded.append(record)
        if len(recorded) == records:
            break
    synthetic.write_csv(recorded, folder / "records.csv")
    with open(folder / "truth.csv", "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["record_id", "entity_id"])
        writer.writerows((record.record_id, record.person_id) for record in recorded)
    twins = synthetic.twin_pairs(population, recorded)
    with open(folder / "twins.csv", "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["record_id_l", "record_id_r"])
        writer.writerows(sorted(twins))
    siblings = synthetic.sibling_pairs(population, recorded)
    with open(folder / "siblings.csv", "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["record_id_l", "record_id_r"])
        writer.writerows(sorted(siblings))
    return {
        "records": len(recorded),
        "twin_pairs": len(twins),
        "sibling_pairs": len(siblings),
        "hard_negatives": hard_negatives,
        "seconds": round(time.perf_counter() - started, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--setups", default="hub,plain")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="hub-synthetic-"))
    generated = generate(args.records, folder, seed=args.seed)
    print(f"generated {generated}", flush=True)
    results = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "command": f".venv/bin/python -m benchmarks.linkage.synthetic_dedupe --records {args.records}",
        "generated": generated,
        "runs": {},
    }
    for setup in args.setups.split(","):
        results["runs"][setup] = measure(
            setup,
            [folder / "records.csv"],
            truth=folder / "truth.csv",
            twins=folder / "twins.csv",
            siblings=folder / "siblings.csv",
            out=folder / f"{setup}.json",
        )
        print(json.dumps(results["runs"][setup]), flush=True)
    RESULTS.mkdir(exist_ok=True)
    name = f"linkage_synthetic_{args.records}"
    (RESULTS / f"{name}.json").write_text(json.dumps(results, indent=2))
    (RESULTS / f"{name}.md").write_text(markdown(results))
    print(markdown(results))


def markdown(results: dict) -> str:
    lines = [
        f"# Deduplicating {results['generated']['records']:,} UK-style synthetic records",
        "",
        f"Command: `{results['command']}` ({results['machine']}). Each set-up ran in its own process;",
        "wall time covers reading the file, standardising, training, predicting and clustering.",
        f"The records hold {results['generated']['twin_pairs']:,} pairs of twins' records and"
        f" {results['generated'].get('sibling_pairs', 0):,} pairs of records of others of one household (brothers"
        " and sisters, a year apart to the day too, a parent and a child of the same name, cousins, children who"
        " moved together), none of which may be linked.",
        "",
        "| set-up | precision | recall | F1 | blocking recall | twin pairs linked | sibling pairs linked | train s "
        "| predict s | wall s | peak MB |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for run in results["runs"].values():
        lines.append(
            f"| {run['setup']} | {run['precision']:.4f} | {run['recall']:.4f} | {run['f1']:.4f} "
            f"| {run['blocking_recall']:.4f} | {run.get('twin_pairs_linked', '')} "
            f"| {run.get('sibling_pairs_linked', '')} | {run['stage_seconds']['train']} "
            f"| {run['stage_seconds']['predict']} | {run['wall_seconds']} | {run['peak_rss_mb']} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
