"""The Supporting Families team's linkage screens. Every view of a person's details is audited."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from apps.accounts.permissions import require
from apps.audit.models import AuditAction
from apps.audit.services import record as audit

from . import explain, extracts, selectors, services, tasks
from .evidence import bands_chart
from .forms import ColumnMappingForm, ExtractUploadForm, PersonSearchForm, ReviewForm, ReviewListForm, UnlinkForm
from .models import AgencyExtract, CandidatePair, PersonRecord


@login_required
@require_safe
def home(request):
    context = selectors.overview(request.user)
    context["progress"] = selectors.queue_progress(request.user)
    return render(request, "linkage/home.html", context)


@login_required
@require_POST
def start_run(request):
    require(request.user, "linkage.use_linkage")
    try:
        services.current_model()
    except services.NoModel as error:
        messages.error(request, str(error))
        return redirect("linkage:home")
    if not services.claim_linkage_run():
        messages.info(request, "Linkage is already running. The review queue fills as soon as it finishes.")
        return redirect("linkage:home")
    try:
        tasks.run_linkage.enqueue(user_id=request.user.pk, claimed=True)
    except Exception:
        services.release_linkage_run()
        raise
    messages.success(request, "Linkage has started. The review queue fills as soon as it finishes.")
    return redirect("linkage:home")


# --- Agency extracts ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def extract_upload(request):
    agencies = selectors.agencies(request.user)
    if request.method == "POST":
        # Refuse an oversized upload from its declared length, before Django reads any of it.
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
        if declared > extracts.max_upload_bytes() + 64 * 1024:
            form = ExtractUploadForm(data={}, agencies=agencies)
            form.full_clean()
            form.errors.clear()
            form.add_error("file", services.too_large_message())
            return render(request, "linkage/extract_upload.html", {"form": form}, status=413)
        form = ExtractUploadForm(request.POST, request.FILES, agencies=agencies)
        if form.is_valid():
            try:
                extract = services.start_extract(
                    uploaded=form.cleaned_data["file"], organisation=form.cleaned_data["organisation"], by=request.user
                )
            except extracts.ExtractProblem as problem:
                form.add_error("file", str(problem))
            else:
                return redirect("linkage:extract_mapping", pk=extract.pk)
    else:
        form = ExtractUploadForm(agencies=agencies)
    return render(request, "linkage/extract_upload.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def extract_mapping(request, pk: int):
    extract = selectors.extract_for(request.user, pk)
    if extract.status != AgencyExtract.Status.MAPPING:
        return redirect("linkage:extract_check", pk=extract.pk)
    form = ColumnMappingForm(request.POST or None, headers=extract.headers, initial_mapping=extract.column_mapping)
    if request.method == "POST" and form.is_valid():
        try:
            services.check_extract(extract=extract, mapping=form.mapping(), by=request.user)
        except extracts.MappingInvalid as problem:
            form.add_error(None, str(problem))
        except extracts.ExtractProblem as problem:
            messages.error(request, f"{problem} Nothing was imported.")
            return redirect("linkage:extract_upload")
        else:
            return redirect("linkage:extract_check", pk=extract.pk)
    return render(request, "linkage/extract_mapping.html", {"form": form, "extract": extract})


@login_required
@require_http_methods(["GET", "POST"])
def extract_check(request, pk: int):
    extract = selectors.extract_for(request.user, pk)
    if extract.status == AgencyExtract.Status.MAPPING:
        return redirect("linkage:extract_mapping", pk=extract.pk)
    if request.method == "POST":
        try:
            if request.POST.get("decision") == "import":
                extract = services.import_extract(extract=extract, by=request.user)
                count = extract.imported_count
                messages.success(
                    request, f"{count} record{'' if count == 1 else 's'} imported from {extract.organisation}."
                )
            else:
                services.discard_extract(extract=extract, by=request.user)
                messages.success(request, "Nothing was imported from the extract.")
        except extracts.ExtractProblem as problem:
            messages.error(request, str(problem))
        return redirect("linkage:extract_check", pk=extract.pk)
    audit(action=AuditAction.VIEW, request=request, obj=extract)
    good = len(extract.checked_rows) if extract.status == AgencyExtract.Status.CHECKED else extract.imported_count
    # Every row of the file is counted, including the lines an unclosed quote ran into (one problem, many rows)
    bad = extract.row_count - good if extract.status == AgencyExtract.Status.CHECKED else len(extract.problems)
    return render(
        request,
        "linkage/extract_check.html",
        {
            "extract": extract,
            "good": good,
            "bad": bad,
            "problems": extract.problems[:500],
            "more_problems": max(len(extract.problems) - 500, 0),
            "none_good": extract.status == AgencyExtract.Status.CHECKED and extract.row_count and not good,
            "mostly_bad": extract.row_count and bad * 2 > extract.row_count,
        },
    )


# --- Review -------------------------------------------------------------------------------------


@login_required
@require_safe
def review_queue(request):
    """The pairs waiting for review as a list to choose from, filtered by score and source, a page at a time,
    with how the current model's pairs spread over the scores."""
    form = ReviewListForm(request.GET or None, sources=selectors.source_choices(request.user))
    filters = form.cleaned_data if form.is_valid() else {}
    pairs = selectors.review_list(request.user, band=filters.get("band", ""), source=filters.get("source", ""))
    page = Paginator(pairs, 25).get_page(request.GET.get("page"))
    progress = selectors.queue_progress(request.user)
    if not page.object_list and not filters and progress["waiting"] + progress["not_sure"] == 0:
        return render(request, "linkage/queue_empty.html", {"progress": progress})
    audit(
        action=AuditAction.VIEW,
        request=request,
        object_type="linkage.candidatepair",
        object_label="pairs waiting for review",
        detail=f"page {page.number}" + "".join(f", {key} {value}" for key, value in filters.items() if value),
    )
    evidence = selectors.threshold_evidence(request.user)
    query = urlencode({key: value for key, value in filters.items() if value})
    return render(
        request,
        "linkage/review_list.html",
        {
            "form": form,
            "page": page,
            "pairs": [{"pair": pair, "percent": explain.percent(pair.match_probability)} for pair in page.object_list],
            "progress": progress,
            "evidence": evidence,
            "chart": bands_chart(evidence["bands"]),
            "query": query,
            "filtered": any(filters.values()),
        },
    )


