"""Reads that carry the access rules. Every read of one submission goes through `submission_for`,
which checks the permission and writes the audit entry: every view of a submission is in the trail."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.http import Http404

from apps.accounts.models import Role, Team, User
from apps.accounts.permissions import is_system_admin, require, roles_of
from apps.audit.models import AuditAction
from apps.audit.services import record

from .models import OPEN_STATUSES, ApiToken, Draft, RoutingRule, Status, Submission, Urgency
from .references import BadReference, parse_reference

SUBMISSION_RELATED = ("team", "organisation", "submitted_by", "assigned_to", "follows", "submitted_through")


def submission_for(
    user: Any, reference: str, *, permission: str = "referrals.view_submission", request: Any = None, why: str = ""
) -> Submission:
    """The submission, if the user may see it in this way; the view is audited. 404 for a reference that is not ours."""
    try:
        reference = parse_reference(reference)
    except BadReference:
        raise Http404("Check the reference number") from None
    submission = Submission.objects.select_related(*SUBMISSION_RELATED).filter(reference=reference).first()
    if submission is None:
        raise Http404("No submission has this reference")
    require(user, permission, submission)
    record(action=AuditAction.VIEW, actor=user, obj=submission, detail=why, request=request)
    return submission


def item_for(user: Any, team: Team, reference: str, *, request: Any = None, why: str = "triage") -> Submission:
    """An item of a team's queue, for a member of that team. An item passed elsewhere is no longer theirs."""
    require(user, "referrals.view_queue", team)
    submission = submission_for(user, reference, permission="referrals.triage", request=request, why=why)
    if submission.team_id != team.pk:
        raise PermissionDenied("referrals.triage")
    return submission


def submissions_of(user: Any) -> QuerySet[Submission]:
    """What a partner sent, and what their organisation sent if they administer it."""
    admin_of = roles_of(user).admin_of_organisation_ids
    return (
        Submission.objects.filter(Q(submitted_by=user) | Q(organisation_id__in=admin_of))
        .select_related("team")
        .order_by("-submitted_at")
    )


def drafts_of(user: Any) -> QuerySet[Draft]:
    return Draft.objects.filter(owner=user, submission__isnull=True).order_by("-updated_at")


def draft_for(user: Any, pk: Any) -> Draft:
    draft = Draft.objects.filter(pk=pk).first()
    if draft is None:
        raise Http404("No such draft")
    require(user, "referrals.edit_draft", draft)
    return draft


def teams_of(user: Any) -> QuerySet[Team]:
    return Team.objects.filter(pk__in=roles_of(user).team_ids).order_by("name")


def team_for(user: Any, slug: str) -> Team:
    team = Team.objects.filter(slug=slug, is_receiving_team=True).select_related("organisation").first()
    if team is None:
        raise Http404("No such team")
    require(user, "referrals.view_queue", team)
    return team


def members_of(team: Team) -> QuerySet[User]:
    return (
        User.objects.filter(role_grants__role=Role.TEAM_MEMBER, role_grants__team=team, status="active")
        .distinct()
        .order_by("first_name", "last_name")
    )


@dataclass(frozen=True)
class QueueFilters:
    status: str = "open"  # "open", "all" or one status
    form_type: str = ""
    urgency: str = ""
    assigned: str = ""  # "", "me", "unassigned"
    reference: str = ""


URGENT_FIRST = Case(When(urgency=Urgency.URGENT, then=Value(0)), default=Value(1), output_field=IntegerField())


def queue(team: Team, user: Any, filters: QueueFilters | None = None) -> QuerySet[Submission]:
    """The team's items: urgent first, then oldest first. Lists no details of the people they are about."""
    filters = filters or QueueFilters()
    items = Submission.objects.filter(team=team).select_related("organisation", "assigned_to")
    if filters.status == "open":
        items = items.filter(status__in=OPEN_STATUSES)
    elif filters.status in Status.values:
        items = items.filter(status=filters.status)
    if filters.form_type:
        items = items.filter(form_type=filters.form_type)
    if filters.urgency:
        items = items.filter(urgency=filters.urgency)
    if filters.assigned == "me":
        items = items.filter(assigned_to=user)
    elif filters.assigned == "unassigned":
        items = items.filter(assigned_to__isnull=True)
    if filters.reference:
        items = items.filter(reference=filters.reference)
    return items.annotate(urgent_first=URGENT_FIRST).order_by("urgent_first", "submitted_at", "pk")


def routing_rules() -> QuerySet[RoutingRule]:
    return RoutingRule.objects.select_related("team", "team__organisation").order_by(
        "form_type", "answer_key", "answer_value"
    )


def receiving_teams() -> QuerySet[Team]:
    return Team.objects.filter(is_receiving_team=True).select_related("organisation").order_by("name")


def api_tokens_for(user: Any) -> QuerySet[ApiToken]:
    tokens = ApiToken.objects.select_related("organisation").order_by("organisation__name", "-issued_at")
    if is_system_admin(user):
        return tokens
    return tokens.filter(organisation_id__in=roles_of(user).admin_of_organisation_ids)


@dataclass(frozen=True)
class LikelySame:
    """Another item in the team's queue that record linkage thinks may be about the same person."""

    submission: Submission
    match_probability: float


def items_about_the_same_person(submission: Submission, team: Team, *, limit: int = 5) -> list[LikelySame]:
    """Other items routed to `team` that may be about the person this one names, best first.

    Record linkage's online matching (`linkage.online.find_matches`) scores the person against everyone
    linkage knows; a candidate counts when it, or a record linkage has grouped with it into one person,
    came from a partner form routed to this same team. So the team learns only of items it may
    already open, never of another agency's records. Linkage knows forms from its last sync (each
    linkage run); with no trained model there is nothing to show."""
    from apps.linkage.models import PersonRecord
    from apps.linkage.online import find_matches

    from .sources import SOURCE_KEY, people_in

    best: dict[str, float] = {}
    for person in people_in(submission.reference, submission.form_type, submission.answers, agency=""):
        fields = {
            "first_name": person.first_name,
            "middle_names": person.middle_names,
            "surname": person.surname,
            "date_of_birth": person.date_of_birth.isoformat() if person.date_of_birth else "",
            "address": person.address,
            "postcode": person.postcode,
        }
        candidates = find_matches(fields, limit=limit * 2)
        probability_of_person = {c.person_id: c.match_probability for c in candidates}
        records = PersonRecord.objects.filter(person_id__in=probability_of_person, source=SOURCE_KEY).values_list(
            "source_reference", "person_id"
        )
        for source_reference, person_id in records:
            reference = source_reference.split(":", 1)[0]
            best[reference] = max(best.get(reference, 0.0), probability_of_person[person_id])
    best.pop(submission.reference, None)
    if not best:
        return []
    found = Submission.objects.filter(reference__in=best, team=team).only(
        "reference", "form_type", "status", "submitted_at"
    )
    likely = [LikelySame(other, best[other.reference]) for other in found]
    likely.sort(key=lambda item: (-item.match_probability, item.submission.submitted_at))
    return likely[:limit]
