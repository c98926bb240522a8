"""`manage.py train_linkage_model`: retrain the linkage model on the records the hub holds."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from apps.linkage import services


class Command(BaseCommand):
    help = "Train the linkage model on every person record the hub holds and save it as the next version."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--seed", type=int, default=42, help="random seed for the u-probability sample")

    def handle(self, *args, **options) -> None:
        try:
            version = services.train_model(seed=options["seed"])
        except services.NotEnoughRecords as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Linkage model version {version.version} trained on {version.record_count:,} records "
            f"in {version.training_seconds:.1f} seconds."
        )
        untrained = version.model_json.get("hub_untrained_levels") or []
        if untrained:
            self.stdout.write(
                f"{len(untrained)} comparison levels could not be trained on these records and use fixed priors: "
                + "; ".join(untrained)
                + "."
            )
