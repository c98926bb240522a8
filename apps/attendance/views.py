"""School attendance pages: thin; the rules are in `selectors.py`, `services.py` and `rules.py`."""

from __future__ import annotations

import csv
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from apps.accounts.permissions import can, require
from apps.audit.models import AuditAction
from apps.audit.services import record
from apps.core.charts import bar_chart
from apps.core.csv_export import csv_writer

from . import selectors, services
from .forms import BarrierForm, UploadForm
from .models import CodeMapping

SAMPLES = Path(__file__).resolve().parent / "samples"
SAMPLE_FILES = {"termly": "termly-attendance-sample.csv", "daily": "daily-sessions-sample.csv"}


@require_safe
@login_required
def index(request):
    require(request.user, "attendance.use")
    schools = selectors.schools_for(request.user)
    school = _chosen_school(request, schools)
    q = request.GET.get("q", "").strip()[:100]
    band = request.GET.get("band", "")
    band = band if band in {"persistent", "severe"} else ""
    pupils = selectors.pupil_list(request.user, q=q, band=band, school=school)
    page = Paginator(pupils, 50).get_page(request.GET.get("page"))
    record(
        action=AuditAction.SEARCH,
        actor=request.user,
        request=request,
        object_type="attendance.pupil",
        detail="pupils: " + ", ".join(f"ATT-{pupil.pk:06d}" for pupil in page.object_list)[:900],
    )
    latest = selectors.latest_terms_of(page.object_list)
    rows = []
    for pupil in page.object_list:
        term = latest.get(pupil.pk)
        rows.append(
            {
                "pupil": pupil,
                "term": term.term_label if term else "",
                "rate": round(100 * (term.possible - term.missed) / term.possible, 1)
                if term and term.possible
                else None,
                "band": selectors.band_of(term.possible, term.missed) if term else "",
            }
        )
    return render(
        request,
        "attendance/index.html",
        {
            "page_obj": page,
            "rows": rows,
            "q": q,
            "band": band,
            "schools": schools if schools.count() > 1 else None,
            "school": school,
            "may_upload": can(request.user, "attendance.upload"),
            "may_see_figures": can(request.user, "attendance.see_figures"),
        },
    )


def _chosen_school(request, schools):
    value = request.GET.get("school", "")
    if not value.isdigit():
        return None
    return schools.filter(pk=int(value)).first()


def _chosen_term(request):
    value = request.GET.get("term", "")
    if len(value) == 6 and value.isdigit():
        return int(value[:4]), int(value[5])
    return None


@require_safe
@login_required
def dashboard(request):
    require(request.user, "attendance.see_figures")
    schools = selectors.schools_for(request.user)
    school = _chosen_school(request, schools)
    figures = selectors.figures(request.user, school=school, term=_chosen_term(request))
    record(
        action=AuditAction.VIEW,
        actor=request.user,
        request=request,
        object_type="attendance.figures",
        detail=f"{school.audit_label() if school else 'all schools they may see'}; {figures.term_name}",
    )
    charts = []
    if figures.overall is not None:
        charts = [
            (
                bar_chart("Attendance rate by term (%)", [(m.label, m.rate or 0) for m in figures.by_term], unit="%"),
                figures.by_term,
            ),
            (
                bar_chart(
                    f"Persistent absence by year group, {figures.term_name} (% of pupils)",
                    [(m.label, m.persistent_share or 0) for m in figures.by_year_group],
                    unit="%",
                ),
                figures.by_year_group,
            ),
            (
                bar_chart(
                    f"Persistent absence by group of pupils, {figures.term_name} (% of pupils)",
                    [(m.label, m.persistent_share or 0) for m in figures.by_cohort],
                    unit="%",
                ),
                figures.by_cohort,
            ),
        ]
        if figures.by_school:
            charts.append(
                (
                    bar_chart(
                        f"Attendance rate by school, {figures.term_name} (%)",
                        [(m.label, m.rate or 0) for m in figures.by_school],
                        unit="%",
                    ),
                    figures.by_school,
                )
            )
    return render(
        request,
        "attendance/dashboard.html",
        {
            "figures": figures,
            "charts": charts,
            "schools": schools if schools.count() > 1 else None,
            "school": school,
            "term_value": f"{figures.term[0]}-{figures.term[1]}" if figures.term else "",
        },
    )


