"""Every change to the early help record. Each function validates, writes in one transaction with its
chronology entry and its audit entry, and queues any e-mail through the outbox in that same transaction.

Errors a person can cause are `EarlyHelpRefused`, with the message to show and the field it belongs to.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import AccountStatus, Organisation, Team, User
from apps.audit.models import AuditAction
from apps.audit.services import record as audit
from apps.core.dates import format_date
from apps.core.identifiers import clean_nhs_number, clean_pupil_number
from apps.core.protected_files import ProtectedFolder
from apps.notifications.services import queue_templated_email

from .models import (
    ActionStatus,
    AddressHistory,
    Assessment,
    AssessmentStatus,
    BreakGlass,
    ChronologyEntry,
    ClosureOutcome,
    ClosureReason,
    Consent,
    EntryKind,
    Family,
    FamilyMember,
    FamilyStatus,
    Meeting,
    MeetingDocument,
    Outcome,
    PlanAction,
    PlanOutcome,
    Relationship,
    RetentionDecision,
    Review,
    Service,
    StepChange,
    StepDirection,
    TeamMember,
)
from .rules import SUPPORTING_FAMILIES, TARGETED_INTERVENTION, forget_relations

documents = ProtectedFolder("earlyhelp")


class EarlyHelpRefused(Exception):
    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def _today() -> dt.date:
    return timezone.localdate()


def _link(name: str, **kwargs) -> str:
    return f"{settings.HUB_BASE_URL}{reverse(name, kwargs=kwargs)}"


def add_entry(
    family: Family,
    kind: str,
    summary: str,
    *,
    by: Any = None,
    on: dt.date | None = None,
    member: FamilyMember | None = None,
    automatic: bool = True,
    source_agency: str = "",
    impact: str = "",
) -> ChronologyEntry:
    """One chronology entry; automatic ones carry the agency of whoever caused them."""
    if not source_agency and by is not None and getattr(by, "organisation", None) is not None:
        source_agency = by.organisation.name
    return ChronologyEntry.objects.create(
        family=family,
        member=member,
        occurred_on=on or _today(),
        kind=kind,
        summary=summary,
        source_agency=source_agency,
        impact_on_child=impact,
        automatic=automatic,
        recorded_by=by if getattr(by, "is_authenticated", False) else None,
    )


def _touch(family: Family) -> None:
    Family.objects.filter(pk=family.pk).update(updated_at=timezone.now())


def _locked(family: Family) -> Family:
    """The family's row, locked until the transaction ends, so two changes to one record queue."""
    return Family.objects.select_for_update().get(pk=family.pk)


def _name(user: Any) -> str:
    return (user.get_full_name() or user.email) if user is not None else "the hub"


# --- Starting a record, consent ---------------------------------------------------------------------


@dataclass(frozen=True)
class ConsentGiven:
    given_by_name: str
    given_by: str
    given_on: dt.date
    method: str
    agencies: list[Organisation]


def _check_consent(consent: ConsentGiven) -> None:
    if consent.given_on > _today():
        raise EarlyHelpRefused("The date consent was given must be today or in the past", "given_on")


def start_assessment(
    *,
    by: User,
    family_name: str,
    postcode: str = "",
    consent: ConsentGiven | None = None,
    no_consent_basis: str = "",
    request: Any = None,
) -> Family:
    """A practitioner starts an Early Help Assessment for a family, and becomes its lead practitioner."""
    if by.organisation_id is None:
        raise EarlyHelpRefused("Only a member of a partner organisation can start an assessment")
    if consent is None and not no_consent_basis.strip():
        raise EarlyHelpRefused(
            "Record the family's consent, or say under which law the record is kept without it", "consent"
        )
    if consent is not None:
        _check_consent(consent)
    with transaction.atomic():
        family = Family.objects.create(
            name=family_name.strip(),
            postcode=postcode.strip().upper(),
            lead=by,
            lead_organisation=by.organisation,
            created_by=by,
            no_consent_basis="" if consent else no_consent_basis.strip(),
        )
        TeamMember.objects.create(
            family=family, user=by, organisation=by.organisation, role="Lead practitioner", added_by=by
        )
        Assessment.objects.create(family=family, started_by=by)
        audit(action=AuditAction.CREATE, actor=by, obj=family, request=request, detail="assessment started")
        add_entry(family, EntryKind.ASSESSMENT_STARTED, f"Early Help Assessment started by {_name(by)}", by=by)
        if consent is not None:
            _record_consent(family, consent, by=by, request=request)
        else:
            add_entry(
                family,
                EntryKind.CONSENT_GIVEN,
                f"Record kept without consent: {no_consent_basis.strip()}",
                by=by,
            )
    forget_relations(by)
    return family


def _record_consent(family: Family, consent: ConsentGiven, *, by: User, request: Any = None) -> Consent:
    row = Consent.objects.create(
        family=family,
        given_by_name=consent.given_by_name.strip(),
        given_by=consent.given_by,
        given_on=consent.given_on,
        method=consent.method,
        recorded_by=by,
    )
    row.agencies.set(consent.agencies)
    names = ", ".join(sorted(agency.name for agency in consent.agencies)) or "no other agency"
    add_entry(
        family,
        EntryKind.CONSENT_GIVEN,
        f"{row.get_method_display()} consent given by {row.given_by_name} ({row.get_given_by_display().lower()}), "
        f"for sharing with {names}",
        by=by,
        on=consent.given_on,
    )
    audit(action=AuditAction.CREATE, actor=by, obj=row, request=request)
    return row


def give_consent(*, family: Family, consent: ConsentGiven, by: User, request: Any = None) -> Consent:
    _check_consent(consent)
    with transaction.atomic():
        family = _locked(family)
        if family.is_closed:
            raise EarlyHelpRefused("This record is closed")
        row = _record_consent(family, consent, by=by, request=request)
        if family.no_consent_basis:
            Family.objects.filter(pk=family.pk).update(no_consent_basis="")
        _touch(family)
    return row


