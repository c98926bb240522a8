"""The partner's side: the forms' start pages, one step a page, check your answers, confirmation, and
what they sent."""

from __future__ import annotations

from typing import Any

from django import forms as django_forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from apps.accounts.permissions import can, require
from apps.audit.models import AuditAction
from apps.audit.services import record
from apps.core.forms import DateField

from .. import selectors, services, storage
from ..forms import AnswerForm, ConfirmForm, DeclarationForm
from ..models import Attachment, Draft, InformationRequest
from ..questions import BY_SLUG, DEFINITIONS, definition_of
from ..questions.base import FormDefinition, Step, StepForm

GET_POST = require_http_methods(["GET", "HEAD", "POST"])


def _definition(slug: str) -> FormDefinition:
    definition = BY_SLUG.get(slug)
    if definition is None:
        raise Http404("No such form")
    return definition


def _organisation(user):
    return getattr(user, "organisation", None)


# --- The list of forms, and a partner's own -----------------------------------------------------------


@require_safe
def index(request):
    user = request.user
    signed_in = user.is_authenticated
    return render(
        request,
        "referrals/index.html",
        {
            "forms": [d for d in DEFINITIONS.values() if not d.is_follow_up],
            "follow_ups": [d for d in DEFINITIONS.values() if d.is_follow_up],
            "drafts": selectors.drafts_of(user)[:20] if signed_in else [],
            "submissions": selectors.submissions_of(user)[:10] if signed_in else [],
            "teams": selectors.teams_of(user) if signed_in else [],
            "may_route": can(user, "referrals.manage_routing"),
            "may_issue_tokens": can(user, "referrals.manage_api_tokens"),
        },
    )


@require_safe
@login_required
def your_submissions(request):
    require(request.user, "referrals.submit")
    page = Paginator(selectors.submissions_of(request.user), 25).get_page(request.GET.get("page"))
    return render(request, "referrals/your_submissions.html", {"page": page})


# --- Start, the steps, check your answers -------------------------------------------------------------


@require_safe
def start(request, form: str):
    definition = _definition(form)
    return render(
        request,
        "referrals/start.html",
        {
            "definition": definition,
            "reference": request.GET.get("reference", "")[:30],
            "may_start": can(request.user, "referrals.submit"),
            "login_url": f"{reverse('account_login')}?next={request.path}",
        },
    )


@require_POST
@login_required
def begin(request, form: str):
    require(request.user, "referrals.submit")
    definition = _definition(form)
    draft = services.start_draft(definition=definition, owner=request.user, request=request)
    reference = request.POST.get("reference", "").strip()[:30]
    if definition.is_follow_up and reference:
        services.keep_unchecked(draft=draft, step="original", data={"reference": reference})
    return redirect("referrals:step", draft=draft.pk, step=definition.steps[0].slug)


def initial_from(form_class: type[StepForm], data: dict[str, Any]) -> dict[str, Any]:
    """What a page showed when it was saved (or answered), to show it again without checking it yet."""
    initial: dict[str, Any] = {}
    for name, field in form_class.base_fields.items():
        if isinstance(field, DateField):
            initial[name] = [data.get(f"{name}_{i}", "") for i in range(3)]
        elif name in data:
            initial[name] = data[name]
    return initial


def _step_context(request, draft: Draft, definition: FormDefinition, step: Step, form, changing: bool) -> dict:
    slugs = [s.slug for s in definition.steps]
    index = slugs.index(step.slug)
    if changing:
        back = reverse("referrals:check_answers", kwargs={"draft": draft.pk})
    elif index == 0:
        back = reverse("referrals:start", kwargs={"form": definition.slug})
    else:
        back = reverse("referrals:step", kwargs={"draft": draft.pk, "step": slugs[index - 1]})
    files = {attachment.field: attachment for attachment in Attachment.objects.filter(draft=draft, step=step.slug)}
    return {
        "draft": draft,
        "definition": definition,
        "step": step,
        "form": form,
        "number": index + 1,
        "count": len(slugs),
        "back": back,
        "changing": changing,
        "files": files,
        "multipart": any(isinstance(f, django_forms.FileField) for f in form.fields.values()),
    }