@require_safe
@login_required
def dashboard_csv(request):
    require(request.user, "attendance.see_figures")
    schools = selectors.schools_for(request.user)
    school = _chosen_school(request, schools)
    figures = selectors.figures(request.user, school=school, term=_chosen_term(request))
    rows = [
        [
            "Group",
            "What",
            "Term",
            "Pupils",
            "Sessions possible",
            "Sessions missed",
            "Attendance rate (%)",
            "Persistently absent pupils",
            "Persistent absence (%)",
            "Severely absent pupils",
            "Severe absence (%)",
        ]
    ]
    groups = [("Term", figures.by_term, None)]
    groups += [
        ("School", figures.by_school, figures.term_name),
        ("Year group", figures.by_year_group, figures.term_name),
        ("Group of pupils", figures.by_cohort, figures.term_name),
    ]
    for group, measures, term in groups:
        for m in measures:
            rows.append(
                [
                    group,
                    m.label,
                    term or m.label,
                    m.pupils,
                    m.possible,
                    m.missed,
                    m.rate,
                    m.persistent,
                    m.persistent_share,
                    m.severe,
                    m.severe_share,
                ]
            )
    record(
        action=AuditAction.EXPORT, actor=request.user, request=request, object_type="attendance.figures", detail="CSV"
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="attendance-figures.csv"'
    csv_writer(response).writerows(rows)
    return response


@require_http_methods(["GET", "POST"])
@login_required
def upload(request):
    require(request.user, "attendance.upload")
    schools = selectors.schools_for(request.user)
    posted = request.method == "POST"
    form = UploadForm(request.POST if posted else None, request.FILES if posted else None, schools=schools)
    problems = []
    if request.method == "POST" and form.is_valid():
        try:
            done = services.import_attendance(
                school=form.chosen_school(),
                academic_year=form.cleaned_data["academic_year"],
                term=form.cleaned_data["term"],
                kind=form.cleaned_data["kind"],
                uploaded=form.cleaned_data["file"],
                by=request.user,
            )
        except services.ImportRefused as refused:
            problems = refused.problems
            form.add_error(
                "file",
                f"Nothing was imported: the file has {len(problems)} problem{'s' if len(problems) != 1 else ''}"
                " (listed below by line). Correct the file and upload it again"
                if problems[0][0] is not None
                else problems[0][1],
            )
        else:
            messages.success(
                request,
                f"Imported {done.pupils} pupils' attendance for {done.school} in {done.term_label}.",
            )
            return redirect("attendance:upload")
    return render(
        request,
        "attendance/upload.html",
        {
            "form": form,
            "problems": [problem for problem in problems if problem[0] is not None],
            "uploads": selectors.uploads_for(request.user)[:20],
        },
    )


@require_safe
@login_required
def sample(request, kind):
    require(request.user, "attendance.use")
    if kind not in SAMPLE_FILES:
        raise Http404("No such sample")
    with open(SAMPLES / SAMPLE_FILES[kind], encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{SAMPLE_FILES[kind]}"'
    csv_writer(response).writerows(rows)
    return response


@require_safe
@login_required
def codes(request):
    require(request.user, "attendance.see_mapping")
    version = services.current_mapping()
    return render(
        request,
        "attendance/codes.html",
        {"version": version, "codes": CodeMapping.objects.filter(version=version).order_by("pk")},
    )


@require_safe
@login_required
def pupil(request, pk):
    found = selectors.pupil_for(request.user, pk, request=request)
    terms = selectors.terms_of(found)
    chart = bar_chart("Attendance rate by term (%)", [(t["label"], t["rate"] or 0) for t in terms], unit="%")
    return render(
        request,
        "attendance/pupil.html",
        {
            "pupil": found,
            "terms": terms,
            "chart": chart,
            "barriers": found.barriers.select_related("recorded_by")[:10],
            "early_help": selectors.early_help_links(request.user, found),
            "may_record": can(request.user, "attendance.record_barriers", found),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def record_barriers(request, pk):
    found = selectors.pupil_for(request.user, pk, request=request)
    require(request.user, "attendance.record_barriers", found)
    latest = found.barriers.first()
    initial = {"category": latest.category, "family_issues": latest.family_issues} if latest else None
    form = BarrierForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.record_barriers(
            pupil=found,
            category=form.cleaned_data["category"],
            family_issues=form.cleaned_data["family_issues"],
            note=form.cleaned_data["note"],
            by=request.user,
        )
        messages.success(request, "The barriers to attendance are recorded.")
        return redirect("attendance:pupil", pk=found.pk)
    return render(request, "attendance/barriers.html", {"form": form, "pupil": found})
