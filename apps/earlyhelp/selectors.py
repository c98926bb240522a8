"""Reads of the early help record that carry its access rule. Every read of one family, person, assessment or
chronology goes through a function here that asks the permission and writes the audit entry."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, TruncMonth
from django.http import Http404
from django.utils import timezone

from apps.accounts.permissions import require
from apps.audit.models import AuditAction, AuditEntry
from apps.audit.services import record

from .models import (
    Assessment,
    BreakGlass,
    ChronologyEntry,
    ClosureOutcome,
    EntryKind,
    Family,
    FamilyMember,
    FamilyStatus,
    TeamMember,
)

FAMILY_RELATED = ("lead", "lead_organisation")


def family_for(
    user: Any,
    pk: Any,
    *,
    permission: str = "earlyhelp.view_family",
    request: Any = None,
    why: str = "",
    audited: bool = True,
) -> Family:
    """The family, if the user may see it (or do `permission` to it). The view is audited."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404("No such record") from None
    family = Family.objects.select_related(*FAMILY_RELATED).filter(pk=pk).first()
    if family is None:
        raise Http404("No such record")
    require(user, "earlyhelp.view_family", family)
    if permission != "earlyhelp.view_family":
        require(user, permission, family)
    if audited:
        record(action=AuditAction.VIEW, actor=user, obj=family, request=request, detail=why)
    return family


def member_for(user: Any, family: Family, pk: Any, *, request: Any = None, why: str = "") -> FamilyMember:
    member = family.members.filter(pk=pk).first() if str(pk).isdigit() else None
    if member is None:
        raise Http404("No such person on this record")
    record(action=AuditAction.VIEW, actor=user, obj=member, request=request, detail=why)
    return member


def current_assessment(family: Family) -> Assessment | None:
    return family.assessments.order_by("-started_at", "-pk").first()


def families_of(user: Any) -> QuerySet[Family]:
    """The families a practitioner leads or is in the team around."""
    in_team = TeamMember.objects.filter(family=OuterRef("pk"), user=user, left_at__isnull=True)
    return (
        Family.objects.filter(Q(lead=user) | Exists(in_team))
        .select_related(*FAMILY_RELATED)
        .order_by("status", "next_review_on", "-updated_at")
    )


def team_of(family: Family) -> QuerySet[TeamMember]:
    return family.team.select_related("user", "organisation", "added_by").order_by("left_at", "joined_at")


def break_glass_of(family: Family) -> QuerySet[BreakGlass]:
    return family.break_glass.select_related("user", "user__organisation", "reviewed_by")


# --- The chronology ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChronologyFilters:
    kind: str = ""  # "", "automatic", "manual" or one EntryKind
    member: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None


@dataclass(frozen=True)
class Line:
    """One line of the chronology as shown: an entry, or a partner form about someone on the record."""

    occurred_on: dt.date
    kind: str
    kind_label: str
    summary: str
    source_agency: str
    impact: str = ""
    member_name: str = ""
    automatic: bool = True
    recorded_by: str = ""


def _line(entry: ChronologyEntry) -> Line:
    return Line(
        occurred_on=entry.occurred_on,
        kind=entry.kind,
        kind_label=entry.get_kind_display(),
        summary=entry.summary,
        source_agency=entry.source_agency,
        impact=entry.impact_on_child,
        member_name=entry.member.full_name if entry.member else "",
        automatic=entry.automatic,
        recorded_by=(entry.recorded_by.get_full_name() or entry.recorded_by.email) if entry.recorded_by else "",
    )