def has_consent(family: Family) -> bool:
    return family.consents.filter(withdrawn_on__isnull=True).exists()


def withdraw_consent(
    *, consent: Consent, by: User, withdrawn_on: dt.date, note: str = "", request: Any = None
) -> Consent:
    """Consent withdrawn: the record is shared with nobody new, and with no consent left the assessment closes."""
    if withdrawn_on > _today():
        raise EarlyHelpRefused("The date consent was withdrawn must be today or in the past", "withdrawn_on")
    if withdrawn_on < consent.given_on:
        raise EarlyHelpRefused(
            f"The date consent was withdrawn must be on or after it was given ({format_date(consent.given_on)})",
            "withdrawn_on",
        )
    with transaction.atomic():
        family = _locked(consent.family)
        consent = Consent.objects.select_for_update().get(pk=consent.pk)
        if consent.withdrawn_on is not None:
            raise EarlyHelpRefused("This consent has already been withdrawn")
        consent.withdrawn_on = withdrawn_on
        consent.withdrawal_note = note.strip()
        consent.withdrawal_recorded_by = by
        consent.save(update_fields=["withdrawn_on", "withdrawal_note", "withdrawal_recorded_by"])
        add_entry(
            family, EntryKind.CONSENT_WITHDRAWN, f"Consent withdrawn by {consent.given_by_name}", by=by, on=withdrawn_on
        )
        audit(action=AuditAction.CHANGE, actor=by, obj=consent, request=request, detail="consent withdrawn")
        if not family.is_closed and not has_consent(family):
            _close(
                family,
                by=by,
                reason=ClosureReason.CONSENT_WITHDRAWN,
                note=note.strip() or "The family withdrew consent.",
                on=withdrawn_on,
                request=request,
            )
        _touch(family)
    return consent


# --- People ------------------------------------------------------------------------------------------

MEMBER_FIELDS = (
    "role",
    "first_name",
    "middle_names",
    "surname",
    "aliases",
    "date_of_birth",
    "sex",
    "gender",
    "ethnicity",
    "language",
    "needs_interpreter",
    "disability",
    "school",
    "gp",
    "nhs_number",
    "pupil_number",
    "agency_ids",
    "address",
    "postcode",
)


def _clean_member_data(data: dict) -> dict:
    clean = {name: data[name] for name in MEMBER_FIELDS if name in data}
    if "nhs_number" in clean:
        clean["nhs_number"] = clean_nhs_number(clean["nhs_number"])
    if "pupil_number" in clean:
        clean["pupil_number"] = clean_pupil_number(clean["pupil_number"])
    if "postcode" in clean:
        clean["postcode"] = " ".join(str(clean["postcode"] or "").upper().split())
    born = clean.get("date_of_birth")
    if born is not None and born > _today():
        raise EarlyHelpRefused("Date of birth must be today or in the past", "date_of_birth")
    return clean


def _register_for_linkage(member: FamilyMember, *, by: Any):
    from apps.linkage.services import register_record

    from .linkage_source import EarlyHelpPeople, sourced

    record, _ = register_record(source=EarlyHelpPeople(), person=sourced(member), by=by)
    return record


def add_member(*, family: Family, by: User, data: dict, request: Any = None) -> FamilyMember:
    """Add a person to the household. They become a record that linkage sees at once."""
    clean = _clean_member_data(data)
    with transaction.atomic():
        family = _locked(family)
        if family.is_closed:
            raise EarlyHelpRefused("This record is closed")
        member = FamilyMember.objects.create(family=family, added_by=by, **clean)
        member.family = family
        add_entry(
            family,
            EntryKind.PERSON_ADDED,
            f"{member.full_name} ({member.get_role_display().lower()}) added to the record",
            by=by,
            member=member,
        )
        audit(action=AuditAction.CREATE, actor=by, obj=member, request=request)
        _register_for_linkage(member, by=by)
        _touch(family)
    return member


def change_member(
    *, member: FamilyMember, by: User, data: dict, moved_on: dt.date | None = None, request: Any = None
) -> FamilyMember:
    """Change a person's details; a new address keeps the old one in their address history."""
    clean = _clean_member_data(data)
    with transaction.atomic():
        _locked(member.family)
        member = FamilyMember.objects.select_for_update().get(pk=member.pk)
        new_address = clean.get("address", member.address)
        if member.address and new_address != member.address:
            AddressHistory.objects.create(
                member=member, address=member.address, postcode=member.postcode, until=moved_on or _today()
            )
        changed = [name for name, value in clean.items() if getattr(member, name) != value]
        for name, value in clean.items():
            setattr(member, name, value)
        member.save()
        if changed:
            audit(action=AuditAction.CHANGE, actor=by, obj=member, request=request, detail=", ".join(changed))
            _register_for_linkage(member, by=by)
            _touch(member.family)
    return member


def add_relationship(
    *, family: Family, person: FamilyMember, relative: FamilyMember, kind: str, by: User, request: Any = None
) -> Relationship:
    """ "Sam is the parent of Jordan": both must be in this family, and each pair is recorded once."""
    if person.family_id != family.pk or relative.family_id != family.pk:
        raise EarlyHelpRefused("Choose people in this family", "relative")
    if person.pk == relative.pk:
        raise EarlyHelpRefused("Choose two different people", "relative")
    with transaction.atomic():
        family = _locked(family)
        if Relationship.objects.filter(person=person, relative=relative).exists():
            raise EarlyHelpRefused("This relationship is already recorded", "relative")
        relationship = Relationship.objects.create(family=family, person=person, relative=relative, kind=kind)
        audit(action=AuditAction.CREATE, actor=by, obj=relationship, request=request)
        _touch(family)
    return relationship