@never_cache
@GET_POST
@login_required
def step(request, draft, step: str):
    draft = selectors.draft_for(request.user, draft)
    if draft.submission_id:
        return redirect("referrals:confirmation", reference=draft.submission.reference)
    definition = definition_of(draft.form_type)
    current = definition.step(step)
    if current is None:
        raise Http404("No such question")
    changing = request.GET.get("change") == "1"
    organisation = _organisation(request.user)
    if request.method == "POST":
        form = current.form(request.POST, request.FILES, organisation=organisation, other_steps=draft.answers)
        saving = request.POST.get("action") == "save"
        if form.is_valid():
            uploads = {
                name: form.cleaned_data[name]
                for name, field in form.fields.items()
                if isinstance(field, django_forms.FileField) and form.cleaned_data.get(name)
            }
            services.save_step(draft=draft, step=current.slug, answers=form.answers(), uploads=uploads, by=request.user)
            if saving:
                return redirect("referrals:draft_saved", draft=draft.pk)
            following = definition.next_step(current.slug)
            if changing or following is None:
                return redirect("referrals:check_answers", draft=draft.pk)
            return redirect("referrals:step", draft=draft.pk, step=following.slug)
        if saving:
            typed = {
                key: request.POST.getlist(key) if len(request.POST.getlist(key)) > 1 else value
                for key, value in request.POST.items()
                if key not in ("csrfmiddlewaretoken", "action")
            }
            for name, field in form.fields.items():
                if isinstance(field, django_forms.MultipleChoiceField):
                    typed[name] = request.POST.getlist(name)
            services.keep_unchecked(draft=draft, step=current.slug, data=typed)
            return redirect("referrals:draft_saved", draft=draft.pk)
    else:
        if current.slug in draft.unchecked:
            data = draft.unchecked[current.slug]
        else:
            data = current.form.data_from(draft.answers.get(current.slug, {}))
        form = current.form(initial=initial_from(current.form, data), organisation=organisation)
    return render(request, "referrals/step.html", _step_context(request, draft, definition, current, form, changing))


def sections_of(definition: FormDefinition, answers: dict, *, attachments=(), draft: Draft | None = None) -> list[dict]:
    """The answers, step by step, as summary lists (with change links when a draft is given)."""
    by_field = {(a.step, a.field): a for a in attachments}
    sections = []
    for current in definition.steps:
        given = answers.get(current.slug)
        rows = [{"label": label, "lines": lines} for label, lines in current.form.summary(given or {})] if given else []
        for name, field in current.form.base_fields.items():
            if isinstance(field, django_forms.FileField) and given is not None:
                attachment = by_field.get((current.slug, name))
                rows.append(
                    {"label": str(field.label).replace(" (optional)", ""), "lines": [], "attachment": attachment}
                )
        sections.append(
            {
                "step": current,
                "answered": given is not None,
                "rows": rows,
                "change": reverse("referrals:step", kwargs={"draft": draft.pk, "step": current.slug}) + "?change=1"
                if draft
                else "",
            }
        )
    return sections


@never_cache
@GET_POST
@login_required
def check_answers(request, draft):
    draft = selectors.draft_for(request.user, draft)
    if draft.submission_id:
        return redirect("referrals:confirmation", reference=draft.submission.reference)
    definition = definition_of(draft.form_type)
    form = DeclarationForm(request.POST if request.method == "POST" else None)
    problems: list[dict] = []
    if request.method == "POST" and form.is_valid():
        try:
            submission = services.submit_draft(draft=draft, by=request.user, request=request)
        except services.FormNotAccepted as refused:
            problems = [
                {
                    "step": definition.step(step_slug),
                    "message": f"{definition.step(step_slug).title}: {messages[0]}",
                }
                for step_slug, fields in refused.errors.items()
                if definition.step(step_slug)
                for messages in list(fields.values())[:1]
            ]
        except services.NoReceivingTeam as refused:
            form.add_error(None, refused.message)
        else:
            return redirect("referrals:confirmation", reference=submission.reference)
    sections = sections_of(definition, draft.answers, attachments=Attachment.objects.filter(draft=draft), draft=draft)
    missing = [s for s in sections if not s["answered"]]
    return render(
        request,
        "referrals/check_answers.html",
        {
            "draft": draft,
            "definition": definition,
            "sections": sections,
            "missing": missing,
            "problems": problems,
            "back": reverse("referrals:step", kwargs={"draft": draft.pk, "step": definition.steps[-1].slug}),
            "form": form,
        },
    )