class Chronology:
    """A family's chronology, newest first, read a slice at a time (a page costs the same however long the
    chronology is): the entries are sliced in the database, and the few partner-form lines are put in at
    their places, each after every entry of its day or later."""

    def __init__(self, entries: QuerySet[ChronologyEntry], partner_lines: list[Line]) -> None:
        self._entries = entries  # in the model's order: newest first
        self._partner = sorted(partner_lines, key=lambda line: line.occurred_on, reverse=True)
        self._positions: list[int] | None = None
        self._count = 0

    def _layout(self) -> list[int]:
        """Each partner-form line's position among all the lines, counted in one query with the entries."""
        if self._positions is None:
            dates = sorted({line.occurred_on for line in self._partner})
            counts = self._entries.order_by().aggregate(
                total=Count("pk"),
                **{f"from_{n}": Count("pk", filter=Q(occurred_on__gte=day)) for n, day in enumerate(dates)},
            )
            self._positions = [
                counts[f"from_{dates.index(line.occurred_on)}"] + n for n, line in enumerate(self._partner)
            ]
            self._count = counts["total"] + len(self._partner)
        return self._positions

    def __len__(self) -> int:
        self._layout()
        return self._count

    def __iter__(self):
        return iter(self[0 : len(self)])

    def __getitem__(self, index: int | slice) -> Line | list[Line]:
        if not isinstance(index, slice):
            lines = self[index : index + 1] if index >= 0 else self[len(self) + index :][:1]
            if not lines:
                raise IndexError("chronology index out of range")
            return lines[0]
        start, stop, step = index.indices(len(self))
        if step != 1:
            return list(self[start:stop])[::step]
        positions = self._layout()
        placed = dict(zip(positions, self._partner, strict=True))
        before_start = sum(position < start for position in positions)
        before_stop = sum(position < stop for position in positions)
        rows = iter(self._entries[start - before_start : stop - before_stop] if stop > start else [])
        return [placed[n] if n in placed else _line(next(rows)) for n in range(start, stop)]


def chronology_of(
    user: Any, family: Family, filters: ChronologyFilters | None = None, *, request: Any = None
) -> Chronology:
    """The family's chronology, newest first: its entries, and the partner forms sent about anyone linkage has
    found to be someone on the record. Viewing it is audited."""
    filters = filters or ChronologyFilters()
    entries = family.chronology.select_related("member", "recorded_by")
    if filters.kind == "automatic":
        entries = entries.filter(automatic=True)
    elif filters.kind == "manual":
        entries = entries.filter(automatic=False)
    elif filters.kind:
        entries = entries.filter(kind=filters.kind)
    if filters.member:
        entries = entries.filter(member_id=filters.member)
    if filters.date_from:
        entries = entries.filter(occurred_on__gte=filters.date_from)
    if filters.date_to:
        entries = entries.filter(occurred_on__lte=filters.date_to)
    partner_lines = []
    if filters.kind in ("", "automatic", EntryKind.PARTNER_FORM):
        partner_lines = [
            line
            for line in partner_forms_about(family, member_id=filters.member)
            if (not filters.date_from or line.occurred_on >= filters.date_from)
            and (not filters.date_to or line.occurred_on <= filters.date_to)
        ]
    record(action=AuditAction.VIEW, actor=user, obj=family, request=request, detail="chronology")
    return Chronology(entries, partner_lines)


def partner_forms_about(family: Family, *, member_id: int | None = None) -> list[Line]:
    """Partner forms whose person linkage has grouped with someone on this record (as of the last linkage)."""
    from apps.linkage.models import PersonRecord
    from apps.referrals.models import Submission
    from apps.referrals.sources import SOURCE_KEY as FORMS

    from .linkage_source import SOURCE_KEY

    members = {member.linkage_reference: member for member in family.members.all()}
    if member_id:
        members = {ref: member for ref, member in members.items() if member.pk == member_id}
    if not members:
        return []
    person_of = dict(
        PersonRecord.objects.filter(source=SOURCE_KEY, source_reference__in=members).values_list(
            "person_id", "source_reference"
        )
    )
    if not person_of:
        return []
    references: dict[str, str] = {}
    for source_reference, person_id in PersonRecord.objects.filter(source=FORMS, person_id__in=person_of).values_list(
        "source_reference", "person_id"
    ):
        references[source_reference.split(":", 1)[0]] = person_of[person_id]
    already = set(
        family.chronology.filter(kind=EntryKind.PARTNER_FORM).values_list("summary", flat=True)
    )  # attached by hand: shown once
    lines = []
    for submission in Submission.objects.filter(reference__in=references).select_related("organisation"):
        if any(summary.startswith(submission.reference) for summary in already):
            continue
        member = members[references[submission.reference]]
        lines.append(
            Line(
                occurred_on=timezone.localtime(submission.submitted_at).date(),
                kind=EntryKind.PARTNER_FORM,
                kind_label=EntryKind.PARTNER_FORM.label,
                summary=f"{submission.reference}: {submission.get_form_type_display()} about {member.full_name}",
                source_agency=submission.organisation.name,
                member_name=member.full_name,
            )
        )
    return lines


# --- Possible matches when a person is added -------------------------------------------------------