def confirm_same_person(*, member: FamilyMember, other: FamilyMember | None, by: User, request: Any = None) -> None:
    """The practitioner's answer to "this may be someone already on a record you work on": this one, or none."""
    with transaction.atomic():
        if other is None:
            audit(action=AuditAction.CHANGE, actor=by, obj=member, request=request, detail="possible matches: none")
            return
        FamilyMember.objects.filter(pk=member.pk).update(same_person_as=other)
        add_entry(
            member.family,
            EntryKind.LINKAGE,
            f"{_name(by)} said {member.full_name} is the same person as on record {other.family.reference}",
            by=by,
            member=member,
        )
        audit(
            action=AuditAction.CHANGE,
            actor=by,
            obj=member,
            request=request,
            detail=f"same person as {other.linkage_reference}",
        )


# --- The assessment -----------------------------------------------------------------------------

ASSESSMENT_TEXT = ("family_story", "voice_of_child", "working_well", "worries", "needs_to_happen")
ASSESSMENT_REQUIRED = {
    "family_story": "Enter the family's story, in their words",
    "voice_of_child": "Enter the voice of the child",
    "working_well": "Enter what is working well",
    "worries": "Enter what we are worried about",
    "needs_to_happen": "Enter what needs to happen",
}


def save_assessment(*, assessment: Assessment, by: User, data: dict, request: Any = None) -> Assessment:
    """Keep what has been written so far (save and come back later)."""
    if assessment.is_completed:
        raise EarlyHelpRefused("This assessment has been signed off and can no longer be changed")
    with transaction.atomic():
        _locked(assessment.family)
        assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
        changed = []
        for name in (*ASSESSMENT_TEXT, "scaling", "needs"):
            if name in data and getattr(assessment, name) != data[name]:
                setattr(assessment, name, data[name])
                changed.append(name)
        if changed:
            assessment.save()
            audit(action=AuditAction.CHANGE, actor=by, obj=assessment, request=request, detail=", ".join(changed))
            _touch(assessment.family)
    return assessment


def missing_from(assessment: Assessment) -> list[tuple[str, str]]:
    """(field, message) for everything a signed-off assessment must have."""
    missing = [(name, message) for name, message in ASSESSMENT_REQUIRED.items() if not getattr(assessment, name)]
    if assessment.scaling is None:
        missing.append(("scaling", "Choose a number from 0 to 10 for the scaling question"))
    if not assessment.needs:
        missing.append(("needs", "Choose at least one of the family's needs"))
    if not assessment.family.members.filter(role__in=("child", "young_person")).exists():
        missing.append(("members", "Add at least one child or young person to the family"))
    return missing


def complete_assessment(*, assessment: Assessment, by: User, request: Any = None) -> Assessment:
    """The lead signs the assessment off. It registers in the central record: the family's plan is open."""
    with transaction.atomic():
        family = _locked(assessment.family)
        assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
        assessment.family = family
        if assessment.is_completed:
            raise EarlyHelpRefused("This assessment has already been signed off")
        if family.lead_id != by.pk:
            raise EarlyHelpRefused("Only the lead practitioner can sign the assessment off")
        missing = missing_from(assessment)
        if missing:
            raise EarlyHelpRefused(missing[0][1], missing[0][0])
        now = timezone.now()
        assessment.status = AssessmentStatus.COMPLETED
        assessment.completed_at = now
        assessment.signed_off_by = by
        assessment.save(update_fields=["status", "completed_at", "signed_off_by", "updated_at"])
        family.status = FamilyStatus.OPEN
        family.opened_on = family.opened_on or _today()
        family.next_review_on = family.next_review_on or _today() + dt.timedelta(days=family.review_interval_days)
        family.save(update_fields=["status", "opened_on", "next_review_on", "updated_at"])
        add_entry(family, EntryKind.ASSESSMENT_COMPLETED, f"Early Help Assessment signed off by {_name(by)}", by=by)
        audit(action=AuditAction.CHANGE, actor=by, obj=assessment, request=request, detail="signed off")
    return assessment


# --- The team around the family --------------------------------------------------------------------


def add_team_member(*, family: Family, user: User, role: str, by: User, request: Any = None) -> TeamMember:
    """The lead adds a practitioner from any organisation; they see the record from now on and are told."""
    with transaction.atomic():
        family = _locked(family)
        if not family.is_open:
            raise EarlyHelpRefused("People can be added only while the record is open")
        if not has_consent(family) and not family.no_consent_basis:
            raise EarlyHelpRefused("Consent has been withdrawn, so the record cannot be shared with anyone new")
        if user.status != AccountStatus.ACTIVE or user.organisation_id is None:
            raise EarlyHelpRefused("Choose a practitioner with an active account", "user")
        if family.team.filter(user=user, left_at__isnull=True).exists():
            raise EarlyHelpRefused(f"{_name(user)} is already in the team around the family", "user")
        member = TeamMember.objects.create(
            family=family, user=user, organisation=user.organisation, role=role.strip(), added_by=by
        )
        add_entry(
            family,
            EntryKind.TEAM_JOINED,
            f"{_name(user)} ({user.organisation.name}) joined the team around the family as {member.role}",
            by=by,
        )
        audit(action=AuditAction.CREATE, actor=by, obj=member, request=request)
        queue_templated_email(
            to=user.email,
            template="earlyhelp/email/team_joined",
            context={"family": family, "role": member.role, "link": _link("earlyhelp:family", pk=family.pk)},
            purpose="earlyhelp.team_joined",
        )
        _touch(family)
    forget_relations(user)
    return member


def remove_team_member(*, member: TeamMember, by: User, request: Any = None) -> TeamMember:
    """A leaver loses access; the record keeps that they were a member."""
    with transaction.atomic():
        family = _locked(member.family)
        member = TeamMember.objects.select_for_update().get(pk=member.pk)
        if member.left_at is not None:
            raise EarlyHelpRefused(f"{_name(member.user)} has already left the team")
        if member.user_id == family.lead_id:
            raise EarlyHelpRefused("The lead practitioner cannot leave: pass the lead to someone else first")
        member.left_at = timezone.now()
        member.save(update_fields=["left_at"])
        add_entry(family, EntryKind.TEAM_LEFT, f"{_name(member.user)} left the team around the family", by=by)
        audit(action=AuditAction.CHANGE, actor=by, obj=member, request=request, detail="left the team")
        _touch(family)
    forget_relations(member.user)
    return member


