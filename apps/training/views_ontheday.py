"""Pages for the day of a session (QR check-in, the sign-in sheet, closing the register), non-attendance
charges and the training reports. Thin: each parses, checks permission, calls checkin / charges /
reports, and renders."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from apps.accounts.permissions import require
from apps.audit.models import AuditAction
from apps.audit.services import record
from apps.core.dates import format_month, to_london

from . import charges, checkin, forms, reports, selectors, services
from .forms_ontheday import CheckInForm, WaiveChargeForm
from .models import BookingStatus, Charge, Session

GET_POST = require_http_methods(["GET", "HEAD", "POST"])


def _session(pk: int) -> Session:
    return get_object_or_404(Session.objects.select_related("course"), pk=pk)


# --- Check-in ----------------------------------------------------------------------------------


@login_required
@GET_POST
def check_in(request, pk: int):
    session = _session(pk)
    require(request.user, "training.mark_register", session)
    form = CheckInForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            done = checkin.check_in(session=session, code=form.cleaned_data["code"], by=request.user)
        except services.TrainingError as error:
            form.add_error("code", str(error))
        else:
            person = done.booking.person.get_full_name() or done.booking.person.email
            messages.success(request, f"{person} checked in at {done.at}.")
            if request.POST.get("then") == "register":
                return redirect(reverse("training:register", kwargs={"pk": session.pk}) + f"#person-{done.booking.pk}")
            return redirect("training:check_in", pk=session.pk)
    bookings = list(selectors.register_of(session))
    return render(
        request,
        "training/check_in.html",
        {
            "session": session,
            "form": form,
            "checked_in": sum(1 for b in bookings if b.checked_in_at),
            "attended": sum(1 for b in bookings if b.status == BookingStatus.ATTENDED),
            "booked": len(bookings),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_safe
def sign_in_sheet(request, pk: int):
    session = _session(pk)
    require(request.user, "training.view_register", session)
    record(action=AuditAction.EXPORT, request=request, obj=session, detail="sign-in sheet as PDF")
    bookings = [b for b in selectors.register_of(session) if b.status != BookingStatus.CANCELLED]
    response = HttpResponse(checkin.sign_in_sheet_pdf(session, bookings), content_type="application/pdf")
    start = to_london(session.starts_at)
    response["Content-Disposition"] = f'attachment; filename="sign-in-{session.course.slug}-{start:%Y-%m-%d}.pdf"'
    return response


@login_required
@GET_POST
def close_register(request, pk: int):
    session = _session(pk)
    require(request.user, "training.mark_register", session)
    form = forms.ConfirmForm(request.POST if request.method == "POST" else None, button="Close the register")
    if request.method == "POST" and form.is_valid():
        try:
            made = charges.close_register(session=session, by=request.user)
        except services.TrainingError as error:
            form.add_error(None, str(error))
        else:
            told = "The register is closed."
            if made:
                told += f" {len(made)} non-attendance charge{'s' if len(made) != 1 else ''} sent to the business unit."
            messages.success(request, told)
            return redirect("training:register", pk=session.pk)
    unmarked = session.bookings.filter(status=BookingStatus.BOOKED).count()
    return render(
        request,
        "training/close_register.html",
        {
            "session": session,
            "form": form,
            "unmarked": unmarked,
            "charge": session.course.non_attendance_charge,
            "cancel_by": charges.cancel_deadline(session, session.course.charge_cancel_by_working_days),
        },
        status=400 if form.errors else 200,
    )


# --- Charges (the business unit) ---------------------------------------------------------------


def _this_month() -> dt.date:
    return to_london(timezone.now()).date().replace(day=1)


@login_required
@require_safe
def charges_list(request):
    require(request.user, "training.manage_charges")
    month = _this_month()
    wanted = request.GET.get("month", "")
    if wanted:
        try:
            month = dt.datetime.strptime(wanted, "%Y-%m").date()
        except ValueError as error:
            raise Http404("No such month") from error
    rows = list(charges.charges_in_month(month.year, month.month))
    record(action=AuditAction.VIEW, request=request, detail=f"non-attendance charges of {format_month(month)}")
    return render(
        request,
        "training/manage/charges.html",
        {
            "month": month,
            "groups": charges.by_organisation(rows),
            "months": sorted(set(charges.months_with_charges()) | {_this_month()}, reverse=True),
            "count": len(rows),
        },
    )


@login_required
@GET_POST
def waive_charge(request, pk: int):
    require(request.user, "training.manage_charges")
    charge = get_object_or_404(
        Charge.objects.select_related("booking__person", "booking__session__course", "organisation"), pk=pk
    )
    form = WaiveChargeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            charges.waive_charge(charge=charge, reason=form.cleaned_data["reason"], by=request.user)
        except services.TrainingError as error:
            form.add_error("reason" if error.field == "reason" else None, str(error))
        else:
            messages.success(request, f"The charge for {charge.booking.person.get_full_name()} is waived.")
            month = to_london(charge.session_starts_at)
            return redirect(reverse("training:charges") + f"?month={month:%Y-%m}")
    else:
        record(action=AuditAction.VIEW, request=request, obj=charge, detail="opened the charge to waive it")
    return render(
        request,
        "training/manage/waive_charge.html",
        {"charge": charge, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_safe
def charges_csv(request, year: int, month: int):
    require(request.user, "training.manage_charges")
    if not 1 <= month <= 12 or not 2000 <= year <= 2100:
        raise Http404("No such month")
    record(action=AuditAction.EXPORT, request=request, detail=f"non-attendance charges {year}-{month:02d} as CSV")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="training-charges-{year}-{month:02d}.csv"'
    charges.write_csv(response, charges.charges_in_month(year, month))
    return response


# --- Reports -----------------------------------------------------------------------------------


def _grouping(request) -> str:
    grouping = request.GET.get("by", "course")
    if grouping not in reports.GROUPINGS:
        raise Http404("No such report")
    return grouping


@login_required
@require_safe
def training_reports(request):
    require(request.user, "training.see_training_reports")
    grouping = _grouping(request)
    heading = reports.GROUPINGS[grouping][0]
    scope = reports.scope_of(request.user)
    rows = reports.report(grouping, scope)
    return render(
        request,
        "training/reports.html",
        {
            "grouping": grouping,
            "heading": heading,
            "groupings": [(key, label) for key, (label, _, _) in reports.GROUPINGS.items()],
            "rows": rows,
            "charts": reports.charts(rows, heading),
            "scope": scope,
        },
    )


@login_required
@require_safe
def training_reports_csv(request):
    require(request.user, "training.see_training_reports")
    grouping = _grouping(request)
    heading = reports.GROUPINGS[grouping][0]
    scope = reports.scope_of(request.user)
    record(action=AuditAction.EXPORT, request=request, detail=f"training report by {grouping} as CSV")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="training-report-by-{grouping}.csv"'
    reports.write_csv(response, reports.report(grouping, scope), heading, scope)
    return response
