"""The early help record's pages. Thin: each reads through a selector (which checks and audits) and writes
through a service; a refusal a person can cause is shown in the GOV.UK error summary with what they typed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from apps.accounts.permissions import can, require
from apps.audit.models import AuditAction
from apps.audit.services import record
from apps.core.csv_export import csv_writer

from . import charts, pdfs, selectors, services
from .forms import (
    ActionForm,
    AttachForm,
    BreakGlassForm,
    CentralFilterForm,
    ChronologyFilterForm,
    CloseForm,
    ConsentForm,
    EventForm,
    MeetingForm,
    MemberForm,
    NeedsForm,
    OutcomeForm,
    RelationshipForm,
    RetentionForm,
    ReviewAccessForm,
    ReviewForm,
    SameAsForm,
    SignsOfSafetyForm,
    StartForm,
    StepDownForm,
    StepUpForm,
    StoryForm,
    TeamMemberForm,
    TransferLeadForm,
    WithdrawConsentForm,
)
from .models import (
    BreakGlass,
    Consent,
    Family,
    FamilyStatus,
    MeetingDocument,
    PlanAction,
    PlanOutcome,
    Relationship,
    TeamMember,
)

GET_POST = require_http_methods(["GET", "HEAD", "POST"])


def _refused(form, refused: services.EarlyHelpRefused) -> None:
    field = refused.field if refused.field in form.fields else None
    form.add_error(field, refused.message)


def _form_page(request, family, form, *, heading, button, caption="", explanation="", status=None, **extra):
    context = {
        "family": family,
        "form": form,
        "heading": heading,
        "button": button,
        "caption": caption or (f"{family.reference}: {family.name}" if family else ""),
        "explanation": explanation,
        "multipart": any(getattr(field.widget, "needs_multipart_form", False) for field in form.fields.values()),
        **extra,
    }
    return render(request, "earlyhelp/form_page.html", context, status=status or (400 if form.errors else 200))


def _family_action(
    request,
    pk,
    *,
    permission: str,
    why: str,
    make_form: Callable[[Any, Any], Any],
    act: Callable[[Family, Any], Any],
    heading: str,
    button: str,
    explanation: str = "",
    done: Callable[[Family, Any], Any] | None = None,
):
    """The shape of most pages here: check, show a form, call one service, back to the record."""
    family = selectors.family_for(request.user, pk, permission=permission, request=request, why=why)
    data = (request.POST, request.FILES) if request.method == "POST" else (None, None)
    form = make_form(family, data)
    if request.method == "POST" and form.is_valid():
        try:
            result = act(family, form)
        except services.EarlyHelpRefused as refused:
            _refused(form, refused)
        else:
            return done(family, result) if done else redirect("earlyhelp:family", pk=family.pk)
    return _form_page(request, family, form, heading=heading, button=button, explanation=explanation)


# --- Your families, starting a record ----------------------------------------------------------------


@never_cache
@require_safe
@login_required
def index(request):
    require(request.user, "earlyhelp.see_my_families")
    families = selectors.families_of(request.user)
    record(
        action=AuditAction.SEARCH,
        actor=request.user,
        request=request,
        object_type="earlyhelp.family",
        detail="your families",
    )
    return render(
        request,
        "earlyhelp/index.html",
        {
            "families": families,
            "today": timezone.localdate(),
            "central": can(request.user, "earlyhelp.see_central_record"),
        },
    )


@GET_POST
@login_required
def start(request):
    require(request.user, "earlyhelp.start_assessment")
    form = StartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        consent = None
        if data["has_consent"] == "yes":
            consent = services.ConsentGiven(
                given_by_name=data["given_by_name"],
                given_by=data["given_by"],
                given_on=data["given_on"],
                method=data["method"],
                agencies=list(data["agencies"]),
            )
        try:
            family = services.start_assessment(
                by=request.user,
                family_name=data["family_name"],
                postcode=data["postcode"],
                consent=consent,
                no_consent_basis=data["no_consent_basis"] if consent is None else "",
                request=request,
            )
        except services.EarlyHelpRefused as refused:
            _refused(form, refused)
        else:
            return redirect("earlyhelp:assessment", pk=family.pk)
    return _form_page(
        request,
        None,
        form,
        heading="Start an Early Help Assessment",
        button="Start the assessment",
        caption="Early help",
        explanation="You will be the family's lead practitioner. You can pass the lead to another member of the "
        "team around the family later.",
    )


# --- The record --------------------------------------------------------------------------------------


@never_cache
@GET_POST
@login_required
def family(request, pk: int):
    try:
        found = selectors.family_for(request.user, pk, request=request)
    except PermissionDenied:
        return _break_glass_offer(request, pk)
    context = {
        "family": found,
        "assessment": selectors.current_assessment(found),
        "members": found.members.all(),
        "relationships": found.relationships.select_related("person", "relative"),
        "consents": found.consents.prefetch_related("agencies").select_related("recorded_by"),
        "team": selectors.team_of(found),
        "outcomes": found.plan_outcomes.prefetch_related("actions"),
        "reviews": found.reviews.select_related("recorded_by")[:5],
        "meetings": found.meetings.prefetch_related("documents")[:5],
        "steps": found.step_changes.select_related("made_by", "submission"),
        "closure_outcomes": found.closure_outcomes.all(),
        "break_glass": selectors.break_glass_of(found),
        "today": timezone.localdate(),
        "may": {
            "lead": can(request.user, "earlyhelp.lead_family", found),
            "contribute": can(request.user, "earlyhelp.contribute", found),
            "step_down": can(request.user, "earlyhelp.step_down", found),
            "who_looked": can(request.user, "earlyhelp.see_who_looked", found),
            "subject_access": can(request.user, "earlyhelp.subject_access", found),
            "retention": can(request.user, "earlyhelp.decide_retention", found),
        },
    }
    return render(request, "earlyhelp/family.html", context)


def _break_glass_offer(request, pk):
    """Someone outside the need-to-know rule: refused, unless their role may break the glass with a reason."""
    found = Family.objects.filter(pk=pk).first() if str(pk).isdigit() else None
    if found is None:
        raise Http404("No such record")
    if not can(request.user, "earlyhelp.break_glass"):
        raise PermissionDenied("earlyhelp.view_family")
    form = BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.break_glass(family=found, user=request.user, reason=form.cleaned_data["reason"], request=request)
        except services.EarlyHelpRefused as refused:
            _refused(form, refused)
        else:
            return redirect("earlyhelp:family", pk=found.pk)
    record(
        action=AuditAction.PERMISSION_DENIED,
        actor=request.user,
        obj=found,
        request=request,
        detail="break-glass offered",
    )
    return render(request, "earlyhelp/break_glass.html", {"form": form, "reference": found.reference}, status=403)


# --- People ------------------------------------------------------------------------------------------


@GET_POST
@login_required
def add_member(request, pk: int):
    def act(family, form):
        return services.add_member(family=family, by=request.user, data=form.member_data(), request=request)

    return _family_action(
        request,
        pk,
        permission="earlyhelp.contribute",
        why="add a person",
        make_form=lambda family, data: MemberForm(data[0]),
        act=act,
        heading="Add a person to the family",
        button="Add the person",
        done=lambda family, member: _after_adding(request, family, member),
    )


def _after_adding(request, family, member):
    """Still the POST that added the person: matches the practitioner may not see go to the Supporting Families
    team's queue now, so that opening the matches page only reads."""
    offered, elsewhere = selectors.possible_matches(request.user, member)
    if elsewhere:
        services.queue_possible_matches(member=member, candidates=elsewhere, by=request.user)
    if not offered:
        return redirect("earlyhelp:family", pk=family.pk)
    return redirect("earlyhelp:matches", pk=family.pk, member=member.pk)