@dataclass(frozen=True)
class PossibleMatch:
    member: FamilyMember
    match_probability: float
    reasons: list[str] = field(default_factory=list)


def _reasons(explanation: dict) -> list[str]:
    """The comparisons that counted towards the match, in words."""
    steps = sorted(explanation.get("steps", []), key=lambda step: -step.get("weight", 0))
    return [f"{step['description']}: {step['level']}" for step in steps if step.get("weight", 0) > 0.5][:4]


def possible_matches(user: Any, member: FamilyMember) -> tuple[list[PossibleMatch], list]:
    """Record linkage's best candidates for a person just added, split in two: those on early help records
    the practitioner may already see (offered to them, with the reasons), and the rest (never shown to
    them: they go to the Supporting Families team's queue)."""
    from apps.accounts.permissions import can
    from apps.linkage.models import PersonRecord
    from apps.linkage.online import find_matches

    from .linkage_source import SOURCE_KEY, member_id_of

    fields = {
        "first_name": member.first_name,
        "middle_names": member.middle_names,
        "surname": member.surname,
        "date_of_birth": member.date_of_birth.isoformat() if member.date_of_birth else "",
        "sex": member.sex,
        "address": member.address,
        "postcode": member.postcode,
        "nhs_number": member.nhs_number,
        "pupil_number": member.pupil_number,
    }
    candidates = find_matches(fields, limit=10)
    own = PersonRecord.objects.filter(source=SOURCE_KEY, source_reference=member.linkage_reference).first()
    records = {
        str(pk): (source, reference)
        for pk, source, reference in PersonRecord.objects.filter(
            pk__in=[int(candidate.record_id) for candidate in candidates]
        ).values_list("pk", "source", "source_reference")
    }
    offered, elsewhere = [], []
    for candidate in candidates:
        if own is not None and (candidate.record_id == str(own.pk) or candidate.person_id == own.person_id):
            continue
        source, reference = records.get(candidate.record_id, ("", ""))
        other = None
        if source == SOURCE_KEY:
            other = (
                FamilyMember.objects.select_related("family__lead", "family__lead_organisation")
                .filter(pk=member_id_of(reference))
                .exclude(family=member.family)
                .first()
            )
        if other is not None and can(user, "earlyhelp.contribute", other.family):
            offered.append(PossibleMatch(other, candidate.match_probability, _reasons(candidate.explanation)))
        elif other is None or other.family_id != member.family_id:
            elsewhere.append(candidate)
    return offered, elsewhere


# --- The Supporting Families team's central record -------------------------------------------------


@dataclass(frozen=True)
class CentralFilters:
    q: str = ""  # a person's or family's name
    school: str = ""
    postcode: str = ""
    status: str = "open"  # "open", "all" or a FamilyStatus
    organisation: int | None = None
    review: str = ""  # "", "overdue", "due_soon"


def central_record(filters: CentralFilters | None = None, *, today: dt.date | None = None) -> QuerySet[Family]:
    filters = filters or CentralFilters()
    today = today or timezone.localdate()
    families = Family.objects.select_related(*FAMILY_RELATED)
    if filters.status == "open":
        families = families.filter(status__in=(FamilyStatus.DRAFT, FamilyStatus.OPEN, FamilyStatus.STEPPED_UP))
    elif filters.status in FamilyStatus.values:
        families = families.filter(status=filters.status)
    if filters.organisation:
        families = families.filter(
            Q(lead_organisation_id=filters.organisation)
            | Exists(TeamMember.objects.filter(family=OuterRef("pk"), organisation_id=filters.organisation))
        )
    if filters.review == "overdue":
        families = families.filter(status=FamilyStatus.OPEN, next_review_on__lt=today)
    elif filters.review == "due_soon":
        families = families.filter(
            status=FamilyStatus.OPEN, next_review_on__gte=today, next_review_on__lte=today + dt.timedelta(days=14)
        )
    people = FamilyMember.objects.filter(family=OuterRef("pk"))
    if filters.q:
        words = filters.q.split()
        match = Q()
        for word in words:
            match &= Q(first_name__icontains=word) | Q(surname__icontains=word) | Q(aliases__icontains=word)
        families = families.filter(Q(name__icontains=filters.q) | Exists(people.filter(match)))
        if filters.q.upper().startswith("EH-") and filters.q[3:].isdigit():
            families = Family.objects.select_related(*FAMILY_RELATED).filter(pk=int(filters.q[3:]))
    if filters.school:
        families = families.filter(Exists(people.filter(school__icontains=filters.school)))
    if filters.postcode:
        code = " ".join(filters.postcode.upper().split())
        families = families.filter(Q(postcode__startswith=code) | Exists(people.filter(postcode__startswith=code)))
    # A subquery rather than a join and GROUP BY: PostgreSQL counts the agencies of the page's 50 families
    # only, after sorting, and the paginator's count leaves it out.
    agencies = (
        TeamMember.objects.filter(family=OuterRef("pk"), left_at__isnull=True)
        .order_by()
        .values("family")
        .annotate(count=Count("organisation", distinct=True))
        .values("count")
    )
    return families.annotate(agency_count=Coalesce(Subquery(agencies), 0)).order_by(
        "next_review_on", "-updated_at", "pk"
    )


