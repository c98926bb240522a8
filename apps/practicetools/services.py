"""Every write of the practice tools: one transaction with its audit entry. A PAMIC result saved on a family's
record also goes in its chronology, through early help's own service, under the family's lock."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.accounts.permissions import require
from apps.audit.models import AuditAction
from apps.audit.services import record as audit
from apps.earlyhelp import services as earlyhelp
from apps.earlyhelp.models import EntryKind, Family, FamilyMember, MemberRole

from . import pamic
from .models import PamicResult, PamicVersion

ADULT_ROLES = (MemberRole.PARENT_CARER, MemberRole.OTHER_ADULT)
CHILD_ROLES = (MemberRole.CHILD, MemberRole.YOUNG_PERSON)


class PracticeToolRefused(Exception):
    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def current_version() -> PamicVersion:
    """The newest version; on a fresh database (or after a test flushed it), version 1 is made first."""
    newest = PamicVersion.objects.order_by("-number").first()
    if newest is not None:
        return newest
    try:
        with transaction.atomic():
            return PamicVersion.objects.create(number=1, config=pamic.FIRST_VERSION, change_note="First version")
    except IntegrityError:  # another request made it first
        return PamicVersion.objects.get(number=1)


def new_version(*, config: dict, change_note: str, by: User, request: Any = None) -> PamicVersion:
    require(by, "practicetools.configure_pamic")
    if not change_note.strip():
        raise PracticeToolRefused("Enter what has changed in this version", "change_note")
    try:
        pamic.check_config(config)
    except pamic.ConfigProblem as problem:
        raise PracticeToolRefused(str(problem)) from None
    current_version()
    with transaction.atomic():
        # The newest row, locked, so two editors saving at once get different numbers (the unique number
        # refuses the second on SQLite, whose writers queue anyway).
        newest = PamicVersion.objects.select_for_update().order_by("-number").first()
        version = PamicVersion.objects.create(
            number=newest.number + 1, config=config, change_note=change_note.strip(), created_by=by
        )
        audit(action=AuditAction.CREATE, actor=by, obj=version, request=request, detail=change_note.strip()[:200])
    return version


def save_result(
    *,
    family: Family,
    adult: FamilyMember,
    child: FamilyMember,
    version: PamicVersion,
    mental_health: str,
    outcome: pamic.Outcome,
    factors: list[str],
    notes: str,
    by: User,
    request: Any = None,
) -> PamicResult:
    """Save a result on the family's record and in its chronology. Only people who may work on the record may."""
    if adult.family_id != family.pk or adult.role not in ADULT_ROLES:
        raise PracticeToolRefused("Choose an adult in this family", "adult")
    if child.family_id != family.pk or child.role not in CHILD_ROLES:
        raise PracticeToolRefused("Choose a child in this family", "child")
    if not mental_health.strip():
        raise PracticeToolRefused("Describe the adult's mental ill health", "mental_health")
    with transaction.atomic():
        family = Family.objects.select_for_update().get(pk=family.pk)
        require(by, "earlyhelp.contribute", family)
        result = PamicResult.objects.create(
            family=family,
            adult=adult,
            child=child,
            version=version,
            mental_health=mental_health.strip(),
            likelihood=outcome.likelihood,
            severity=outcome.severity,
            protective_factors=list(factors),
            protective_notes=notes.strip(),
            grid_level=outcome.grid_level,
            final_level=outcome.final_level,
            judgement_reason=outcome.reason,
            created_by=by,
        )
        summary = (
            f"PAMIC tool (version {version.number}) about the impact of {adult.full_name}'s mental ill health on "
            f"{child.full_name}: {outcome.level['label']}. Suggested response: {outcome.response}."
        )
        if outcome.moved:
            summary += f" Professional judgement moved it {outcome.direction} from {outcome.grid_level_label}."
        entry = earlyhelp.add_entry(family, EntryKind.PRACTICE_TOOL, summary, by=by, member=child)
        result.chronology_entry = entry
        result.save(update_fields=["chronology_entry"])
        audit(action=AuditAction.CREATE, actor=by, obj=result, request=request)
        Family.objects.filter(pk=family.pk).update(updated_at=timezone.now())
    return result