def transfer_lead(*, family: Family, to: TeamMember, by: User, request: Any = None) -> Family:
    """Pass the lead to another current member of the team around the family."""
    with transaction.atomic():
        family = _locked(family)
        to = TeamMember.objects.select_related("user", "organisation").get(pk=to.pk)
        if to.family_id != family.pk or to.left_at is not None:
            raise EarlyHelpRefused("Choose a current member of the team around the family", "member")
        if to.user_id == family.lead_id:
            raise EarlyHelpRefused(f"{_name(to.user)} is already the lead practitioner", "member")
        before = family.lead
        family.lead = to.user
        family.lead_organisation = to.organisation
        family.save(update_fields=["lead", "lead_organisation", "updated_at"])
        add_entry(
            family,
            EntryKind.LEAD_CHANGED,
            f"Lead practitioner changed from {_name(before)} to {_name(to.user)} ({to.organisation.name})",
            by=by,
        )
        audit(
            action=AuditAction.CHANGE, actor=by, obj=family, request=request, detail=f"lead passed to {to.user.email}"
        )
        queue_templated_email(
            to=to.user.email,
            template="earlyhelp/email/lead_given",
            context={"family": family, "link": _link("earlyhelp:family", pk=family.pk)},
            purpose="earlyhelp.lead_given",
        )
    return family


# --- Meetings and their documents -----------------------------------------------------------------

MEETING_KINDS = {"pdf", "docx", "odt"}


def check_meeting_document(file: IO[bytes]):
    """PDF, DOCX or ODT only, told apart by content (the library's check), nothing else."""
    from apps.documents.uploads import UploadRefused, check_upload

    try:
        checked = check_upload(file)
    except UploadRefused as refused:
        message = refused.message.replace("a PDF, DOCX, ODT or XLSX", "a PDF, DOCX or ODT")
        raise EarlyHelpRefused(message, "documents") from None
    if checked.kind.extension not in MEETING_KINDS:
        raise EarlyHelpRefused("The selected file must be a PDF, DOCX or ODT", "documents")
    return checked


def record_meeting(
    *,
    family: Family,
    by: User,
    held_on: dt.date,
    attended: str,
    discussed: str,
    decisions: str = "",
    files: list | None = None,
    request: Any = None,
) -> Meeting:
    if held_on > _today():
        raise EarlyHelpRefused("The date of the meeting must be today or in the past", "held_on")
    if held_on < family.created_at.date():
        raise EarlyHelpRefused(
            f"The date of the meeting must be on or after the record was started ({format_date(family.created_at)})",
            "held_on",
        )
    checked = [(file, check_meeting_document(file)) for file in files or []]
    written: list[str] = []
    try:
        with transaction.atomic():
            family = _locked(family)
            if family.is_closed:
                raise EarlyHelpRefused("This record is closed")
            meeting = Meeting.objects.create(
                family=family,
                held_on=held_on,
                attended=attended.strip(),
                discussed=discussed.strip(),
                decisions=decisions.strip(),
                recorded_by=by,
            )
            for file, result in checked:
                stored = f"{uuid.uuid4().hex}.{result.kind.extension}"
                file.seek(0)
                documents.write(stored, file.read())
                written.append(stored)
                MeetingDocument.objects.create(
                    meeting=meeting,
                    original_name=(getattr(file, "name", "") or f"document.{result.kind.extension}")[:255],
                    stored_name=stored,
                    kind=result.kind.extension,
                    size=result.size,
                    uploaded_by=by,
                )
            add_entry(family, EntryKind.MEETING, "Team around the family meeting", by=by, on=held_on)
            audit(action=AuditAction.CREATE, actor=by, obj=meeting, request=request, detail=f"{len(checked)} documents")
            _touch(family)
    except BaseException:
        for stored in written:  # nothing half-kept: the files go with the rolled-back meeting
            documents.remove(stored)
        raise
    return meeting


# --- The plan and reviews -------------------------------------------------------------------------


def add_plan_outcome(*, family: Family, headline: str, description: str, by: User, request: Any = None) -> PlanOutcome:
    with transaction.atomic():
        family = _locked(family)
        if not family.is_open:
            raise EarlyHelpRefused("The plan can be changed only while the record is open")
        outcome = PlanOutcome.objects.create(family=family, headline=headline, description=description.strip())
        add_entry(family, EntryKind.PLAN, f"Outcome added to the plan: {outcome.get_headline_display()}", by=by)
        audit(action=AuditAction.CREATE, actor=by, obj=outcome, request=request)
        _touch(family)
    return outcome


def add_action(
    *, outcome: PlanOutcome, what: str, who: str, due_on: dt.date, by: User, request: Any = None
) -> PlanAction:
    if due_on < _today():
        raise EarlyHelpRefused("The date the action is due must be today or in the future", "due_on")
    with transaction.atomic():
        family = _locked(outcome.family)
        if not family.is_open:
            raise EarlyHelpRefused("The plan can be changed only while the record is open")
        action = PlanAction.objects.create(outcome=outcome, what=what.strip(), who=who.strip(), due_on=due_on)
        add_entry(
            family, EntryKind.PLAN, f"Action added: {action.what} ({action.who}, by {format_date(due_on)})", by=by
        )
        audit(action=AuditAction.CREATE, actor=by, obj=action, request=request)
        _touch(family)
    return action