@never_cache
@require_safe
@login_required
def resume(request, draft):
    draft = selectors.draft_for(request.user, draft)
    if draft.submission_id:
        return redirect("referrals:confirmation", reference=draft.submission.reference)
    definition = definition_of(draft.form_type)
    for current in definition.steps:
        if current.slug not in draft.answers:
            return redirect("referrals:step", draft=draft.pk, step=current.slug)
    return redirect("referrals:check_answers", draft=draft.pk)


@never_cache
@require_safe
@login_required
def draft_saved(request, draft):
    draft = selectors.draft_for(request.user, draft)
    return render(request, "referrals/draft_saved.html", {"draft": draft, "definition": definition_of(draft.form_type)})


@GET_POST
@login_required
def delete_draft(request, draft):
    draft = selectors.draft_for(request.user, draft)
    if draft.submission_id:
        return redirect("referrals:confirmation", reference=draft.submission.reference)
    form = ConfirmForm(request.POST or None, button="Yes, delete these answers", button_class="govuk-button--warning")
    if request.method == "POST":
        services.discard_draft(draft=draft, by=request.user, request=request)
        return redirect("referrals:index")
    return render(
        request,
        "referrals/delete_draft.html",
        {"draft": draft, "definition": definition_of(draft.form_type), "form": form},
    )


# --- What was sent --------------------------------------------------------------------------------------


@never_cache
@require_safe
@login_required
def confirmation(request, reference: str):
    submission = selectors.submission_for(request.user, reference, request=request, why="confirmation")
    return render(
        request,
        "referrals/confirmation.html",
        {"submission": submission, "definition": definition_of(submission.form_type)},
    )


@never_cache
@require_safe
@login_required
def submission(request, reference: str):
    submission = selectors.submission_for(request.user, reference, request=request)
    definition = definition_of(submission.form_type)
    return render(
        request,
        "referrals/submission.html",
        {
            "submission": submission,
            "definition": definition,
            "sections": sections_of(definition, submission.answers, attachments=submission.attachments.all()),
            "requests": submission.information_requests.all(),
            "history": submission.status_changes.select_related("to_team"),
            "follow_ups": submission.follow_ups.order_by("submitted_at"),
            "follow_up_forms": [d for d in DEFINITIONS.values() if d.follows == submission.form_type],
            "may_follow_up": can(request.user, "referrals.submit")
            and submission.organisation_id == request.user.organisation_id,
        },
    )


@never_cache
@GET_POST
@login_required
def answer_question(request, reference: str, pk: int):
    submission = selectors.submission_for(
        request.user, reference, permission="referrals.answer_for_submission", request=request, why="answer question"
    )
    asked = get_object_or_404(InformationRequest, pk=pk, submission=submission)
    if asked.is_answered:
        return redirect(submission.get_absolute_url())
    form = AnswerForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_information_request(
                information_request=asked, answer=form.cleaned_data["answer"], by=request.user, request=request
            )
        except services.TriageRefused as refused:
            form.add_error("answer", refused.message)
        else:
            return redirect(submission.get_absolute_url())
    return render(request, "referrals/answer_question.html", {"submission": submission, "asked": asked, "form": form})


@never_cache
@require_safe
@login_required
def attachment(request, pk):
    """A photo or file, only for those who may see its submission (or the draft's owner); audited."""
    found = get_object_or_404(Attachment.objects.select_related("submission__team", "draft"), pk=pk)
    if found.submission is not None:
        allowed = can(request.user, "referrals.view_submission", found.submission) or can(
            request.user, "referrals.triage", found.submission
        )
        if not allowed:
            raise PermissionDenied("referrals.view_submission")
        record(
            action=AuditAction.VIEW,
            actor=request.user,
            obj=found.submission,
            detail=f"attachment {found.pk}",
            request=request,
        )
    elif found.draft is None or not can(request.user, "referrals.edit_draft", found.draft):
        raise PermissionDenied("referrals.edit_draft")
    try:
        handle = storage.path_of(found.stored_name).open("rb")
    except FileNotFoundError:
        raise Http404("The file is missing") from None
    extension = found.stored_name.rsplit(".", 1)[-1]
    response = FileResponse(
        handle,
        content_type=found.content_type,
        as_attachment=True,
        filename=f"{found.kind}-{str(found.pk)[:8]}.{extension}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
