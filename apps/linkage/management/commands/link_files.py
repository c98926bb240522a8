"""`manage.py link_files LEFT.csv [RIGHT.csv] --out pairs.csv [--clusters clusters.csv]`"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.linkage.linkage_model import AUTO_LINK_THRESHOLD, ModelFileInvalid, load_model
from apps.linkage.pipeline import FILE_COLUMNS, OPTIONAL_FILE_COLUMNS, InputFileInvalid, link_files


class Command(BaseCommand):
    help = (
        "Find the same people in CSV files of records, without the web app. One file: deduplicate it; "
        f"two: link them. Columns: {', '.join(FILE_COLUMNS)} (and optionally {', '.join(OPTIONAL_FILE_COLUMNS)}). "
        "Writes record_id_l, record_id_r, match_probability for every pair at or above the threshold, "
        "and with --clusters, record_id, cluster_id."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("left", type=Path, help="CSV of records (deduplicated if it is the only file)")
        parser.add_argument("right", type=Path, nargs="?", help="a second CSV of records to link to the first")
        parser.add_argument("--out", type=Path, required=True, help="where to write the pairs (CSV)")
        parser.add_argument("--clusters", type=Path, help="where to write record_id, cluster_id (CSV)")
        parser.add_argument("--model", type=Path, help="a saved model (JSON) to use instead of training one")
        parser.add_argument("--save-model", type=Path, help="where to save the model trained on these files")
        parser.add_argument(
            "--engine",
            choices=("duckdb", "spark"),
            default="duckdb",
            help="duckdb (embedded, the default) or spark (Splink's Spark backend; SPARK_MASTER, else local)",
        )
        parser.add_argument(
            "--threshold",
            type=float,
            default=AUTO_LINK_THRESHOLD,
            help=f"the lowest match probability written (default {AUTO_LINK_THRESHOLD}, the auto-link threshold)",
        )

    def handle(self, *args, **options) -> None:
        for name in ("left", "right", "out", "clusters", "model", "save_model"):
            if options[name] is not None:
                options[name] = Path(options[name])
        if not 0 < options["threshold"] <= 1:
            raise CommandError("--threshold must be a probability above 0 and at most 1.")
        model = None
        if options["model"]:
            try:
                model = load_model(options["model"].read_bytes())
            except OSError as error:
                raise CommandError(f"The model {options['model']} cannot be read: {error.strerror}.") from None
            except ModelFileInvalid as error:
                raise CommandError(f"The model {options['model']} cannot be used: {error}") from None
        try:
            summary = link_files(
                options["left"],
                options["right"],
                out=options["out"],
                clusters=options["clusters"],
                model=model,
                threshold=options["threshold"],
                save_model=options["save_model"],
                engine=options["engine"],
            )
        except InputFileInvalid as error:
            raise CommandError(str(error)) from None
        records = " and ".join(f"{count:,}" for count in summary["records"])
        what = "deduplicated" if summary["link_type"] == "dedupe_only" else "linked"
        self.stdout.write(f"{records} records {what}: {summary['pairs']:,} pairs written to {options['out']}.")
        if summary["clusters"] is not None:
            self.stdout.write(f"{summary['clusters']:,} clusters written to {options['clusters']}.")
        untrained = summary["model"].get("hub_untrained_levels") if model is None else None
        if untrained:
            self.stdout.write(
                f"{len(untrained)} comparison levels could not be trained on these records and use fixed priors: "
                + "; ".join(untrained)
                + "."
            )
        if options["save_model"]:
            self.stdout.write(f"Model saved to {options['save_model']}.")