def record_review(
    *,
    family: Family,
    by: User,
    held_on: dt.date,
    scaling: int,
    progress: dict[int, dict],
    what_changes: str = "",
    next_review_on: dt.date | None = None,
    request: Any = None,
) -> Review:
    """A review of the plan: each action's progress, the scaling question again, and the next review date."""
    if held_on > _today():
        raise EarlyHelpRefused("The date of the review must be today or in the past", "held_on")
    completed = family.assessments.filter(status=AssessmentStatus.COMPLETED).order_by("completed_at").first()
    if completed is None:
        raise EarlyHelpRefused("The assessment must be signed off before the plan can be reviewed")
    started = timezone.localtime(completed.started_at).date()
    if held_on < started:
        raise EarlyHelpRefused(
            f"The date of the review must be on or after the assessment started ({format_date(started)})", "held_on"
        )
    if not 0 <= scaling <= 10:
        raise EarlyHelpRefused("Choose a number from 0 to 10 for the scaling question", "scaling")
    next_review_on = next_review_on or held_on + dt.timedelta(days=family.review_interval_days)
    if next_review_on <= held_on:
        raise EarlyHelpRefused("The next review must be after this one", "next_review_on")
    with transaction.atomic():
        family = _locked(family)
        if family.status != FamilyStatus.OPEN:
            raise EarlyHelpRefused("Only an open plan can be reviewed")
        actions = {action.pk: action for action in PlanAction.objects.filter(outcome__family=family)}
        kept: dict[str, dict] = {}
        for action_id, said in progress.items():
            action = actions.get(int(action_id))
            if action is None:
                continue
            status = said.get("status") or action.status
            if status not in ActionStatus.values:
                raise EarlyHelpRefused("Choose how each action stands", f"action_{action_id}")
            if status != action.status:
                PlanAction.objects.filter(pk=action.pk).update(status=status)
            kept[str(action.pk)] = {"status": status, "note": (said.get("note") or "").strip()}
        review = Review.objects.create(
            family=family,
            held_on=held_on,
            scaling=scaling,
            progress=kept,
            what_changes=what_changes.strip(),
            next_review_on=next_review_on,
            recorded_by=by,
        )
        family.next_review_on = next_review_on
        family.save(update_fields=["next_review_on", "updated_at"])
        add_entry(
            family,
            EntryKind.REVIEW,
            f"Plan reviewed: scaling {scaling} out of 10; next review {format_date(next_review_on)}",
            by=by,
            on=held_on,
        )
        audit(action=AuditAction.CREATE, actor=by, obj=review, request=request)
    return review


REMINDER_DAYS = 7


def send_review_reminders(*, today: dt.date | None = None) -> int:
    """Remind each lead once, a week before their family's review is due (and once if it is already overdue).

    The claim is a conditional UPDATE that commits with the outbox row, so a reminder goes once even if two
    schedulers run or the worker dies half-way."""
    today = today or _today()
    sent = 0
    due = Family.objects.filter(
        status=FamilyStatus.OPEN, next_review_on__isnull=False, next_review_on__lte=today + dt.timedelta(REMINDER_DAYS)
    ).select_related("lead")
    for family in due:
        if family.review_reminder_sent_for == family.next_review_on:
            continue
        with transaction.atomic():
            claimed = (
                Family.objects.filter(pk=family.pk, next_review_on=family.next_review_on)
                .exclude(review_reminder_sent_for=family.next_review_on)
                .update(review_reminder_sent_for=family.next_review_on)
            )
            if not claimed:
                continue
            queue_templated_email(
                to=family.lead.email,
                template="earlyhelp/email/review_due",
                context={
                    "family": family,
                    "due": format_date(family.next_review_on, weekday=True),
                    "overdue": family.next_review_on < today,
                    "link": _link("earlyhelp:family", pk=family.pk),
                },
                purpose="earlyhelp.review_due",
            )
            sent += 1
    return sent


# --- Step up, step down, closure ------------------------------------------------------------------


def carried_with(family: Family) -> dict:
    """What a step up carries: the chronology and the plan as they stand, so it is clear what support
    has already been in place and when."""
    return {
        "chronology": [
            {"on": entry.occurred_on.isoformat(), "what": entry.get_kind_display(), "summary": entry.summary}
            for entry in family.chronology.order_by("occurred_on", "pk")
        ],
        "plan": [
            {
                "outcome": outcome.get_headline_display(),
                "description": outcome.description,
                "actions": [
                    {
                        "what": action.what,
                        "who": action.who,
                        "due": action.due_on.isoformat(),
                        "status": action.get_status_display(),
                    }
                    for action in outcome.actions.all()
                ],
            }
            for outcome in family.plan_outcomes.prefetch_related("actions")
        ],
    }


def _team_inbox(slug: str) -> str:
    team = Team.objects.filter(slug=slug).first()
    return team.inbox_email if team is not None else ""


# The early help record's headline outcomes, as the TIS request form names them.
TIS_NEEDS = {
    Outcome.EDUCATION: "education",
    Outcome.EARLY_YEARS: "early_years",
    Outcome.HEALTH: "health",
    Outcome.SUBSTANCE_USE: "substance_use",
    Outcome.FAMILY_RELATIONSHIPS: "relationships",
    Outcome.SAFETY: "exploitation",
    Outcome.CRIME: "crime",
    Outcome.DOMESTIC_ABUSE: "domestic_abuse",
    Outcome.HOUSING: "housing",
    Outcome.FINANCIAL: "finances",
}