@never_cache
@require_safe
@login_required
def member(request, pk: int, member: int):
    found = selectors.family_for(request.user, pk, request=request, why="person")
    person = selectors.member_for(request.user, found, member, request=request)
    return render(
        request,
        "earlyhelp/member.html",
        {
            "family": found,
            "member": person,
            "addresses": person.previous_addresses.all(),
            "relationships": Relationship.objects.filter(Q(person=person) | Q(relative=person)).select_related(
                "person", "relative"
            ),
            "may_contribute": can(request.user, "earlyhelp.contribute", found),
            "may_export": can(request.user, "earlyhelp.subject_access", found),
        },
    )


@GET_POST
@login_required
def change_member(request, pk: int, member: int):
    found = selectors.family_for(
        request.user, pk, permission="earlyhelp.contribute", request=request, why="change a person"
    )
    person = selectors.member_for(request.user, found, member, request=request, why="change")
    form = MemberForm(request.POST or None, initial=MemberForm.initial_from(person))
    if request.method == "POST" and form.is_valid():
        try:
            services.change_member(member=person, by=request.user, data=form.member_data(), request=request)
        except services.EarlyHelpRefused as refused:
            _refused(form, refused)
        else:
            return redirect("earlyhelp:member", pk=found.pk, member=person.pk)
    return _form_page(request, found, form, heading=f"Change {person.full_name}'s details", button="Save the changes")


