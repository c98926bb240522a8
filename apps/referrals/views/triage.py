"""The receiving teams' side: queues, items, and what a team does with them. Every item view is audited."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from apps.accounts.permissions import require

from .. import selectors, services
from ..forms import AskForm, AssignForm, GradeForm, NoteForm, QueueFilterForm, StatusForm
from ..models import FormType
from ..questions import definition_of
from .journey import sections_of

GET_POST = require_http_methods(["GET", "HEAD", "POST"])


@require_safe
@login_required
def queues(request):
    require(request.user, "referrals.see_queues")
    teams = list(selectors.teams_of(request.user).filter(is_receiving_team=True))
    if len(teams) == 1:
        return redirect("referrals:queue", slug=teams[0].slug)
    return render(request, "referrals/queues.html", {"teams": teams})


@never_cache
@require_safe
@login_required
def queue(request, slug: str):
    team = selectors.team_for(request.user, slug)
    form = QueueFilterForm(request.GET or None)
    items = selectors.queue(team, request.user, form.filters())
    page = Paginator(items, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "referrals/queue.html",
        {"team": team, "filters": form, "page": page, "now": timezone.now(), "query": query.urlencode()},
    )


def _item_page(request, team, submission, **extra):
    definition = definition_of(submission.form_type)
    context = {
        "team": team,
        "submission": submission,
        "definition": definition,
        "sections": sections_of(definition, submission.answers, attachments=submission.attachments.all()),
        "notes": submission.internal_notes.select_related("written_by"),
        "requests": submission.information_requests.select_related("asked_by", "answered_by"),
        "history": submission.status_changes.select_related("changed_by", "from_team", "to_team"),
        "follow_ups": submission.follow_ups.filter(team=team).order_by("submitted_at"),
        "note_form": extra.pop("note_form", None) or NoteForm(),
        "is_intelligence": submission.form_type == FormType.COMMUNITY_INTELLIGENCE,
        "likely_same": selectors.items_about_the_same_person(submission, team),
        "now": timezone.now(),
        **extra,
    }
    return render(request, "referrals/item.html", context, status=400 if context["note_form"].errors else 200)


@never_cache
@require_safe
@login_required
def item(request, slug: str, reference: str):
    team = selectors.team_for(request.user, slug)
    submission = selectors.item_for(request.user, team, reference, request=request)
    return _item_page(request, team, submission)


@require_POST
@login_required
def claim(request, slug: str, reference: str):
    team = selectors.team_for(request.user, slug)
    submission = selectors.item_for(request.user, team, reference, request=request, why="claim")
    try:
        services.claim(submission=submission, by=request.user, request=request)
    except services.TriageRefused as refused:
        return _item_page(request, team, submission, refusal=refused.message)
    return redirect("referrals:item", slug=team.slug, reference=submission.reference)


@require_POST
@login_required
def add_note(request, slug: str, reference: str):
    team = selectors.team_for(request.user, slug)
    submission = selectors.item_for(request.user, team, reference, request=request, why="note")
    form = NoteForm(request.POST)
    if form.is_valid():
        services.add_note(submission=submission, text=form.cleaned_data["text"], by=request.user, request=request)
        return redirect("referrals:item", slug=team.slug, reference=submission.reference)
    return _item_page(request, team, submission, note_form=form)


def _action(request, slug, reference, *, why, heading, make_form, act, explanation="", unavailable=None):
    """A triage action on its own page: the form, the service, back to the item. `unavailable(submission)`
    says why the action cannot be done to the item as it stands, and then the page offers no form."""
    team = selectors.team_for(request.user, slug)
    submission = selectors.item_for(request.user, team, reference, request=request, why=why)
    why_not = unavailable(submission) if unavailable else ""
    if why_not:
        return render(
            request,
            "referrals/triage_action.html",
            {
                "team": team,
                "submission": submission,
                "form": None,
                "heading": heading.format(reference=submission.reference),
                "explanation": why_not,
            },
        )
    form = make_form(request.POST if request.method == "POST" else None, submission)
    if request.method == "POST" and form.is_valid():
        try:
            act(submission, form.cleaned_data)
        except services.TriageRefused as refused:
            field = refused.field if refused.field in form.fields else None
            form.add_error(field, refused.message)
        else:
            if submission.team_id != team.pk or request.user not in selectors.members_of(submission.team):
                return redirect("referrals:queue", slug=team.slug)
            return redirect("referrals:item", slug=team.slug, reference=submission.reference)
    return render(
        request,
        "referrals/triage_action.html",
        {
            "team": team,
            "submission": submission,
            "form": form,
            "heading": heading.format(reference=submission.reference),
            "explanation": explanation,
        },
    )


@never_cache
@GET_POST
@login_required
def assign(request, slug: str, reference: str):
    return _action(
        request,
        slug,
        reference,
        why="assign",
        heading="Assign {reference}",
        make_form=lambda data, s: AssignForm(data, members=selectors.members_of(s.team)),
        act=lambda s, data: services.assign(submission=s, to=data["assignee"], by=request.user, request=request),
    )


@never_cache
@GET_POST
@login_required
def change_status(request, slug: str, reference: str):
    def act(s, data):
        moved = services.change_status(
            submission=s,
            status=data["status"],
            reason=data["reason"],
            team=data["team"],
            by=request.user,
            request=request,
        )
        s.team_id = moved.team_id

    return _action(
        request,
        slug,
        reference,
        why="change status",
        heading="Change the status of {reference}",
        make_form=lambda data, s: StatusForm(
            data, teams=selectors.receiving_teams().exclude(pk=s.team_id), current=s.status
        ),
        act=act,
    )


@never_cache
@GET_POST
@login_required
def ask(request, slug: str, reference: str):
    return _action(
        request,
        slug,
        reference,
        why="ask for information",
        heading="Ask the sender for more information",
        make_form=lambda data, s: AskForm(data),
        unavailable=lambda s: (
            ""
            if s.is_open
            else f"This item is {s.get_status_display().lower()}, so the sender cannot be asked for more. "
            "Change its status first if you need to work on it again."
        ),
        act=lambda s, data: services.ask_for_information(
            submission=s, question=data["question"], by=request.user, request=request
        ),
    )


@never_cache
@GET_POST
@login_required
def grade(request, slug: str, reference: str):
    def make_form(data, s):
        initial = {
            "source": s.source_grade,
            "intelligence": s.intelligence_grade,
            "handling": s.handling_code,
            "conditions": s.handling_conditions,
        }
        return GradeForm(data, initial=initial)

    return _action(
        request,
        slug,
        reference,
        why="grade",
        heading="Grade {reference} (3x5x2)",
        explanation="Grade the intelligence with the national 3x5x2 model: how reliable the source is, "
        "how the source knows it, and who it may be shared with.",
        make_form=make_form,
        act=lambda s, data: services.grade_intelligence(
            submission=s,
            source=data["source"],
            intelligence=data["intelligence"],
            handling=data["handling"],
            conditions=data["conditions"],
            by=request.user,
            request=request,
        ),
    )