def tis_request_answers(family: Family, reason: str) -> dict:
    """The partner form "Request for Targeted Intervention Service support", filled in from the record."""
    from apps.core.dates import format_date as when

    children = list(family.members.filter(role__in=("child", "young_person")).order_by("date_of_birth", "pk"))
    if not children:
        raise EarlyHelpRefused("Add the child or young person to the record before you step up")
    child = children[0]
    consent = family.consents.filter(withdrawn_on__isnull=True).order_by("-given_on").first()
    if consent is None:
        raise EarlyHelpRefused("The Targeted Intervention Service needs the family's consent to the request")
    assessment = family.assessments.filter(status=AssessmentStatus.COMPLETED).order_by("-completed_at").first()
    needs = [TIS_NEEDS[key] for key in (assessment.needs if assessment else {}) if key in TIS_NEEDS]
    others = [
        f"{member.full_name} ({member.get_role_display().lower()}"
        + (f", born {when(member.date_of_birth)}" if member.date_of_birth else "")
        + ")"
        for member in family.members.exclude(pk=child.pk)
    ]
    carried = carried_with(family)
    plan = "; ".join(
        f"{outcome['outcome']}: "
        + ", ".join(f"{action['what']} ({action['who']}, {action['status'].lower()})" for action in outcome["actions"])
        for outcome in carried["plan"]
    )
    history = "\n".join(f"{entry['on']}: {entry['what']}. {entry['summary']}" for entry in carried["chronology"])
    lead = f"{_name(family.lead)} ({family.lead_organisation.name})"
    tried = f"Early help record {family.reference}, lead practitioner {lead}."
    if plan:
        tried += f"\n\nThe plan: {plan}"
    tried += f"\n\nThe chronology:\n{history}"
    details = reason.strip()
    if assessment is not None and assessment.worries:
        details += f"\n\nWhat we are worried about: {assessment.worries}"
    return {
        "family": {
            "child_name": child.full_name,
            "date_of_birth": child.date_of_birth.isoformat() if child.date_of_birth else "",
            "household": "; ".join(others)[:2000],
        },
        "address": {"address": child.address or family.name, "postcode": child.postcode or family.postcode},
        "consent": {"consent": "yes", "given_by": consent.given_by_name, "given_on": consent.given_on.isoformat()},
        "needs": {"needs": needs or ["relationships"], "details": details[:5000]},
        "early-help": {"tried": tried[:5000], "assessment": "yes" if assessment else "no"},
    }


def _send_tis_request(family: Family, reason: str, by: User, request: Any = None):
    from apps.referrals import services as referrals
    from apps.referrals.models import FormType
    from apps.referrals.questions import definition_of

    try:
        return referrals.submit(
            definition=definition_of(FormType.TARGETED_INTERVENTION),
            answers=tis_request_answers(family, reason),
            organisation=by.organisation,
            receipt_email=by.email,
            submitter=by,
            request=request,
        )
    except referrals.NoReceivingTeam:
        raise EarlyHelpRefused(
            "The request cannot be sent at the moment because no team has been set up to receive it. "
            "Contact the partnership business unit"
        ) from None
    except referrals.FormNotAccepted as refused:
        problems = [
            message for fields in refused.errors.values() for messages in fields.values() for message in messages
        ]
        raise EarlyHelpRefused(
            "The record does not yet hold what the request needs: " + "; ".join(problems[:3])
        ) from None


def step_up(
    *, family: Family, to_service: str, reason: str, by: User, submission: Any = None, request: Any = None
) -> StepChange:
    """A request to the Targeted Intervention Service or a referral to Children's Social Care, from the record,
    carrying the chronology and the plan. A step up to TIS with no request already sent sends one: the partner
    form filled in from the record, so it reaches the service's triage queue like any other."""
    if to_service not in (Service.TIS, Service.CSC):
        raise EarlyHelpRefused("Choose where to step the family up to", "to_service")
    with transaction.atomic():
        family = _locked(family)
        if not family.is_open:
            raise EarlyHelpRefused("Only an open record can be stepped up")
        if to_service == Service.TIS and submission is None:
            submission = _send_tis_request(family, reason, by, request)
        change = StepChange.objects.create(
            family=family,
            direction=StepDirection.UP,
            from_service=Service.EARLY_HELP,
            to_service=to_service,
            reason=reason.strip(),
            carried=carried_with(family),
            submission=submission,
            made_by=by,
        )
        family.status = FamilyStatus.STEPPED_UP
        fields = ["status", "updated_at"]
        if to_service == Service.TIS:
            family.referred_to_tis = True
            fields.append("referred_to_tis")
        family.save(update_fields=fields)
        sent = f" (request {submission.reference})" if submission is not None else ""
        add_entry(
            family, EntryKind.STEP_UP, f"Stepped up to {change.get_to_service_display()}{sent}: {change.reason}", by=by
        )
        audit(action=AuditAction.CREATE, actor=by, obj=change, request=request)
        inbox = _team_inbox(TARGETED_INTERVENTION if to_service == Service.TIS else "childrens-social-care")
        if inbox:
            queue_templated_email(
                to=inbox,
                template="earlyhelp/email/stepped_up",
                context={"family": family, "change": change, "link": _link("earlyhelp:family", pk=family.pk)},
                purpose="earlyhelp.stepped_up",
            )
    return change


def step_down(*, family: Family, from_service: str, reason: str, by: User, request: Any = None) -> StepChange:
    """Back to early help from TIS or Children's Social Care: the record reopens with its history."""
    if from_service not in (Service.TIS, Service.CSC):
        raise EarlyHelpRefused("Choose which service the family is stepping down from", "from_service")
    with transaction.atomic():
        family = _locked(family)
        if family.status not in (FamilyStatus.STEPPED_UP, FamilyStatus.CLOSED):
            raise EarlyHelpRefused("Only a stepped up or closed record can be stepped down to early help")
        change = StepChange.objects.create(
            family=family,
            direction=StepDirection.DOWN,
            from_service=from_service,
            to_service=Service.EARLY_HELP,
            reason=reason.strip(),
            made_by=by,
        )
        signed_off = family.assessments.filter(status=AssessmentStatus.COMPLETED).exists()
        family.status = FamilyStatus.OPEN if signed_off else FamilyStatus.DRAFT
        family.closed_on = None
        family.closure_reason = ""
        family.closure_note = ""
        family.moved_to_area = ""
        family.retention_flagged_on = None
        family.next_review_on = _today() + dt.timedelta(days=family.review_interval_days) if signed_off else None
        family.save()
        ClosureOutcome.objects.filter(family=family).delete()
        add_entry(
            family,
            EntryKind.STEP_DOWN,
            f"Stepped down from {change.get_from_service_display()}: {change.reason}",
            by=by,
        )
        audit(action=AuditAction.CREATE, actor=by, obj=change, request=request)
    return change