@never_cache
@GET_POST
@login_required
def matches(request, pk: int, member: int):
    """After a person is added: "this may be someone already on a record you work on". Matches the practitioner
    may not see are never shown; they go to the Supporting Families team's queue."""
    found = selectors.family_for(request.user, pk, permission="earlyhelp.contribute", request=request, why="matches")
    person = selectors.member_for(request.user, found, member, request=request, why="matches")
    offered, _ = selectors.possible_matches(request.user, person)  # the rest were queued when the person was added
    if not offered:
        return redirect("earlyhelp:family", pk=found.pk)
    form = SameAsForm(request.POST or None, offered=offered)
    if request.method == "POST" and form.is_valid():
        choice = form.cleaned_data["choice"]
        other = next((match.member for match in offered if str(match.member.pk) == choice), None)
        services.confirm_same_person(member=person, other=other, by=request.user, request=request)
        return redirect("earlyhelp:family", pk=found.pk)
    return render(
        request,
        "earlyhelp/matches.html",
        {"family": found, "member": person, "offered": offered, "form": form},
        status=400 if form.errors else 200,
    )


@GET_POST
@login_required
def add_relationship(request, pk: int):
    def act(family, form):
        return services.add_relationship(family=family, by=request.user, request=request, **form.cleaned_data)

    return _family_action(
        request,
        pk,
        permission="earlyhelp.contribute",
        why="add a relationship",
        make_form=lambda family, data: RelationshipForm(data[0], family=family),
        act=act,
        heading="Add a relationship",
        button="Add the relationship",
    )


# --- Consent -----------------------------------------------------------------------------------------


@GET_POST
@login_required
def add_consent(request, pk: int):
    def act(family, form):
        data = form.cleaned_data
        consent = services.ConsentGiven(
            data["given_by_name"], data["given_by"], data["given_on"], data["method"], list(data["agencies"])
        )
        return services.give_consent(family=family, consent=consent, by=request.user, request=request)

    return _family_action(
        request,
        pk,
        permission="earlyhelp.lead_family",
        why="record consent",
        make_form=lambda family, data: ConsentForm(data[0]),
        act=act,
        heading="Record consent",
        button="Record consent",
    )


@GET_POST
@login_required
def withdraw_consent(request, pk: int, consent: int):
    def act(family, form):
        row = get_object_or_404(Consent, pk=consent, family=family)
        return services.withdraw_consent(
            consent=row,
            by=request.user,
            withdrawn_on=form.cleaned_data["withdrawn_on"],
            note=form.cleaned_data["note"],
            request=request,
        )

    return _family_action(
        request,
        pk,
        permission="earlyhelp.lead_family",
        why="withdraw consent",
        make_form=lambda family, data: WithdrawConsentForm(data[0]),
        act=act,
        heading="Record that consent was withdrawn",
        button="Record the withdrawal",
        explanation="From then on the record is shared with nobody new. If no consent is left, the assessment "
        "closes with the reason “Family withdrew consent”.",
    )


# --- The assessment ----------------------------------------------------------------------------------

