"""The practice tools' pages. The PAMIC tool is two steps (the answers, then professional judgement) and a
result. Between the steps the answers wait in the practitioner's session, never in the database: without a
record nothing is ever saved; on a record the result is saved only when the practitioner confirms the judgement."""

from __future__ import annotations

import secrets

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from apps.accounts.permissions import can, require
from apps.audit.models import AuditAction
from apps.audit.services import record
from apps.earlyhelp import selectors as earlyhelp
from apps.earlyhelp.models import FamilyMember

from . import pamic, pdfs, selectors, services
from .forms import AssessForm, JudgementForm, VersionForm
from .models import PamicVersion

GET_POST = require_http_methods(["GET", "HEAD", "POST"])
SESSION_KEY = "pamic_in_progress"
KEEP_AT_MOST = 5  # answers of unfinished uses kept in one session


def _posted(request):
    return request.POST if request.method == "POST" else None


def _refused(form, refused: services.PracticeToolRefused) -> None:
    form.add_error(refused.field if refused.field in form.fields else None, refused.message)


@never_cache
@require_safe
@login_required
def start(request):
    require(request.user, "practicetools.use_pamic")
    version = services.current_version()
    # The families the practitioner leads or is in the team around (so may contribute to while open).
    families = [family for family in earlyhelp.families_of(request.user) if family.is_open]
    if families:
        record(
            action=AuditAction.SEARCH,
            actor=request.user,
            request=request,
            object_type="earlyhelp.family",
            detail="PAMIC tool: your families",
        )
    return render(
        request,
        "practicetools/start.html",
        {
            "version": version,
            "families": families,
            "may_configure": can(request.user, "practicetools.configure_pamic"),
        },
    )


def _keep(request, state: dict) -> str:
    kept = request.session.get(SESSION_KEY, {})
    while len(kept) >= KEEP_AT_MOST:
        kept.pop(next(iter(kept)))
    token = secrets.token_urlsafe(12)
    kept[token] = state
    request.session[SESSION_KEY] = kept
    return token


def _kept(request, token: str) -> dict:
    state = request.session.get(SESSION_KEY, {}).get(token)
    if state is None:
        raise Http404("These answers are no longer here: start the tool again")
    return state


def _forget(request, token: str) -> None:
    kept = request.session.get(SESSION_KEY, {})
    kept.pop(token, None)
    request.session[SESSION_KEY] = kept


def _state(form: AssessForm, version: PamicVersion, family=None) -> dict:
    data = form.cleaned_data
    return {
        "family": family.pk if family else None,
        "version": version.number,
        "adult": data["adult"].pk if family else data["adult"],
        "child": data["child"].pk if family else data["child"],
        "mental_health": data["mental_health"],
        "likelihood": int(data["likelihood"]),
        "severity": int(data["severity"]),
        "factors": form.chosen_factors(),
        "notes": data["protective_notes"],
    }


def _assess_page(request, form, *, version, family=None, status=None):
    return render(
        request,
        "practicetools/assess.html",
        {"form": form, "version": version, "family": family},
        status=status or (400 if form.errors else 200),
    )


@GET_POST
@login_required
def assess(request):
    """The tool without a record: nothing is saved."""
    require(request.user, "practicetools.use_pamic")
    version = services.current_version()
    form = AssessForm(_posted(request), config=version.config)
    if request.method == "POST" and form.is_valid():
        return redirect("practicetools:pamic_judgement", token=_keep(request, _state(form, version)))
    return _assess_page(request, form, version=version)


@never_cache
@require_safe
@login_required
def family(request, pk: int):
    found = earlyhelp.family_for(request.user, pk, request=request, why="PAMIC results")
    return render(
        request,
        "practicetools/family.html",
        {
            "family": found,
            "results": selectors.results_of(found),
            "may_use": can(request.user, "earlyhelp.contribute", found),
        },
    )


@GET_POST
@login_required
def family_assess(request, pk: int):
    found = earlyhelp.family_for(request.user, pk, permission="earlyhelp.contribute", request=request, why="PAMIC tool")
    version = services.current_version()
    adults, children = selectors.adults_of(found), selectors.children_of(found)
    if not adults.exists() or not children.exists():
        return render(request, "practicetools/needs_people.html", {"family": found})
    form = AssessForm(_posted(request), config=version.config, adults=adults, children=children)
    if request.method == "POST" and form.is_valid():
        return redirect("practicetools:pamic_judgement", token=_keep(request, _state(form, version, found)))
    return _assess_page(request, form, version=version, family=found)