def _close(
    family: Family,
    *,
    by: User,
    reason: str,
    note: str = "",
    moved_to_area: str = "",
    on: dt.date | None = None,
    request: Any = None,
) -> None:
    family.status = FamilyStatus.CLOSED
    family.closed_on = on or _today()
    family.closure_reason = reason
    family.closure_note = note
    family.moved_to_area = moved_to_area
    family.next_review_on = None
    family.save()
    add_entry(
        family,
        EntryKind.CLOSED,
        f"Closed: {family.get_closure_reason_display()}" + (f" ({moved_to_area})" if moved_to_area else ""),
        by=by,
        on=family.closed_on,
    )
    audit(action=AuditAction.CHANGE, actor=by, obj=family, request=request, detail=f"closed: {reason}")


def close(
    *,
    family: Family,
    by: User,
    reason: str,
    note: str = "",
    moved_to_area: str = "",
    outcomes: dict[str, tuple[bool, str]] | None = None,
    request: Any = None,
) -> Family:
    """Close the record with a reason and, for each headline outcome of the plan, whether significant and
    sustained progress was made, with evidence."""
    if reason not in ClosureReason.values:
        raise EarlyHelpRefused("Choose why the record is closing", "reason")
    if reason == ClosureReason.MOVED_AWAY and not moved_to_area.strip():
        raise EarlyHelpRefused("Enter the area the family has moved to", "moved_to_area")
    if reason == ClosureReason.OTHER and not note.strip():
        raise EarlyHelpRefused("Enter why the record is closing", "note")
    outcomes = outcomes or {}
    with transaction.atomic():
        family = _locked(family)
        if family.is_closed:
            raise EarlyHelpRefused("This record is already closed")
        headlines = set(family.plan_outcomes.values_list("headline", flat=True))
        for headline in sorted(headlines):
            if headline not in outcomes:
                raise EarlyHelpRefused(
                    f"Say whether significant and sustained progress was made on {Outcome(headline).label.lower()}",
                    f"outcome_{headline}",
                )
            achieved, evidence = outcomes[headline]
            if achieved and not evidence.strip():
                raise EarlyHelpRefused(
                    f"Enter the evidence of progress on {Outcome(headline).label.lower()}", f"evidence_{headline}"
                )
        for headline in headlines:
            achieved, evidence = outcomes[headline]
            ClosureOutcome.objects.create(
                family=family, headline=headline, significant_progress=achieved, evidence=evidence.strip()
            )
        _close(family, by=by, reason=reason, note=note.strip(), moved_to_area=moved_to_area.strip(), request=request)
    return family


# --- The chronology by hand, partner forms --------------------------------------------------------


def add_significant_event(
    *,
    family: Family,
    by: User,
    occurred_on: dt.date,
    source_agency: str,
    summary: str,
    impact: str = "",
    member: FamilyMember | None = None,
    request: Any = None,
) -> ChronologyEntry:
    if occurred_on > _today():
        raise EarlyHelpRefused("The date of the event must be today or in the past", "occurred_on")
    if member is not None and member.family_id != family.pk:
        raise EarlyHelpRefused("Choose someone in this family", "member")
    with transaction.atomic():
        family = _locked(family)
        entry = add_entry(
            family,
            EntryKind.SIGNIFICANT_EVENT,
            summary.strip(),
            by=by,
            on=occurred_on,
            member=member,
            automatic=False,
            source_agency=source_agency.strip(),
            impact=impact.strip(),
        )
        audit(action=AuditAction.CREATE, actor=by, obj=entry, request=request)
        _touch(family)
    return entry


def attach_submission(*, family: Family, submission: Any, by: User, request: Any = None) -> ChronologyEntry:
    """A partner form (such as a request for Targeted Intervention Service support) about this family."""
    with transaction.atomic():
        family = _locked(family)
        if family.chronology.filter(kind=EntryKind.PARTNER_FORM, summary__startswith=submission.reference).exists():
            raise EarlyHelpRefused(f"{submission.reference} is already on this record", "reference")
        entry = add_entry(
            family,
            EntryKind.PARTNER_FORM,
            f"{submission.reference}: {submission.get_form_type_display()} from {submission.organisation.name}",
            by=by,
            on=timezone.localtime(submission.submitted_at).date(),
            source_agency=submission.organisation.name,
        )
        audit(
            action=AuditAction.CHANGE, actor=by, obj=family, request=request, detail=f"attached {submission.reference}"
        )
    return entry


# --- Record linkage -------------------------------------------------------------------------------


def tell_of_link(*, member_id: int, other: Any, by: Any) -> None:
    """The Supporting Families team confirmed that someone on this record is held by another agency too.

    The chronology notes it; the lead is told which agency only as far as consent allows: when the other
    record is an early help record, its family's consent must name the lead's agency. Otherwise the lead
    hears that another agency holds a record and that the Supporting Families team can put them in touch."""
    from .linkage_source import SOURCE_KEY, member_id_of

    member = (
        FamilyMember.objects.select_related("family__lead", "family__lead_organisation").filter(pk=member_id).first()
    )
    if member is None:
        return
    family = member.family
    agency = ""
    if other.source == SOURCE_KEY:
        other_member = (
            FamilyMember.objects.filter(pk=member_id_of(other.source_reference)).select_related("family").first()
        )
        if other_member is None or other_member.family_id == family.pk:
            return
        if other_member.family.consents.filter(
            withdrawn_on__isnull=True, agencies=family.lead_organisation_id
        ).exists():
            agency = other_member.family.lead_organisation.name
    elif (
        other.organisation_id
        and family.consents.filter(withdrawn_on__isnull=True, agencies=other.organisation_id).exists()
    ):
        agency = other.organisation.name
    add_entry(
        family,
        EntryKind.LINKAGE,
        f"The Supporting Families team found that {agency or 'another agency'} also holds a record of "
        f"{member.full_name}",
        by=by,
        member=member,
        source_agency="Supporting Families team",
    )
    queue_templated_email(
        to=family.lead.email,
        template="earlyhelp/email/another_agency",
        context={
            "family": family,
            "agency": agency,
            "inbox": _team_inbox(SUPPORTING_FAMILIES),
            "link": _link("earlyhelp:family", pk=family.pk),
        },
        purpose="earlyhelp.another_agency",
    )