SECTIONS = {
    "story": ("The family's story and the voice of the child", StoryForm),
    "signs-of-safety": ("What is working well, what we are worried about, what needs to happen", SignsOfSafetyForm),
    "needs": ("The family's needs", NeedsForm),
}


@never_cache
@require_safe
@login_required
def assessment(request, pk: int):
    found = selectors.family_for(request.user, pk, request=request, why="assessment")
    current = selectors.current_assessment(found)
    if current is None:
        raise Http404("No assessment")
    record(action=AuditAction.VIEW, actor=request.user, obj=current, request=request)
    done = {
        "story": bool(current.family_story and current.voice_of_child),
        "signs-of-safety": bool(
            current.working_well and current.worries and current.needs_to_happen and current.scaling is not None
        ),
        "needs": bool(current.needs),
        "people": found.members.filter(role__in=("child", "young_person")).exists(),
    }
    return render(
        request,
        "earlyhelp/assessment.html",
        {
            "family": found,
            "assessment": current,
            "sections": SECTIONS,
            "done": done,
            "members": found.members.all(),
            "may_edit": can(request.user, "earlyhelp.contribute", found) and not current.is_completed,
            "may_sign": can(request.user, "earlyhelp.lead_family", found) and not current.is_completed,
            "missing": services.missing_from(current) if not current.is_completed else [],
        },
    )