def overdue_reviews(*, today: dt.date | None = None) -> QuerySet[Family]:
    today = today or timezone.localdate()
    return (
        Family.objects.filter(status=FamilyStatus.OPEN, next_review_on__lt=today)
        .select_related(*FAMILY_RELATED)
        .order_by("next_review_on", "pk")
    )


@dataclass(frozen=True)
class KnownElsewhere:
    family: Family
    member: FamilyMember
    held_by: list[str]


def known_to_other_agencies(*, limit: int = 100) -> list[KnownElsewhere]:
    """People on early help records whom linkage has grouped with records that another agency holds: an
    extract, a partner form or another early help record, from any agency but the family's lead's own."""
    from apps.linkage.models import PersonRecord

    from .linkage_source import SOURCE_KEY, member_id_of

    ours = PersonRecord.objects.filter(source=SOURCE_KEY)
    others = PersonRecord.objects.filter(person_id=OuterRef("person_id")).exclude(pk=OuterRef("pk"))
    linked = list(ours.filter(Exists(others)).values_list("pk", "person_id", "source_reference")[: limit * 3])
    if not linked:
        return []
    members = {
        member.pk: member
        for member in FamilyMember.objects.filter(
            pk__in=[member_id_of(reference) for _, _, reference in linked]
        ).select_related("family__lead_organisation")
    }
    group: dict[int, list[tuple]] = {}
    for row in PersonRecord.objects.filter(person_id__in={person for _, person, _ in linked}).values_list(
        "pk", "person_id", "source", "source_reference", "agency", "organisation__name"
    ):
        group.setdefault(row[1], []).append(row)
    found = []
    for record_id, person_id, reference in linked:
        member = members.get(member_id_of(reference))
        if member is None:
            continue
        own_agency = member.family.lead_organisation.name
        held = set()
        for pk, _, source, other_reference, agency, org_name in group.get(person_id, ()):
            if pk == record_id or (source == SOURCE_KEY and other_reference.startswith(f"{member.family.reference}:")):
                continue
            holder = org_name or agency or source
            if holder != own_agency:  # the family's own agency sending a form about them is no other agency
                held.add(holder)
        if held:
            found.append(KnownElsewhere(member.family, member, sorted(held)))
    return found[:limit]


def who_looked(family: Family, *, limit: int = 200) -> QuerySet[AuditEntry]:
    """Every view and change of the family and everything on it, newest first."""
    ids = {
        "earlyhelp.family": [str(family.pk)],
        "earlyhelp.familymember": [str(pk) for pk in family.members.values_list("pk", flat=True)],
        "earlyhelp.assessment": [str(pk) for pk in family.assessments.values_list("pk", flat=True)],
    }
    match = Q()
    for object_type, object_ids in ids.items():
        if object_ids:
            match |= Q(object_type=object_type, object_id__in=object_ids)
    return AuditEntry.objects.filter(match).order_by("-sequence")[:limit]


# --- Figures ---------------------------------------------------------------------------------------