@login_required
@require_safe
def review_next(request):
    """The strongest pair nobody has looked at yet (then those marked not sure)."""
    pair = selectors.next_in_queue(request.user)
    if pair is not None:
        return redirect("linkage:review_pair", pk=pair.pk)
    return render(request, "linkage/queue_empty.html", {"progress": selectors.queue_progress(request.user)})


@login_required
@require_safe
def check_linked(request):
    """A pair the model linked on its own, at random, for the team to check (their precision sample)."""
    pair = selectors.linked_pair_to_check(request.user)
    if pair is None:
        messages.info(request, "Every pair the current model linked automatically has been checked.")
        return redirect("linkage:settings")
    return redirect("linkage:review_pair", pk=pair.pk)


@login_required
@require_safe
def threshold_settings(request):
    """The team's linkage settings: the thresholds in force and the evidence for them."""
    evidence = selectors.threshold_evidence(request.user)
    return render(request, "linkage/settings.html", {"evidence": evidence, "chart": bands_chart(evidence["bands"])})


@login_required
@require_http_methods(["GET", "POST"])
def review_pair(request, pk: int):
    pair = selectors.pair_for(request.user, pk)
    checking = services.is_check(pair)
    form = ReviewForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.decide(
                    pair=pair, decision=form.cleaned_data["decision"], by=request.user, note=form.cleaned_data["note"]
                )
            except services.AlreadyDecided as problem:
                messages.error(request, str(problem))
                return redirect("linkage:review_pair", pk=pair.pk)
            messages.success(request, "Decision saved.")
            if checking:
                return redirect("linkage:settings")
            following = selectors.next_in_queue(request.user, after=pair.pk)
            if following is None:
                return redirect("linkage:review_queue")
            return redirect("linkage:review_pair", pk=following.pk)
    else:
        audit(action=AuditAction.VIEW, request=request, obj=pair)
    return render(
        request,
        "linkage/review_pair.html",
        {
            "pair": pair,
            "form": form,
            "fields": explain.side_by_side(pair.record_a, pair.record_b),
            "chart": explain.waterfall(pair.explanation),
            "steps": pair.explanation.get("steps", []),
            "prior_weight": pair.explanation.get("prior_weight"),
            "percent": explain.percent(pair.match_probability),
            "progress": selectors.queue_progress(request.user),
            "reviewable": pair.status in (CandidatePair.Status.QUEUED, CandidatePair.Status.NOT_SURE) or checking,
            "checking": checking,
            "not_sure_by_you": pair.status == CandidatePair.Status.NOT_SURE
            and selectors.last_not_sure_by(pair) == request.user.pk,
        },
    )


# --- People -------------------------------------------------------------------------------------


@login_required
@require_safe
def person_list(request):
    form = PersonSearchForm(request.GET or None)
    search = form.cleaned_data["q"].strip() if form.is_valid() else ""
    page = Paginator(selectors.people(request.user, search=search).order_by("pk"), 25).get_page(request.GET.get("page"))
    audit(
        action=AuditAction.SEARCH if search else AuditAction.VIEW,
        request=request,
        object_type="linkage.person",
        object_label="people with linked records" if not search else "people found by a name search",
        detail=f"page {page.number}",
    )
    return render(request, "linkage/person_list.html", {"form": form, "page": page, "search": search})


@login_required
@require_safe
def person_detail(request, pk: int):
    person = selectors.person_for(request.user, pk)
    audit(action=AuditAction.VIEW, request=request, obj=person)
    links = selectors.links_of(person)
    return render(
        request,
        "linkage/person_detail.html",
        {
            "person": person,
            "records": selectors.records_of(person),
            "links": [{"pair": pair, "percent": explain.percent(pair.match_probability)} for pair in links],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def unlink(request, pk: int):
    pair = selectors.pair_for(request.user, pk)
    form = UnlinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.unlink(pair=pair, by=request.user, note=form.cleaned_data["reason"])
        except services.NotLinked as problem:
            messages.error(request, str(problem))
        else:
            messages.success(request, "The records are unlinked. They will not be linked or queued again.")
        person_id = PersonRecord.objects.values_list("person_id", flat=True).get(pk=pair.record_a_id)
        return HttpResponseRedirect(reverse("linkage:person_detail", kwargs={"pk": person_id}))
    if request.method == "GET":
        audit(action=AuditAction.VIEW, request=request, obj=pair)
    return render(
        request,
        "linkage/unlink.html",
        {"pair": pair, "form": form, "fields": explain.side_by_side(pair.record_a, pair.record_b)},
    )