@GET_POST
@login_required
def assessment_section(request, pk: int, section: str):
    if section not in SECTIONS:
        raise Http404("No such section")
    heading, form_class = SECTIONS[section]
    found = selectors.family_for(request.user, pk, permission="earlyhelp.contribute", request=request, why=section)
    current = selectors.current_assessment(found)
    if current is None or current.is_completed:
        raise Http404("No assessment in progress")
    initial = (
        NeedsForm.initial_from(current)
        if form_class is NeedsForm
        else {name: getattr(current, name) for name in form_class.base_fields}
    )
    form = form_class(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {"needs": form.needs_data()} if form_class is NeedsForm else dict(form.cleaned_data)
        services.save_assessment(assessment=current, by=request.user, data=data, request=request)
        if "save_and_return" in request.POST:
            return redirect("earlyhelp:family", pk=found.pk)
        return redirect("earlyhelp:assessment", pk=found.pk)
    return render(
        request,
        "earlyhelp/assessment_section.html",
        {"family": found, "form": form, "heading": heading},
        status=400 if form.errors else 200,
    )


@GET_POST
@login_required
def sign_off(request, pk: int):
    found = selectors.family_for(request.user, pk, permission="earlyhelp.lead_family", request=request, why="sign off")
    current = selectors.current_assessment(found)
    if current is None or current.is_completed:
        return redirect("earlyhelp:assessment", pk=found.pk)
    problems = []
    if request.method == "POST":
        try:
            services.complete_assessment(assessment=current, by=request.user, request=request)
        except services.EarlyHelpRefused as refused:
            problems = [refused.message]
        else:
            return redirect("earlyhelp:family", pk=found.pk)
    missing = services.missing_from(current)
    return render(
        request,
        "earlyhelp/sign_off.html",
        {"family": found, "assessment": current, "missing": missing, "problems": problems},
        status=400 if problems else 200,
    )


@require_safe
@login_required
def assessment_pdf(request, pk: int):
    found = selectors.family_for(request.user, pk, request=request, why="assessment PDF")
    current = selectors.current_assessment(found)
    if current is None:
        raise Http404("No assessment")
    record(action=AuditAction.EXPORT, actor=request.user, obj=current, request=request, detail="PDF")
    return _pdf(pdfs.assessment_pdf(found, current), f"early-help-assessment-{found.reference}.pdf")


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


# --- The team around the family ----------------------------------------------------------------------


@GET_POST
@login_required
def add_team_member(request, pk: int):
    def act(family, form):
        return services.add_team_member(
            family=family, user=form.user, role=form.cleaned_data["role"], by=request.user, request=request
        )

    return _family_action(
        request,
        pk,
        permission="earlyhelp.lead_family",
        why="add a team member",
        make_form=lambda family, data: TeamMemberForm(data[0]),
        act=act,
        heading="Add someone to the team around the family",
        button="Add them to the team",
        explanation="They will see the whole record from now on, and we will e-mail them to say so.",
    )


@GET_POST
@login_required
def remove_team_member(request, pk: int, member: int):
    found = selectors.family_for(
        request.user, pk, permission="earlyhelp.lead_family", request=request, why="remove a team member"
    )
    leaving = get_object_or_404(TeamMember.objects.select_related("user", "organisation"), pk=member, family=found)
    problems = []
    if request.method == "POST":
        try:
            services.remove_team_member(member=leaving, by=request.user, request=request)
        except services.EarlyHelpRefused as refused:
            problems = [refused.message]
        else:
            return redirect("earlyhelp:family", pk=found.pk)
    return render(
        request,
        "earlyhelp/confirm.html",
        {
            "family": found,
            "heading": f"Remove {leaving.user.get_full_name() or leaving.user.email} from the team?",
            "explanation": "They will no longer see the record. The record keeps that they were a member.",
            "button": "Remove them from the team",
            "problems": problems,
        },
        status=400 if problems else 200,
    )


@GET_POST
@login_required
def transfer_lead(request, pk: int):
    return _family_action(
        request,
        pk,
        permission="earlyhelp.lead_family",
        why="pass the lead",
        make_form=lambda family, data: TransferLeadForm(data[0], family=family),
        act=lambda family, form: services.transfer_lead(
            family=family, to=form.cleaned_data["member"], by=request.user, request=request
        ),
        heading="Pass the lead to someone else",
        button="Pass the lead",
        explanation="Only a current member of the team around the family can become the lead practitioner.",
    )


# --- Meetings ----------------------------------------------------------------------------------------


@GET_POST
@login_required
def add_meeting(request, pk: int):
    def act(family, form):
        data = form.cleaned_data
        return services.record_meeting(
            family=family,
            by=request.user,
            held_on=data["held_on"],
            attended=data["attended"],
            discussed=data["discussed"],
            decisions=data["decisions"],
            files=data["documents"],
            request=request,
        )

    return _family_action(
        request,
        pk,
        permission="earlyhelp.contribute",
        why="record a meeting",
        make_form=lambda family, data: MeetingForm(*data),
        act=act,
        heading="Record a team around the family meeting",
        button="Save the meeting",
    )


@require_safe
@login_required
def meeting_document(request, pk: int, document: int):
    found = selectors.family_for(request.user, pk, request=request, why="meeting document", audited=False)
    doc = get_object_or_404(MeetingDocument, pk=document, meeting__family=found)
    record(action=AuditAction.VIEW, actor=request.user, obj=doc, request=request)
    path = services.documents.path_of(doc.stored_name)
    if not path.exists():
        raise Http404("The file is missing")
    response = FileResponse(
        path.open("rb"), as_attachment=True, filename=f"meeting-{doc.meeting_id}-{doc.pk}.{doc.kind}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


# --- The plan and reviews ----------------------------------------------------------------------------


@GET_POST
@login_required
def add_outcome(request, pk: int):
    return _family_action(
        request,
        pk,
        permission="earlyhelp.contribute",
        why="add a plan outcome",
        make_form=lambda family, data: OutcomeForm(data[0]),
        act=lambda family, form: services.add_plan_outcome(
            family=family, by=request.user, request=request, **form.cleaned_data
        ),
        heading="Add an outcome to the plan",
        button="Add the outcome",
        done=lambda family, outcome: redirect("earlyhelp:add_action", pk=family.pk, outcome=outcome.pk),
    )


@GET_POST
@login_required
def add_action(request, pk: int, outcome: int):
    def act(family, form):
        target = get_object_or_404(PlanOutcome, pk=outcome, family=family)
        return services.add_action(outcome=target, by=request.user, request=request, **form.cleaned_data)

    return _family_action(
        request,
        pk,
        permission="earlyhelp.contribute",
        why="add an action",
        make_form=lambda family, data: ActionForm(data[0]),
        act=act,
        heading="Add an action",
        button="Add the action",
        explanation="A SMART action: specific, with someone to do it and a date it is due.",
    )


@GET_POST
@login_required
def add_review(request, pk: int):
    def make(family, data):
        return ReviewForm(data[0], actions=PlanAction.objects.filter(outcome__family=family).order_by("due_on", "pk"))

    def act(family, form):
        data = form.cleaned_data
        return services.record_review(
            family=family,
            by=request.user,
            held_on=data["held_on"],
            scaling=data["scaling"],
            progress=form.progress(),
            what_changes=data["what_changes"],
            next_review_on=data["next_review_on"],
            request=request,
        )

    return _family_action(
        request,
        pk,
        permission="earlyhelp.contribute",
        why="review the plan",
        make_form=make,
        act=act,
        heading="Review the plan",
        button="Save the review",
    )


# --- Step up, step down, closure ---------------------------------------------------------------------


@GET_POST
@login_required
def step_up(request, pk: int):
    def act(family, form):
        data = form.cleaned_data
        submission = None
        if data["reference"]:
            submission = _submission_sent_by(request.user, data["reference"])
        return services.step_up(
            family=family,
            to_service=data["to_service"],
            reason=data["reason"],
            by=request.user,
            submission=submission,
            request=request,
        )

    return _family_action(
        request,
        pk,
        permission="earlyhelp.lead_family",
        why="step up",
        make_form=lambda family, data: StepUpForm(data[0]),
        act=act,
        heading="Step the family up",
        button="Step up",
        explanation="The chronology and the plan go with the request, so it is clear what support has already "
        "been in place and when.",
    )


def _submission_sent_by(user, reference):
    """A partner form the user may see (they sent it, or are in the team it went to)."""
    from apps.referrals.models import Submission
    from apps.referrals.references import BadReference, parse_reference

    try:
        reference = parse_reference(reference)
    except BadReference:
        raise services.EarlyHelpRefused("Check the reference number", "reference") from None
    submission = Submission.objects.select_related("organisation", "team").filter(reference=reference).first()
    if submission is None or not (
        can(user, "referrals.view_submission", submission) or can(user, "referrals.triage", submission)
    ):
        raise services.EarlyHelpRefused("No partner form you can see has this reference", "reference")
    return submission


@GET_POST
@login_required
def step_down(request, pk: int):
    return _family_action(
        request,
        pk,
        permission="earlyhelp.step_down",
        why="step down",
        make_form=lambda family, data: StepDownForm(data[0]),
        act=lambda family, form: services.step_down(
            family=family, by=request.user, request=request, **form.cleaned_data
        ),
        heading="Step the family down to early help",
        button="Step down",
        explanation="The record reopens with its history.",
    )


@GET_POST
@login_required
def close(request, pk: int):
    def make(family, data):
        headlines = sorted(set(family.plan_outcomes.values_list("headline", flat=True)))
        return CloseForm(data[0], headlines=headlines)

    def act(family, form):
        data = form.cleaned_data
        return services.close(
            family=family,
            by=request.user,
            reason=data["reason"],
            note=data["note"],
            moved_to_area=data["moved_to_area"],
            outcomes=form.outcomes(),
            request=request,
        )

    return _family_action(
        request,
        pk,
        permission="earlyhelp.lead_family",
        why="close",
        make_form=make,
        act=act,
        heading="Close the record",
        button="Close the record",
    )


@GET_POST
@login_required
def attach_submission(request, pk: int):
    return _family_action(
        request,
        pk,
        permission="earlyhelp.contribute",
        why="attach a partner form",
        make_form=lambda family, data: AttachForm(data[0]),
        act=lambda family, form: services.attach_submission(
            family=family,
            submission=_submission_sent_by(request.user, form.cleaned_data["reference"]),
            by=request.user,
            request=request,
        ),
        heading="Add a partner form to the record",
        button="Add it to the record",
        explanation="A partner form you sent, or one your team received, about this family.",
    )


# --- The chronology ----------------------------------------------------------------------------------


@never_cache
@require_safe
@login_required
def chronology(request, pk: int):
    found = selectors.family_for(request.user, pk, request=request, why="chronology", audited=False)
    form = ChronologyFilterForm(request.GET or None, family=found)
    filters = selectors.ChronologyFilters()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = selectors.ChronologyFilters(
            kind=data["kind"] or "",
            member=data["member"].pk if data["member"] else None,
            date_from=data["date_from"],
            date_to=data["date_to"],
        )
    lines = selectors.chronology_of(request.user, found, filters, request=request)
    query = request.GET.urlencode()
    return render(
        request,
        "earlyhelp/chronology.html",
        {
            "family": found,
            "filters": form,
            "page": Paginator(lines, 100).get_page(request.GET.get("page")),
            "count": len(lines),
            "query": query,
            "may_contribute": can(request.user, "earlyhelp.contribute", found),
        },
        status=400 if form.errors else 200,
    )


@require_safe
@login_required
def chronology_pdf(request, pk: int):
    found = selectors.family_for(request.user, pk, request=request, why="chronology PDF", audited=False)
    lines = selectors.chronology_of(request.user, found, request=request)
    record(action=AuditAction.EXPORT, actor=request.user, obj=found, request=request, detail="chronology PDF")
    return _pdf(pdfs.chronology_pdf(found, lines), f"chronology-{found.reference}.pdf")


@GET_POST
@login_required
def add_event(request, pk: int):
    def act(family, form):
        return services.add_significant_event(family=family, by=request.user, request=request, **form.cleaned_data)

    return _family_action(
        request,
        pk,
        permission="earlyhelp.contribute",
        why="add a significant event",
        make_form=lambda family, data: EventForm(data[0], family=family),
        act=act,
        heading="Add a significant event",
        button="Add it to the chronology",
        done=lambda family, entry: redirect("earlyhelp:chronology", pk=family.pk),
    )


# --- Who has looked, subject access, retention ------------------------------------------------------


@never_cache
@require_safe
@login_required
def who_looked(request, pk: int):
    found = selectors.family_for(
        request.user, pk, permission="earlyhelp.see_who_looked", request=request, why="who has looked"
    )
    return render(request, "earlyhelp/who_looked.html", {"family": found, "entries": selectors.who_looked(found)})


@require_safe
@login_required
def subject_access(request, pk: int, member: int, fmt: str):
    if fmt not in ("json", "pdf"):
        raise Http404("Subject access exports are JSON or PDF")
    found = selectors.family_for(
        request.user, pk, permission="earlyhelp.subject_access", request=request, why="subject access"
    )
    person = selectors.member_for(request.user, found, member, request=request, why="subject access")
    data = selectors.subject_access(person)
    record(action=AuditAction.EXPORT, actor=request.user, obj=person, request=request, detail=f"subject access ({fmt})")
    if fmt == "json":
        response = JsonResponse(data, json_dumps_params={"indent": 2, "ensure_ascii": False})
        response["Content-Disposition"] = f'attachment; filename="subject-access-{found.reference}-{person.pk}.json"'
        response["Cache-Control"] = "no-store"
        return response
    return _pdf(pdfs.subject_access_pdf(data), f"subject-access-{found.reference}-{person.pk}.pdf")


@GET_POST
@login_required
def decide_retention(request, pk: int):
    found = selectors.family_for(
        request.user, pk, permission="earlyhelp.decide_retention", request=request, why="retention"
    )
    form = RetentionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.decide_retention(family=found, by=request.user, request=request, **form.cleaned_data)
        except services.EarlyHelpRefused as refused:
            _refused(form, refused)
        else:
            return redirect("earlyhelp:retention_list")
    return _form_page(
        request, found, form, heading="Decide what happens to this closed record", button="Save the decision"
    )


# --- The Supporting Families team ------------------------------------------------------------------


@never_cache
@require_safe
@login_required
def central_record(request):
    require(request.user, "earlyhelp.see_central_record")
    form = CentralFilterForm(request.GET or None)
    filters = selectors.CentralFilters()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = selectors.CentralFilters(
            q=data["q"].strip(),
            school=data["school"].strip(),
            postcode=data["postcode"].strip(),
            status=data["status"] or "open",
            organisation=data["organisation"].pk if data["organisation"] else None,
            review=data["review"] or "",
        )
    families = selectors.central_record(filters)
    page = Paginator(families, 50).get_page(request.GET.get("page"))
    record(
        action=AuditAction.SEARCH,
        actor=request.user,
        request=request,
        object_type="earlyhelp.family",
        detail="central record: " + ", ".join(family.reference for family in page.object_list)[:900],
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "earlyhelp/central_record.html",
        {"filters": form, "page": page, "today": timezone.localdate(), "query": query.urlencode()},
        status=400 if form.errors else 200,
    )


@never_cache
@require_safe
@login_required
def known_elsewhere(request):
    require(request.user, "earlyhelp.see_central_record")
    found = selectors.known_to_other_agencies()
    record(
        action=AuditAction.SEARCH,
        actor=request.user,
        request=request,
        object_type="earlyhelp.family",
        detail="known to other agencies",
    )
    return render(request, "earlyhelp/known_elsewhere.html", {"found": found})


@never_cache
@require_safe
@login_required
def figures(request):
    require(request.user, "earlyhelp.see_central_record")
    numbers = selectors.figures()
    return render(request, "earlyhelp/figures.html", {"figures": numbers, "charts": charts.charts_of(numbers)})


@require_safe
@login_required
def figures_csv(request):
    require(request.user, "earlyhelp.see_central_record")
    numbers = selectors.figures()
    rows = [["Figure", "Month", "Agency", "Count"]]
    rows += [["Assessments opened", month, agency, count] for month, agency, count in numbers["opened"]]
    rows += [["Records closed", month, agency, count] for month, agency, count in numbers["closed"]]
    rows += [["Closure reason: " + label, "", "", count] for label, count in numbers["closure_reasons"]]
    rows += [
        [f"Outcome achieved: {label}", "", "", f"{achieved} of {total}"]
        for label, achieved, total in numbers["outcomes"]
    ]
    rows += [["Reviews overdue", "", "", numbers["overdue"]]]
    record(
        action=AuditAction.EXPORT, actor=request.user, request=request, object_type="earlyhelp.figures", detail="CSV"
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="early-help-figures.csv"'
    csv_writer(response).writerows(rows)
    return response


@never_cache
@require_safe
@login_required
def overdue(request):
    require(request.user, "earlyhelp.see_central_record")
    families = selectors.overdue_reviews()
    record(
        action=AuditAction.SEARCH,
        actor=request.user,
        request=request,
        object_type="earlyhelp.family",
        detail="overdue reviews",
    )
    return render(request, "earlyhelp/overdue.html", {"families": families, "today": timezone.localdate()})


@never_cache
@require_safe
@login_required
def break_glass_list(request):
    require(request.user, "earlyhelp.review_break_glass")
    accesses = BreakGlass.objects.select_related("family", "user", "user__organisation", "reviewed_by")
    show = request.GET.get("show", "waiting")
    if show != "all":
        accesses = accesses.filter(reviewed_at__isnull=True)
    return render(
        request,
        "earlyhelp/break_glass_list.html",
        {"page": Paginator(accesses, 50).get_page(request.GET.get("page")), "show": show},
    )


@GET_POST
@login_required
def review_break_glass(request, pk: int):
    require(request.user, "earlyhelp.review_break_glass")
    access = get_object_or_404(BreakGlass.objects.select_related("family", "user"), pk=pk)
    form = ReviewAccessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_break_glass(access=access, by=request.user, note=form.cleaned_data["note"], request=request)
        except services.EarlyHelpRefused as refused:
            _refused(form, refused)
        else:
            return redirect("earlyhelp:break_glass_list")
    return _form_page(
        request,
        None,
        form,
        heading="Review break-glass access",
        button="Mark as reviewed",
        caption=f"{access.family.reference}",
        explanation=f"{access.user.get_full_name() or access.user.email} opened the record giving the reason: "
        f"“{access.reason}”",
    )


@never_cache
@require_safe
@login_required
def retention_list(request):
    require(request.user, "earlyhelp.decide_retention")
    families = Family.objects.filter(retention_flagged_on__isnull=False, status=FamilyStatus.CLOSED).select_related(
        "lead_organisation"
    )
    return render(request, "earlyhelp/retention_list.html", {"families": families})