def figures(*, today: dt.date | None = None) -> dict:
    """Assessments opened and closed by agency and month, closure reasons, outcomes achieved, reviews overdue."""
    from .models import ClosureReason, Outcome

    today = today or timezone.localdate()
    opened = (
        Family.objects.filter(opened_on__isnull=False)
        .annotate(month=TruncMonth("opened_on"))
        .values("month", "lead_organisation__name")
        .annotate(count=Count("pk"))
        .order_by("month", "lead_organisation__name")
    )
    closed = (
        Family.objects.filter(closed_on__isnull=False)
        .annotate(month=TruncMonth("closed_on"))
        .values("month", "lead_organisation__name")
        .annotate(count=Count("pk"))
        .order_by("month", "lead_organisation__name")
    )
    reasons = dict(
        Family.objects.filter(status=FamilyStatus.CLOSED)
        .values_list("closure_reason")
        .annotate(count=Count("pk"))
        .values_list("closure_reason", "count")
    )
    outcome_rows = (
        ClosureOutcome.objects.values("headline")
        .annotate(achieved=Count("pk", filter=Q(significant_progress=True)), total=Count("pk"))
        .order_by("headline")
    )
    outcome_labels = dict(Outcome.choices)
    return {
        "opened": [_month_row(row) for row in opened],
        "closed": [_month_row(row) for row in closed],
        "closure_reasons": [(label, reasons.get(value, 0)) for value, label in ClosureReason.choices],
        "outcomes": [
            (outcome_labels.get(row["headline"], row["headline"]), row["achieved"], row["total"])
            for row in outcome_rows
        ],
        "overdue": overdue_reviews(today=today).count(),
        "open": Family.objects.filter(status=FamilyStatus.OPEN).count(),
    }


def _month_row(row: dict) -> tuple[str, str, int]:
    month = row["month"]
    if isinstance(month, dt.datetime):
        month = month.date()
    return (f"{month:%B %Y}" if month else "", row["lead_organisation__name"], row["count"])


def subject_access(member: FamilyMember) -> dict:
    """Everything held about one person on the early help record, as plain data (for the JSON and the PDF)."""
    family = member.family
    entries = ChronologyEntry.objects.filter(family=family).filter(Q(member=member) | Q(member__isnull=True))
    return {
        "person": {
            "name": member.full_name,
            "aliases": member.aliases,
            "role": member.get_role_display(),
            "date_of_birth": member.date_of_birth.isoformat() if member.date_of_birth else None,
            "sex": member.get_sex_display() if member.sex else "",
            "gender": member.gender,
            "ethnicity": member.ethnicity,
            "language": member.language,
            "needs_interpreter": member.needs_interpreter,
            "disability": member.disability,
            "school": member.school,
            "gp": member.gp,
            "nhs_number": member.nhs_number,
            "unique_pupil_number": member.pupil_number,
            "agency_identifiers": member.agency_ids,
            "address": member.address,
            "postcode": member.postcode,
            "previous_addresses": [
                {"address": row.address, "postcode": row.postcode, "until": row.until.isoformat()}
                for row in member.previous_addresses.all()
            ],
        },
        "record": {
            "reference": family.reference,
            "family": family.name,
            "status": family.get_status_display(),
            "lead_agency": family.lead_organisation.name,
            "opened_on": family.opened_on.isoformat() if family.opened_on else None,
            "closed_on": family.closed_on.isoformat() if family.closed_on else None,
            "closure_reason": family.get_closure_reason_display() if family.closure_reason else "",
        },
        "consent": [
            {
                "given_by": consent.given_by_name,
                "given_on": consent.given_on.isoformat(),
                "how": consent.get_method_display(),
                "agencies": sorted(agency.name for agency in consent.agencies.all()),
                "withdrawn_on": consent.withdrawn_on.isoformat() if consent.withdrawn_on else None,
            }
            for consent in family.consents.prefetch_related("agencies")
        ],
        "assessments": [
            {
                "started": timezone.localtime(assessment.started_at).date().isoformat(),
                "status": assessment.get_status_display(),
                "family_story": assessment.family_story,
                "voice_of_child": assessment.voice_of_child,
                "working_well": assessment.working_well,
                "worries": assessment.worries,
                "needs_to_happen": assessment.needs_to_happen,
                "scaling": assessment.scaling,
                "needs": dict(assessment.needs_list()),
            }
            for assessment in family.assessments.all()
        ],
        "chronology": [
            {
                "on": entry.occurred_on.isoformat(),
                "what": entry.get_kind_display(),
                "summary": entry.summary,
                "agency": entry.source_agency,
                "impact_on_child": entry.impact_on_child,
            }
            for entry in entries.order_by("occurred_on", "pk")
        ],
        "practice_tools": _practice_tool_results(member),
    }


def _practice_tool_results(member: FamilyMember) -> list[dict]:
    # The PAMIC tool keeps its results on the record from its own app; imported here to avoid a cycle.
    from apps.practicetools.selectors import for_subject_access

    return for_subject_access(member)
