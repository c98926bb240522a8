"""Every change to partner forms: drafts, submissions, triage, routing and the API's tokens.

Each function validates, writes in one transaction, writes its audit entry and queues its
e-mail through the outbox in that same transaction. A submission is one transaction: the
record, its reference, the receipt and the team's notice, and the audit entry commit together
or not at all.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms as django_forms
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import Organisation, Role, RoleGrant, Team
from apps.audit.models import AuditAction
from apps.audit.services import record
from apps.core.dates import format_datetime, to_london
from apps.notifications.services import queue_templated_email

from . import storage
from .api_answers import check_body
from .models import (
    ApiToken,
    Attachment,
    AttachmentKind,
    Draft,
    FormType,
    HandlingCode,
    IdempotencyKey,
    InformationRequest,
    IntelligenceGrade,
    InternalNote,
    ReferenceSequence,
    RoutingRule,
    SourceGrade,
    Status,
    StatusChange,
    Submission,
)
from .questions import definition_of
from .questions.base import FormDefinition
from .references import make_reference
from .uploads import CheckedUpload

# --- Errors a person can cause ------------------------------------------------------------------


class FormNotAccepted(Exception):
    """Answers that do not pass the form's checks: {step: {field: [messages]}} (field "" for the step)."""

    def __init__(self, errors: dict[str, dict[str, list[str]]]) -> None:
        super().__init__("The answers are not complete")
        self.errors = errors

    def flat(self) -> dict[str, list[str]]:
        return {
            f"{step}.{name}" if name else step: messages
            for step, fields in self.errors.items()
            for name, messages in fields.items()
        }


class NoReceivingTeam(Exception):
    """No routing rule sends this form anywhere yet."""

    message = (
        "This form cannot be sent at the moment because no team has been set up to receive it. "
        "Your answers are saved. Contact the partnership business unit, or call 101"
    )


