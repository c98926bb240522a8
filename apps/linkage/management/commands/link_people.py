"""`manage.py link_people`: score the hub's records, link the sure pairs, queue the uncertain ones."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from apps.linkage import linkage_model, services
from apps.linkage.linkage_model import ModelFileInvalid


class Command(BaseCommand):
    help = (
        "Find the same people across the hub's records with the current model. Pairs at or above the auto-link "
        "threshold are linked, pairs between the thresholds go to the review queue, the rest are dropped. "
        "Pairs a person decided are never changed or queued again."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--auto-link", type=float, default=linkage_model.AUTO_LINK_THRESHOLD)
        parser.add_argument("--review", type=float, default=linkage_model.REVIEW_THRESHOLD)

    def handle(self, *args, **options) -> None:
        auto_link, review = options["auto_link"], options["review"]
        if not 0 < review <= auto_link <= 1:
            raise CommandError("The thresholds must satisfy 0 < --review <= --auto-link <= 1.")
        try:
            run = services.link_people(auto_link=auto_link, review=review)
        except services.NoModel as error:
            raise CommandError(str(error)) from None
        except ModelFileInvalid as error:
            raise CommandError(f"The current model cannot be used: {error}") from None
        self.stdout.write(
            f"{run.record_count:,} records: {run.pairs_scored:,} pairs scored, {run.auto_linked:,} linked "
            f"automatically, {run.queued:,} in the review queue, {run.kept_decisions:,} decided by a person kept."
        )
