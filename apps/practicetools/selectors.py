"""Reads of the practice tools that carry the early help record's access rule; every read of a saved result
is audited."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from apps.audit.models import AuditAction
from apps.audit.services import record
from apps.earlyhelp import selectors as earlyhelp
from apps.earlyhelp.models import Family, FamilyMember

from . import pamic
from .models import PamicResult, PamicVersion
from .services import ADULT_ROLES, CHILD_ROLES


def result_for(user: Any, pk: Any, *, request: Any = None, why: str = "PAMIC result") -> PamicResult:
    """A saved result, for someone who may see its family's record. The view is audited."""
    result = (
        PamicResult.objects.select_related("version", "adult", "child", "created_by", "family").filter(pk=pk).first()
        if str(pk).isdigit()
        else None
    )
    if result is None:
        raise Http404("No such result")
    earlyhelp.family_for(user, result.family_id, request=request, why=why)
    record(action=AuditAction.VIEW, actor=user, obj=result, request=request, detail=why)
    return result


def results_of(family: Family) -> QuerySet[PamicResult]:
    return family.pamic_results.select_related("version", "adult", "child", "created_by")


def adults_of(family: Family) -> QuerySet[FamilyMember]:
    return family.members.filter(role__in=ADULT_ROLES)


def children_of(family: Family) -> QuerySet[FamilyMember]:
    return family.members.filter(role__in=CHILD_ROLES)


def version_numbered(number: Any) -> PamicVersion:
    version = PamicVersion.objects.filter(number=number).first() if str(number).isdigit() else None
    if version is None:
        raise Http404("No such version")
    return version


def versions() -> QuerySet[PamicVersion]:
    return PamicVersion.objects.select_related("created_by").order_by("-number")


def for_subject_access(member: FamilyMember) -> list[dict]:
    """The PAMIC results about a person (as the adult or the child), for early help's subject access export."""
    rows = []
    for result in PamicResult.objects.filter(Q(adult=member) | Q(child=member)).select_related(
        "version", "adult", "child"
    ):
        outcome = result.outcome
        rows.append(
            {
                "on": result.created_at.date().isoformat(),
                "adult": result.adult.full_name,
                "child": result.child.full_name,
                "version": result.version.number,
                "level": outcome.level["label"],
                "suggested_response": outcome.response,
                "reasoning": " ".join(
                    pamic.reasoning(outcome, factors=result.protective_factors, notes=result.protective_notes)
                ),
            }
        )
    return rows