class TriageRefused(Exception):
    """A triage action that does not fit where the item stands; `field` names the form field."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class AlreadyAnswered(TriageRefused):
    """The question was answered before (by someone else, or by this request sent twice)."""


class IdempotencyConflict(Exception):
    """The same Idempotency-Key came with a different request body."""


# --- Answers ------------------------------------------------------------------------------------


def validate_answers(
    definition: FormDefinition, answers: dict[str, Any], *, organisation: Organisation | None, keep_files: bool
) -> dict[str, dict[str, Any]]:
    """Every step's answers checked by that step's form, as JSON; FormNotAccepted lists what is wrong.

    `keep_files` carries attachment ids through (a draft's own uploads); answers from the API carry none.
    """
    if not isinstance(answers, dict):
        raise FormNotAccepted({"": {"": ["Answers must be an object with one entry for each step"]}})
    errors: dict[str, dict[str, list[str]]] = {}
    cleaned: dict[str, dict[str, Any]] = {}
    for step in definition.steps:
        given = answers.get(step.slug) or {}
        if not isinstance(given, dict):
            errors[step.slug] = {"": ["Answers for this step must be an object"]}
            continue
        form = step.form(step.form.data_from(given), organisation=organisation, other_steps=cleaned)
        if not form.is_valid():
            errors[step.slug] = {name or "": [str(m) for m in messages] for name, messages in form.errors.items()}
            continue
        cleaned[step.slug] = form.answers()
        if keep_files:
            for name, field in step.form.base_fields.items():
                if isinstance(field, django_forms.FileField) and given.get(name):
                    cleaned[step.slug][name] = str(given[name])
    if errors:
        raise FormNotAccepted(errors)
    return cleaned


def route(definition: FormDefinition, answers: dict, follows: Submission | None = None) -> Team:
    """The receiving team: a follow-up goes where its original is; otherwise the most specific rule wins."""
    if follows is not None:
        return follows.team
    values = definition.routing_answers(answers)
    plain = None
    for rule in RoutingRule.objects.filter(form_type=definition.form_type).select_related("team"):
        if rule.answer_key and values.get(rule.answer_key) == rule.answer_value:
            return rule.team
        if not rule.answer_key:
            plain = rule.team
    if plain is None:
        raise NoReceivingTeam(NoReceivingTeam.message)
    return plain


def allocate_reference(prefix: str, year: int) -> str:
    """The next number for the prefix and year, inside the caller's transaction.

    The UPDATE locks the counter's row until the submission commits, so concurrent submissions
    queue for it on PostgreSQL (and SQLite takes its write lock at the start of the transaction):
    no two get the same number, and a rolled-back submission gives its number back.
    """
    quote = connection.ops.quote_name
    table, last_number = quote(ReferenceSequence._meta.db_table), quote("last_number")
    # One round trip where the ORM needs three (read, UPDATE, read back): the counter is on every submission's path.
    sql = (
        f"UPDATE {table} SET {last_number} = {last_number} + 1"  # noqa: S608 - the hub's own names; values bound
        f" WHERE {quote('prefix')} = %s AND {quote('year')} = %s RETURNING {last_number}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [prefix, year])
        row = cursor.fetchone()
    if row is None:  # the prefix's first submission of the year
        ReferenceSequence.objects.get_or_create(prefix=prefix, year=year)
        return allocate_reference(prefix, year)
    return make_reference(prefix, year, row[0])


def _absolute(path: str) -> str:
    return f"{settings.HUB_BASE_URL}{path}"


def submit(
    *,
    definition: FormDefinition,
    answers: dict[str, Any],
    organisation: Organisation,
    receipt_email: str,
    submitter: Any = None,
    token: ApiToken | None = None,
    draft: Draft | None = None,
    request: Any = None,
    then: Callable[[Submission], object] | None = None,
) -> Submission:
    """Send a form: checked answers in, a routed submission with its reference out, in one transaction.
    `then(submission)` runs inside that transaction (the API keeps its answer to an Idempotency-Key)."""
    cleaned = validate_answers(definition, answers, organisation=organisation, keep_files=draft is not None)
    with transaction.atomic():
        follows = None
        if definition.follows is not None:
            follows = Submission.objects.select_related("team").get(
                reference=cleaned["original"]["reference"], form_type=definition.follows, organisation=organisation
            )
        team = route(definition, cleaned, follows)
        now = timezone.now()
        submission = Submission.objects.create(
            reference=allocate_reference(definition.prefix, to_london(now).year),
            form_type=definition.form_type,
            submitted_by=submitter,
            submitted_through=token,
            organisation=organisation,
            receipt_email=receipt_email,
            follows=follows,
            answers=cleaned,
            urgency=definition.urgency(cleaned),
            team=team,
            submitted_at=now,
            declared_at=now,
        )
        if draft is not None:
            Attachment.objects.filter(draft=draft).update(submission=submission, draft=None)
        StatusChange.objects.create(
            submission=submission, to_status=Status.NEW, to_team=team, changed_by=submitter, changed_at=now
        )
        _queue_receipt(submission, definition)
        _queue_team_notice(submission, team, template="referrals/email/team_notice")
        record(
            action=AuditAction.CREATE,
            actor=submitter,
            actor_label=token.audit_label() if token else "",
            obj=submission,
            detail=f"routed to {team.slug}; urgency {submission.urgency}",
            request=request,
        )
        if then is not None:
            then(submission)
    return submission


def _where_to_read(submission: Submission) -> dict[str, str]:
    """Where the sender reads the submission: its page in the hub, or, for a partner system's token
    (whose contact has no hub page to open), the API's address of the submission."""
    if submission.submitted_through_id is not None:
        return {
            "api_link": _absolute(reverse("referrals_api:submission", kwargs={"reference": submission.reference})),
            "link": "",
        }
    return {"api_link": "", "link": _absolute(submission.get_absolute_url())}


def _queue_receipt(submission: Submission, definition: FormDefinition) -> None:
    queue_templated_email(
        to=submission.receipt_email,
        template="referrals/email/receipt",
        context={
            "reference": submission.reference,
            "form_title": submission.get_form_type_display(),
            "form_noun": definition_of(submission.form_type).noun,
            "receiver": definition.receiver,
            "submitted_at": format_datetime(submission.submitted_at),
            "follows": submission.follows.reference if submission.follows_id else "",
            **_where_to_read(submission),
        },
        purpose="referrals.receipt",
    )


def _queue_team_notice(submission: Submission, team: Team, *, template: str, passed_from: Team | None = None) -> None:
    if not team.inbox_email:
        return
    queue_templated_email(
        to=team.inbox_email,
        template=template,
        context={
            "reference": submission.reference,
            "form_title": submission.get_form_type_display(),
            "form_noun": definition_of(submission.form_type).noun,
            "urgency": submission.get_urgency_display(),
            "team": team.name,
            "passed_from": passed_from.name if passed_from else "",
            "submitted_at": format_datetime(submission.submitted_at),
            "link": _absolute(submission.get_item_url()),
        },
        purpose="referrals.team_notice",
    )


# --- Drafts: save and come back later -------------------------------------------------------------


def start_draft(*, definition: FormDefinition, owner: Any, answers: dict | None = None, request: Any = None) -> Draft:
    with transaction.atomic():
        draft = Draft.objects.create(owner=owner, form_type=definition.form_type, answers=answers or {})
        record(action=AuditAction.CREATE, actor=owner, obj=draft, request=request)
    return draft


def save_step(
    *, draft: Draft, step: str, answers: dict[str, Any], uploads: dict[str, CheckedUpload] | None = None, by: Any
) -> Draft:
    """Keep a step's checked answers (and any file it carried), replacing an earlier file of the same question."""
    written: list[str] = []
    try:
        with transaction.atomic():
            draft = Draft.objects.select_for_update().get(pk=draft.pk)
            step_answers = dict(answers)
            previous = draft.answers.get(step, {})
            for name, upload in (uploads or {}).items():
                old = Attachment.objects.filter(draft=draft, step=step, field=name)
                for attachment in old:
                    transaction.on_commit(lambda stored=attachment.stored_name: storage.remove(stored))
                old.delete()
                attachment = _store(draft=draft, step=step, field=name, upload=upload, by=by)
                written.append(attachment.stored_name)
                step_answers[name] = str(attachment.pk)
            for name, value in previous.items():
                if name not in step_answers and Attachment.objects.filter(pk=value, draft=draft).exists():
                    step_answers[name] = value  # no new file chosen: the one uploaded before stays
            draft.answers = {**draft.answers, step: step_answers}
            draft.unchecked.pop(step, None)
            draft.save(update_fields=["answers", "unchecked", "updated_at"])
    except BaseException:
        for stored in written:
            storage.remove(stored)
        raise
    return draft


def _store(*, draft: Draft, step: str, field: str, upload: CheckedUpload, by: Any) -> Attachment:
    kind = AttachmentKind.PHOTO if field == "photo" else AttachmentKind.DOCUMENT
    attachment = Attachment(
        draft=draft,
        kind=kind,
        step=step,
        field=field,
        original_name=upload.original_name,
        content_type=upload.content_type,
        size=len(upload.content),
        sha256=upload.sha256,
        uploaded_by=by,
    )
    attachment.stored_name = f"{attachment.pk}.{upload.extension}"
    storage.write(attachment.stored_name, upload.content)
    attachment.save(force_insert=True)
    return attachment


def keep_unchecked(*, draft: Draft, step: str, data: dict[str, Any]) -> Draft:
    """'Save and come back later' on a page that does not pass its checks yet: keep exactly what was typed."""
    with transaction.atomic():
        draft = Draft.objects.select_for_update().get(pk=draft.pk)
        draft.unchecked = {**draft.unchecked, step: data}
        draft.save(update_fields=["unchecked", "updated_at"])
    return draft


def discard_draft(*, draft: Draft, by: Any, request: Any = None) -> None:
    with transaction.atomic():
        for attachment in Attachment.objects.filter(draft=draft):
            transaction.on_commit(lambda stored=attachment.stored_name: storage.remove(stored))
        Attachment.objects.filter(draft=draft).delete()
        record(action=AuditAction.DELETE, actor=by, obj=draft, request=request)
        draft.delete()


def submit_draft(*, draft: Draft, by: Any, request: Any = None) -> Submission:
    """Send a finished draft. Sending twice (a double click) gives the first submission back."""
    definition = definition_of(draft.form_type)
    with transaction.atomic():
        draft = Draft.objects.select_for_update().get(pk=draft.pk)
        if draft.submission_id is not None:
            return draft.submission
        submission = submit(
            definition=definition,
            answers=draft.answers,
            organisation=by.organisation,
            receipt_email=by.email,
            submitter=by,
            draft=draft,
            request=request,
        )
        # The answers now live on the submission; the draft only remembers where they went.
        draft.submission = submission
        draft.answers, draft.unchecked = {}, {}
        draft.save(update_fields=["submission", "answers", "unchecked", "updated_at"])
    return submission


def forget_stale_drafts(*, older_than_days: int = 28) -> int:
    """Drafts nobody has touched for four weeks go, with their files; submitted ones go after the same time."""
    cutoff = timezone.now() - dt.timedelta(days=older_than_days)
    gone = 0
    for draft in Draft.objects.filter(updated_at__lt=cutoff).only("pk", "owner_id", "form_type"):
        with transaction.atomic():
            for attachment in Attachment.objects.filter(draft=draft):
                transaction.on_commit(lambda stored=attachment.stored_name: storage.remove(stored))
            Attachment.objects.filter(draft=draft).delete()
            draft.delete()
        gone += 1
    return gone


# --- Triage ----------------------------------------------------------------------------------------


def _lock(submission: Submission) -> Submission:
    return Submission.objects.select_for_update().select_related("team").get(pk=submission.pk)


def _change(submission: Submission, to_status: str, by: Any, *, reason: str = "", to_team: Team | None = None) -> None:
    StatusChange.objects.create(
        submission=submission,
        from_status=submission.status,
        to_status=to_status,
        from_team=submission.team,
        to_team=to_team or submission.team,
        reason=reason,
        changed_by=by,
    )
    submission.status = to_status


def _is_team_member(user: Any, team: Team) -> bool:
    return RoleGrant.objects.filter(user=user, role=Role.TEAM_MEMBER, team=team, user__status="active").exists()


def claim(*, submission: Submission, by: Any, request: Any = None) -> Submission:
    with transaction.atomic():
        submission = _lock(submission)
        if submission.status not in (
            Status.NEW,
            Status.PASSED_ON,
            Status.IN_PROGRESS,
            Status.MORE_INFORMATION_REQUESTED,
        ):
            raise TriageRefused("This item is finished. Change its status to work on it again")
        submission.assigned_to = by
        if submission.status in (Status.NEW, Status.PASSED_ON):
            _change(submission, Status.IN_PROGRESS, by)
        submission.save()
        record(action=AuditAction.CHANGE, actor=by, obj=submission, detail="claimed", request=request)
    return submission


def assign(*, submission: Submission, to: Any, by: Any, request: Any = None) -> Submission:
    with transaction.atomic():
        submission = _lock(submission)
        if not _is_team_member(to, submission.team):
            raise TriageRefused(f"Choose a member of the {submission.team.name}", field="assignee")
        submission.assigned_to = to
        if submission.status in (Status.NEW, Status.PASSED_ON):
            _change(submission, Status.IN_PROGRESS, by)
        submission.save()
        record(action=AuditAction.CHANGE, actor=by, obj=submission, detail=f"assigned to {to.email}", request=request)
    return submission


SETTABLE = (Status.IN_PROGRESS, Status.ACTIONED, Status.CLOSED, Status.DECLINED, Status.PASSED_ON)
TELL_THE_SUBMITTER = (Status.ACTIONED, Status.CLOSED, Status.DECLINED, Status.PASSED_ON)


def change_status(
    *, submission: Submission, status: str, by: Any, reason: str = "", team: Team | None = None, request: Any = None
) -> Submission:
    reason = (reason or "").strip()
    if status not in SETTABLE:
        raise TriageRefused("Choose a status from the list", field="status")
    if status == Status.DECLINED and not reason:
        raise TriageRefused("Enter the reason for declining", field="reason")
    with transaction.atomic():
        submission = _lock(submission)
        passed_from = None
        if status == Status.PASSED_ON:
            if team is None or not team.is_receiving_team:
                raise TriageRefused("Choose the team to pass this to", field="team")
            if team.pk == submission.team_id:
                raise TriageRefused("Choose a different team: this item is already with this team", field="team")
            passed_from = submission.team
            _change(submission, status, by, reason=reason, to_team=team)
            submission.team = team
            submission.assigned_to = None
        elif status == submission.status:
            raise TriageRefused(f"This item is already {submission.get_status_display().lower()}", field="status")
        else:
            _change(submission, status, by, reason=reason)
        submission.decline_reason = reason if status == Status.DECLINED else ""
        submission.save()
        if passed_from is not None:
            _queue_team_notice(
                submission, submission.team, template="referrals/email/passed_on", passed_from=passed_from
            )
        if status in TELL_THE_SUBMITTER:
            queue_templated_email(
                to=submission.receipt_email,
                template="referrals/email/status_changed",
                context={
                    "reference": submission.reference,
                    "form_title": submission.get_form_type_display(),
                    "form_noun": definition_of(submission.form_type).noun,
                    "status": submission.get_status_display(),
                    **_where_to_read(submission),
                },
                purpose="referrals.status",
            )
        record(
            action=AuditAction.CHANGE,
            actor=by,
            obj=submission,
            detail=f"status {status}" + (f"; passed to {team.slug}" if passed_from else ""),
            reason=reason,
            request=request,
        )
    return submission


def add_note(*, submission: Submission, text: str, by: Any, request: Any = None) -> InternalNote:
    text = (text or "").strip()
    if not text:
        raise TriageRefused("Enter the note", field="text")
    with transaction.atomic():
        note = InternalNote.objects.create(submission=submission, team=submission.team, text=text, written_by=by)
        record(action=AuditAction.CHANGE, actor=by, obj=submission, detail="internal note added", request=request)
    return note


def ask_for_information(*, submission: Submission, question: str, by: Any, request: Any = None) -> InformationRequest:
    """The submitter is e-mailed a link (never the question: it may name the person) and answers in the hub;
    a partner system's contact is told the question's id, to read and answer it through the API."""
    question = (question or "").strip()
    if not question:
        raise TriageRefused("Enter what you need to know", field="question")
    with transaction.atomic():
        submission = _lock(submission)
        if submission.status not in (
            Status.NEW,
            Status.PASSED_ON,
            Status.IN_PROGRESS,
            Status.MORE_INFORMATION_REQUESTED,
        ):
            raise TriageRefused("This item is finished. Change its status before asking for more", field="question")
        asked = InformationRequest.objects.create(submission=submission, question=question, asked_by=by)
        if submission.status != Status.MORE_INFORMATION_REQUESTED:
            _change(submission, Status.MORE_INFORMATION_REQUESTED, by)
        if submission.assigned_to_id is None:
            submission.assigned_to = by
        submission.save()
        queue_templated_email(
            to=submission.receipt_email,
            template="referrals/email/information_requested",
            context={
                "reference": submission.reference,
                "form_title": submission.get_form_type_display(),
                "form_noun": definition_of(submission.form_type).noun,
                "team": submission.team.name,
                "question_id": asked.pk,
                "answer_link": _absolute(
                    reverse("referrals_api:answer_question", kwargs={"reference": submission.reference, "id": asked.pk})
                )
                if submission.submitted_through_id is not None
                else "",
                **_where_to_read(submission),
            },
            purpose="referrals.information_requested",
        )
        record(
            action=AuditAction.CHANGE, actor=by, obj=submission, detail="more information requested", request=request
        )
    return asked


def answer_information_request(
    *, information_request: InformationRequest, answer: str, by: Any, request: Any = None, actor_label: str = ""
) -> InformationRequest:
    """The sender's answer (`by` is None when a partner system answers: `actor_label` names its token)."""
    answer = (answer or "").strip()
    if not answer:
        raise TriageRefused("Enter your answer", field="answer")
    with transaction.atomic():
        asked = InformationRequest.objects.select_for_update().get(pk=information_request.pk)
        if asked.is_answered:
            raise AlreadyAnswered("This question has already been answered", field="answer")
        asked.answer, asked.answered_by, asked.answered_at = answer, by, timezone.now()
        asked.save()
        submission = _lock(asked.submission)
        still_open = submission.information_requests.filter(answered_at__isnull=True).exists()
        if submission.status == Status.MORE_INFORMATION_REQUESTED and not still_open:
            _change(submission, Status.IN_PROGRESS, by)
            submission.save()
        to = submission.assigned_to.email if submission.assigned_to_id else submission.team.inbox_email
        if to:
            queue_templated_email(
                to=to,
                template="referrals/email/information_answered",
                context={
                    "reference": submission.reference,
                    "form_title": submission.get_form_type_display(),
                    "form_noun": definition_of(submission.form_type).noun,
                    "link": _absolute(submission.get_item_url()),
                },
                purpose="referrals.information_answered",
            )
        record(
            action=AuditAction.CHANGE,
            actor=by,
            actor_label=actor_label,
            obj=submission,
            detail=f"more information given (question {asked.pk})",
            request=request,
        )
    return asked


def grade_intelligence(
    *,
    submission: Submission,
    source: str,
    intelligence: str,
    handling: str,
    conditions: str = "",
    by: Any,
    request: Any = None,
) -> Submission:
    """Record the 3x5x2 grading of community partner intelligence."""
    conditions = (conditions or "").strip()
    if submission.form_type != FormType.COMMUNITY_INTELLIGENCE:
        raise TriageRefused("Only community partner intelligence is graded")
    if source not in SourceGrade.values:
        raise TriageRefused("Select the source evaluation", field="source")
    if intelligence not in IntelligenceGrade.values:
        raise TriageRefused("Select the intelligence assessment", field="intelligence")
    if handling not in HandlingCode.values:
        raise TriageRefused("Select the handling code", field="handling")
    if handling == HandlingCode.SHARING_WITH_CONDITIONS and not conditions:
        raise TriageRefused("Enter the conditions for sharing", field="conditions")
    with transaction.atomic():
        submission = _lock(submission)
        submission.source_grade, submission.intelligence_grade, submission.handling_code = (
            source,
            intelligence,
            handling,
        )
        submission.handling_conditions = conditions if handling == HandlingCode.SHARING_WITH_CONDITIONS else ""
        submission.graded_by, submission.graded_at = by, timezone.now()
        submission.save()
        record(
            action=AuditAction.CHANGE, actor=by, obj=submission, detail=f"graded {submission.grading}", request=request
        )
    return submission


# --- Routing rules ------------------------------------------------------------------------------------


def save_routing_rule(
    *,
    form_type: str,
    team: Team,
    by: Any,
    answer_key: str = "",
    answer_value: str = "",
    rule: RoutingRule | None = None,
    request: Any = None,
) -> RoutingRule:
    definition = definition_of(form_type)
    if answer_key:
        questions = definition.routing_questions()
        if answer_key not in questions:
            raise TriageRefused("Choose an answer this form asks for", field="answer")
        if answer_value not in dict(questions[answer_key][1]):
            raise TriageRefused("Choose one of the answers listed", field="answer")
    else:
        answer_value = ""
    if not team.is_receiving_team:
        raise TriageRefused("Choose a receiving team", field="team")
    clash = RoutingRule.objects.filter(form_type=form_type, answer_key=answer_key, answer_value=answer_value)
    if rule is not None:
        clash = clash.exclude(pk=rule.pk)
    if clash.exists():
        raise TriageRefused(
            "A rule for this form and answer already exists: change that rule instead", field="form_type"
        )
    with transaction.atomic():
        created = rule is None
        rule = rule or RoutingRule()
        rule.form_type, rule.answer_key, rule.answer_value, rule.team = form_type, answer_key, answer_value, team
        rule.save()
        record(action=AuditAction.CREATE if created else AuditAction.CHANGE, actor=by, obj=rule, request=request)
    return rule


def delete_routing_rule(*, rule: RoutingRule, by: Any, request: Any = None) -> None:
    with transaction.atomic():
        record(action=AuditAction.DELETE, actor=by, obj=rule, request=request)
        rule.delete()


# --- API tokens and the API -----------------------------------------------------------------------------

TOKEN_PREFIX = "hub_"  # noqa: S105 - the visible start of every token, not a secret


def hash_secret(secret: str) -> str:
    # Tokens are 256 random bits, so one fast hash is enough (unlike passwords, they cannot be guessed).
    return hashlib.sha256(secret.encode()).hexdigest()


def issue_api_token(
    *, organisation: Organisation, name: str, contact_email: str, by: Any, request: Any = None
) -> tuple[ApiToken, str]:
    """A new token; the secret is returned once, here, and only its hash is kept."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            organisation=organisation,
            name=name.strip(),
            contact_email=contact_email.strip(),
            prefix=secret[: len(TOKEN_PREFIX) + 8],
            secret_hash=hash_secret(secret),
            issued_by=by,
        )
        record(action=AuditAction.CREATE, actor=by, obj=token, request=request)
    return token, secret


def revoke_api_token(*, token: ApiToken, by: Any, request: Any = None) -> ApiToken:
    with transaction.atomic():
        updated = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now(), revoked_by=by
        )
        if updated:
            record(action=AuditAction.CHANGE, actor=by, obj=token, detail="revoked", request=request)
    token.refresh_from_db()
    return token


def token_for(secret: str) -> ApiToken | None:
    if not secret.startswith(TOKEN_PREFIX):
        return None
    token = ApiToken.objects.select_related("organisation").filter(secret_hash=hash_secret(secret)).first()
    if token is None or not token.is_active:
        return None
    return token


def touch_token(token: ApiToken) -> None:
    """Note when a token was last used, at most once a minute (a write per request would queue on the row)."""
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)


@dataclass(frozen=True)
class ApiOutcome:
    status: int
    body: dict
    replayed: bool = False


def fingerprint(body: Any) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, separators=(",", ":"), default=str).encode()).hexdigest()


def information_request_as_json(asked: InformationRequest) -> dict:
    return {
        "id": asked.pk,
        "question": asked.question,
        "asked_at": asked.asked_at.isoformat(),
        "answered": asked.is_answered,
        "answer": asked.answer if asked.is_answered else None,
        "answered_at": asked.answered_at.isoformat() if asked.answered_at else None,
    }


def submission_as_json(submission: Submission) -> dict:
    """What the API tells the organisation that sent it, with the team's questions to it (prefetch
    `information_requests` when listing many)."""
    return {
        "reference": submission.reference,
        "form_type": submission.form_type,
        "status": submission.status,
        "status_label": submission.get_status_display(),
        "urgency": submission.urgency,
        "receiving_team": submission.team.name,
        "follows": submission.follows.reference if submission.follows_id else None,
        "submitted_at": submission.submitted_at.isoformat(),
        "updated_at": submission.updated_at.isoformat(),
        "url": _absolute(submission.get_absolute_url()),
        "information_requests": [information_request_as_json(asked) for asked in submission.information_requests.all()],
    }


def submit_through_api(*, token: ApiToken, body: Any, idempotency_key: str = "", request: Any = None) -> ApiOutcome:
    """The API's submit: the same Idempotency-Key and body give the first answer again and create nothing."""
    digest = fingerprint(body)
    if idempotency_key:
        earlier = IdempotencyKey.objects.filter(organisation=token.organisation, key=idempotency_key).first()
        if earlier is not None:
            return _replay(earlier, digest)
    definition = check_body(body)
    answer: dict[str, dict] = {}

    def keep_the_answer(submission: Submission) -> None:
        # Made a moment ago, so nobody has asked the sender anything yet: no need to look.
        submission._prefetched_objects_cache = {"information_requests": InformationRequest.objects.none()}
        answer["payload"] = submission_as_json(submission)
        if idempotency_key:
            # In the submission's own transaction. A second request with this key sent meanwhile waits here
            # for this one to commit, then finds the key taken, gives up all it did and answers as this did.
            IdempotencyKey.objects.create(
                organisation=token.organisation,
                key=idempotency_key,
                request_hash=digest,
                submission=submission,
                response_status=201,
                response_body=answer["payload"],
            )

    try:
        submit(
            definition=definition,
            answers=body.get("answers"),
            organisation=token.organisation,
            receipt_email=token.contact_email,
            token=token,
            request=request,
            then=keep_the_answer,
        )
    except IntegrityError:
        earlier = IdempotencyKey.objects.filter(organisation=token.organisation, key=idempotency_key).first()
        if not idempotency_key or earlier is None:
            raise
        return _replay(earlier, digest)
    return ApiOutcome(201, answer["payload"])


def _replay(earlier: IdempotencyKey, digest: str) -> ApiOutcome:
    if earlier.request_hash != digest:
        raise IdempotencyConflict("This Idempotency-Key was used with a different request")
    return ApiOutcome(earlier.response_status or 201, earlier.response_body or {}, replayed=True)
