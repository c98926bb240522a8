"""The coordinator's pages: scheduling many sessions, bank holidays, booking questions, a manager's approval
link, and e-mailing a session. Each view parses, checks permission, calls one service, and renders."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from apps.accounts.permissions import can, require

from . import approval, coordinator_forms, questions, scheduling, services, session_email
from .models import BankHoliday, BookingQuestion, Course, Session, SessionMessage

GET_POST = require_http_methods(["GET", "HEAD", "POST"])


def _data(request):
    return request.POST if request.method == "POST" else None


def _error(form, error: services.TrainingError) -> None:
    form.add_error(error.field if error.field in form.fields else None, str(error))


# --- Scheduling many sessions ------------------------------------------------------------------


def _plan(form: coordinator_forms.ScheduleForm, course: Course) -> scheduling.Plan:
    data = form.cleaned_data
    return scheduling.plan(
        course=course,
        dates=data["planned_dates"],
        skipped=data["skipped"],
        start_time=data["start_time"],
        end_time=data["end_time"],
        trainers=list(data["trainers"]),
        venue=data["venue"],
        **form.plan_fields(),
    )


@login_required
@GET_POST
def schedule(request, slug: str):
    """Fill in the pattern, see every date with its warnings, then add them all (or change the pattern)."""
    require(request.user, "training.manage_courses")
    course = get_object_or_404(Course, slug=slug)
    action = request.POST.get("action", "preview") if request.method == "POST" else ""
    form = coordinator_forms.ScheduleForm(
        _data(request), course=course, initial={"capacity": 20, "pattern": scheduling.WEEKLY}
    )
    if request.method == "POST" and action != "change" and form.is_valid():
        plan = _plan(form, course)
        if action == "confirm":
            try:
                created = scheduling.save_plan(plan=plan, by=request.user)
            except services.TrainingError as error:
                _error(form, error)
            else:
                count = len(created)
                messages.success(request, f"{count} session{'s' if count != 1 else ''} added.")
                return redirect("training:manage_course", slug=course.slug)
        else:
            posted = QueryDict(mutable=True)
            for name, values in request.POST.lists():
                if name not in ("csrfmiddlewaretoken", "action"):
                    posted.setlist(name, values)
            return render(
                request,
                "training/manage/schedule_preview.html",
                {"course": course, "plan": plan, "posted": posted},
            )
    return render(request, "training/manage/schedule.html", {"form": form, "course": course})


# --- Bank holidays -----------------------------------------------------------------------------


@login_required
@GET_POST
def bank_holidays(request):
    require(request.user, "training.manage_courses")
    form = coordinator_forms.BankHolidayForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            holiday = scheduling.add_bank_holiday(by=request.user, **form.cleaned_data)
        except services.TrainingError as error:
            _error(form, error)
        else:
            messages.success(request, f"{holiday.name} is added.")
            return redirect("training:bank_holidays")
    today = timezone.localdate()
    return render(
        request,
        "training/manage/bank_holidays.html",
        {
            "form": form,
            "upcoming": BankHoliday.objects.filter(date__gte=today),
            "past": BankHoliday.objects.filter(date__lt=today).order_by("-date")[:20],
        },
    )


@login_required
@GET_POST
def bank_holiday_delete(request, pk: int):
    require(request.user, "training.manage_courses")
    holiday = get_object_or_404(BankHoliday, pk=pk)
    form = _confirm(request, "Delete the bank holiday")
    if request.method == "POST" and form.is_valid():
        scheduling.delete_bank_holiday(holiday=holiday, by=request.user)
        messages.success(request, f"{holiday.name} is deleted.")
        return redirect("training:bank_holidays")
    return render(request, "training/manage/bank_holiday_delete.html", {"form": form, "holiday": holiday})


def _confirm(request, button: str):
    from .forms import ConfirmForm

    return ConfirmForm(_data(request), button=button, button_class="govuk-button--warning")


# --- Booking questions -------------------------------------------------------------------------


@login_required
@require_safe
def booking_questions(request, slug: str):
    require(request.user, "training.manage_courses")
    course = get_object_or_404(Course, slug=slug)
    return render(
        request,
        "training/manage/booking_questions.html",
        {"course": course, "questions": course.booking_questions.all()},
    )


@login_required
@GET_POST
def booking_question_form(request, slug: str | None = None, pk: int | None = None):
    require(request.user, "training.manage_courses")
    question = get_object_or_404(BookingQuestion.objects.select_related("course"), pk=pk) if pk else None
    course = question.course if question else get_object_or_404(Course, slug=slug)
    form = coordinator_forms.BookingQuestionForm(_data(request), instance=question)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in coordinator_forms.BookingQuestionForm.Meta.fields}
        saved = questions.save_question(course=course, question=question, by=request.user, **fields)
        messages.success(request, f"Question {saved.number} is saved.")
        return redirect("training:booking_questions", slug=course.slug)
    return render(
        request, "training/manage/booking_question_form.html", {"form": form, "course": course, "question": question}
    )


@login_required
@GET_POST
def booking_question_delete(request, pk: int):
    require(request.user, "training.manage_courses")
    question = get_object_or_404(BookingQuestion.objects.select_related("course"), pk=pk)
    form = _confirm(request, "Delete the question")
    if request.method == "POST" and form.is_valid():
        questions.delete_question(question=question, by=request.user)
        messages.success(request, f"Question {question.number} is deleted.")
        return redirect("training:booking_questions", slug=question.course.slug)
    return render(
        request,
        "training/manage/booking_question_delete.html",
        {"form": form, "question": question, "course": question.course},
    )


# --- The line manager's link (no sign-in) ------------------------------------------------------


@never_cache
@GET_POST
def approval_link(request, token: str):
    """Shows the person's name, organisation and the session, and takes one decision. Nothing else."""
    found = approval.approval_of(token)
    if found is None:
        response = render(request, "training/approval_closed.html", {"reason": ""}, status=404)
    elif reason := approval.closed_reason(found):
        response = render(request, "training/approval_closed.html", {"reason": reason}, status=410)
    else:
        form = coordinator_forms.ApprovalDecisionForm(_data(request))
        response = None
        if request.method == "POST" and form.is_valid():
            approve = form.cleaned_data["decision"] == "approve"
            try:
                approval.decide(approval=found, approve=approve, note=form.cleaned_data["note"])
            except services.TrainingError as error:
                response = render(request, "training/approval_closed.html", {"reason": str(error)}, status=410)
            else:
                response = render(request, "training/approval_done.html", {"approved": approve, "approval": found})
        if response is None:
            booking = found.booking
            response = render(
                request,
                "training/approval.html",
                {"form": form, "approval": found, "booking": booking, "session": booking.session},
            )
    # The token is in the address: never send it on to another site. (Not "no-referrer": browsers then send
    # "Origin: null" with the form, and the CSRF check refuses the manager's decision.)
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    return response


# --- E-mailing a session -----------------------------------------------------------------------


@login_required
@GET_POST
def session_email_view(request, pk: int):
    session = get_object_or_404(Session.objects.select_related("course"), pk=pk)
    require(request.user, "training.email_session", session)
    form = coordinator_forms.SessionEmailForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            sent = session_email.email_session(session=session, by=request.user, **form.cleaned_data)
        except services.TrainingError as error:
            _error(form, error)
        else:
            people = "person" if sent.recipients == 1 else "people"
            messages.success(request, f"Your e-mail is on its way to {sent.recipients} {people}.")
            return redirect("training:session_email", pk=session.pk)
    return render(
        request,
        "training/session_email.html",
        {
            "form": form,
            "session": session,
            "sent": SessionMessage.objects.filter(session=session).select_related("sent_by"),
            "booked": len(session_email.recipients(session, "booked")),
            "waiting": len(session_email.recipients(session, "waiting")),
            "can_register": can(request.user, "training.view_register", session),
        },
    )
