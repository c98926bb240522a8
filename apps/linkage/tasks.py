from __future__ import annotations

from django.contrib.auth import get_user_model
from django_tasks import task

from . import services


@task()
def run_linkage(user_id: int | None = None, claimed: bool = False) -> dict:
    """One linkage run. Safe to run twice: a second run re-scores the same pairs and keeps every
    decision a person made. `claimed`: the team's button claimed the run (`services.claim_linkage_run`),
    so that pressing it again meanwhile starts nothing; the claim is given back when the run ends."""
    by = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    try:
        run = services.link_people(by=by)
    finally:
        if claimed:
            services.release_linkage_run()
    return {"run": run.pk, "linked": run.auto_linked, "queued": run.queued}


@task()
def expire_undecided_extracts() -> int:
    """Hourly: extracts left undecided for a week lose their file and checked rows. Idempotent."""
    return services.expire_undecided_extracts()