@GET_POST
@login_required
def judgement(request, token: str):
    require(request.user, "practicetools.use_pamic")
    state = _kept(request, token)
    found = None
    if state["family"] is not None:
        found = earlyhelp.family_for(
            request.user, state["family"], permission="earlyhelp.contribute", request=request, why="PAMIC tool"
        )
    version = selectors.version_numbered(state["version"])
    config = version.config
    on_grid = pamic.weigh(config, likelihood=state["likelihood"], severity=state["severity"])
    form = JudgementForm(_posted(request), config=config, grid_level=on_grid.grid_level)
    people = _people(found, state)
    if request.method == "POST" and form.is_valid():
        outcome = pamic.weigh(
            config,
            likelihood=state["likelihood"],
            severity=state["severity"],
            final_level=int(form.cleaned_data["final_level"]),
            reason=form.cleaned_data["reason"],
        )
        if found is None:
            _forget(request, token)
            return render(
                request,
                "practicetools/result.html",
                {
                    "saved": False,
                    "outcome": outcome,
                    "version": version,
                    "adult_name": people[0],
                    "child_name": people[1],
                    "mental_health": state["mental_health"],
                    "reasoning": pamic.reasoning(outcome, factors=state["factors"], notes=state["notes"]),
                    "matrix": pamic.matrix(config, outcome),
                },
            )
        try:
            result = services.save_result(
                family=found,
                adult=found.members.get(pk=state["adult"]),
                child=found.members.get(pk=state["child"]),
                version=version,
                mental_health=state["mental_health"],
                outcome=outcome,
                factors=state["factors"],
                notes=state["notes"],
                by=request.user,
                request=request,
            )
        except services.PracticeToolRefused as refused:
            _refused(form, refused)
        except FamilyMember.DoesNotExist:
            form.add_error(None, "Someone this was about is no longer on the record: start the tool again")
        else:
            _forget(request, token)
            return redirect("practicetools:pamic_result", pk=result.pk)
    return render(
        request,
        "practicetools/judgement.html",
        {
            "form": form,
            "family": found,
            "version": version,
            "outcome": on_grid,
            "adult_name": people[0],
            "child_name": people[1],
            "matrix": pamic.matrix(config, on_grid),
            "factors": state["factors"],
        },
        status=400 if form.errors else 200,
    )


def _people(found, state) -> tuple[str, str]:
    if found is None:
        return state["adult"], state["child"]
    members = {member.pk: member.full_name for member in found.members.filter(pk__in=(state["adult"], state["child"]))}
    gone = "someone no longer on the record"
    return members.get(state["adult"], gone), members.get(state["child"], gone)


@never_cache
@require_safe
@login_required
def result(request, pk: int):
    found = selectors.result_for(request.user, pk, request=request)
    outcome = found.outcome
    return render(
        request,
        "practicetools/result.html",
        {
            "saved": True,
            "result": found,
            "family": found.family,
            "outcome": outcome,
            "version": found.version,
            "adult_name": found.adult.full_name,
            "child_name": found.child.full_name,
            "mental_health": found.mental_health,
            "reasoning": found.reasoning,
            "matrix": pamic.matrix(found.version.config, outcome),
        },
    )


@never_cache
@require_safe
@login_required
def result_pdf(request, pk: int):
    found = selectors.result_for(request.user, pk, request=request, why="PAMIC result PDF")
    record(action=AuditAction.EXPORT, actor=request.user, obj=found, request=request, detail="PDF")
    response = HttpResponse(pdfs.result_pdf(found), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="pamic-{found.family.reference}-{found.pk}.pdf"'
    return response


# --- The business unit's configuration ----------------------------------------------------------------------


@require_safe
@login_required
def versions(request):
    require(request.user, "practicetools.configure_pamic")
    services.current_version()
    return render(request, "practicetools/versions.html", {"versions": selectors.versions()})


@require_safe
@login_required
def version(request, number: int):
    require(request.user, "practicetools.use_pamic")
    services.current_version()
    found = selectors.version_numbered(number)
    return render(
        request,
        "practicetools/version.html",
        {
            "version": found,
            "config": found.config,
            "matrix": pamic.matrix(found.config),
            "responses": pamic.RESPONSES,
            "may_configure": can(request.user, "practicetools.configure_pamic"),
        },
    )


@GET_POST
@login_required
def new_version(request):
    require(request.user, "practicetools.configure_pamic")
    current = services.current_version()
    form = VersionForm(_posted(request), config=current.config)
    if request.method == "POST" and form.is_valid():
        try:
            made = services.new_version(
                config=form.new_config(),
                change_note=form.cleaned_data["change_note"],
                by=request.user,
                request=request,
            )
        except services.PracticeToolRefused as refused:
            _refused(form, refused)
        else:
            return redirect("practicetools:pamic_version", number=made.number)
    return render(
        request,
        "practicetools/version_form.html",
        {"form": form, "current": current},
        status=400 if form.errors else 200,
    )
