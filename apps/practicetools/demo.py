"""Demo PAMIC tool: version 1 of its configuration, and one result saved on the Quillfeather family's record by
its lead practitioner (their mother's postnatal depression and its impact on Barnaby). Made once: loading again
changes nothing."""

from __future__ import annotations

from apps.accounts.models import User
from apps.earlyhelp.models import Family

from . import pamic, services
from .models import PamicResult

LEAD = "practitioner@example.org"
FAMILY = "The Quillfeather family"


def load(stdout=None) -> None:
    version = services.current_version()
    lead = User.objects.filter(email=LEAD).first()
    family = Family.objects.filter(name=FAMILY, created_by=lead).first() if lead else None
    if family is None or PamicResult.objects.filter(family=family).exists():
        return
    adult = family.members.filter(first_name="Ottoline").first()
    child = family.members.filter(first_name="Barnaby").first()
    if adult is None or child is None:
        return
    config = version.config
    outcome = pamic.weigh(
        config,
        likelihood=3,
        severity=2,
        final_level=1,
        reason="",
    )
    services.save_result(
        family=family,
        adult=adult,
        child=child,
        version=version,
        mental_health=(
            "Postnatal depression since Wren was born, treated by the GP with medication; Ottoline says some "
            "mornings she cannot get out of bed, and Barnaby has been late or absent on those days."
        ),
        outcome=outcome,
        factors=[config["protective_factors"][2], config["protective_factors"][4]],
        notes="Barnaby's grandmother lives nearby and takes him to school when asked.",
        by=lead,
    )
    if stdout is not None:
        stdout.write(f"PAMIC tool: a result on {family.reference} {family.name}\n")