def queue_possible_matches(*, member: FamilyMember, candidates: list, by: Any) -> int:
    """Matches the practitioner may not be shown go to the Supporting Families team's review queue."""
    from apps.linkage.models import PersonRecord
    from apps.linkage.services import queue_for_review

    from .linkage_source import SOURCE_KEY

    record = PersonRecord.objects.filter(source=SOURCE_KEY, source_reference=member.linkage_reference).first()
    if record is None:
        return 0
    queued = 0
    with transaction.atomic():
        for candidate in candidates:
            queued += queue_for_review(record=record, candidate=candidate, by=by) is not None
    return queued


# --- Break-glass, retention ------------------------------------------------------------------------


def break_glass(*, family: Family, user: User, reason: str, request: Any = None) -> BreakGlass:
    """Open a record outside the need-to-know rule for a few hours, with a reason that a manager reviews."""
    if len(reason.strip()) < 10:
        raise EarlyHelpRefused("Enter why you need to open this record (at least 10 characters)", "reason")
    hours = int(getattr(settings, "EARLY_HELP_BREAK_GLASS_HOURS", 4))
    with transaction.atomic():
        access = BreakGlass.objects.create(
            family=family, user=user, reason=reason.strip(), expires_at=timezone.now() + dt.timedelta(hours=hours)
        )
        audit(
            action=AuditAction.VIEW,
            actor=user,
            obj=family,
            request=request,
            reason=reason.strip(),
            detail="break-glass: opened outside the need-to-know rule",
        )
        inbox = _team_inbox(SUPPORTING_FAMILIES)
        if inbox:
            queue_templated_email(
                to=inbox,
                template="earlyhelp/email/break_glass",
                context={"family": family, "access": access, "link": _link("earlyhelp:break_glass_list")},
                purpose="earlyhelp.break_glass",
            )
    forget_relations(user)
    return access


def review_break_glass(*, access: BreakGlass, by: User, note: str = "", request: Any = None) -> BreakGlass:
    with transaction.atomic():
        access = BreakGlass.objects.select_for_update().get(pk=access.pk)
        if access.reviewed_at is not None:
            raise EarlyHelpRefused("This access has already been reviewed")
        access.reviewed_by = by
        access.reviewed_at = timezone.now()
        access.review_note = note.strip()
        access.save(update_fields=["reviewed_by", "reviewed_at", "review_note"])
        audit(action=AuditAction.CHANGE, actor=by, obj=access, request=request, detail="reviewed")
    return access


def retention_days() -> int:
    return int(getattr(settings, "EARLY_HELP_RETENTION_DAYS", 365 * 6))


def flag_for_retention_review(*, today: dt.date | None = None) -> int:
    """Flag closed records past their retention period for a person to decide on. Nothing is deleted here."""
    today = today or _today()
    cutoff = today - dt.timedelta(days=retention_days())
    due = Family.objects.filter(status=FamilyStatus.CLOSED, closed_on__lte=cutoff, retention_flagged_on__isnull=True)
    due = due.exclude(keep_until__gt=today)
    flagged = 0
    for family in due:
        with transaction.atomic():
            if Family.objects.filter(pk=family.pk, retention_flagged_on__isnull=True).update(
                retention_flagged_on=today
            ):
                audit(action=AuditAction.CHANGE, obj=family, detail="flagged for retention review")
                flagged += 1
    return flagged


def decide_retention(*, family: Family, decision: str, reason: str, by: User, request: Any = None) -> RetentionDecision:
    """A person decides: keep the closed record for another period, or erase it (the audit trail remains)."""
    if decision not in RetentionDecision.Decision.values:
        raise EarlyHelpRefused("Choose whether to keep or erase the record", "decision")
    if not reason.strip():
        raise EarlyHelpRefused("Enter the reason for your decision", "reason")
    with transaction.atomic():
        family = _locked(family)
        if family.retention_flagged_on is None:
            raise EarlyHelpRefused("This record is not waiting for a retention decision")
        row = RetentionDecision.objects.create(
            family_reference=family.reference, family=family, decision=decision, reason=reason.strip(), decided_by=by
        )
        if decision == RetentionDecision.Decision.KEEP:
            Family.objects.filter(pk=family.pk).update(
                retention_flagged_on=None, keep_until=_today() + dt.timedelta(days=365)
            )
            audit(action=AuditAction.CHANGE, actor=by, obj=family, request=request, reason=reason, detail="kept")
        else:
            stored = list(MeetingDocument.objects.filter(meeting__family=family).values_list("stored_name", flat=True))
            _forget_linkage_records(family)
            audit(action=AuditAction.DELETE, actor=by, obj=family, request=request, reason=reason, detail="erased")
            family.delete()
            transaction.on_commit(lambda: [documents.remove(name) for name in stored])
    return row


def _forget_linkage_records(family: Family) -> None:
    from apps.linkage.models import PersonRecord

    from .linkage_source import SOURCE_KEY

    references = [member.linkage_reference for member in family.members.all()]
    PersonRecord.objects.filter(source=SOURCE_KEY, source_reference__in=references).delete()
