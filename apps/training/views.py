"""Training pages. Each view parses, checks permission, calls one service or selector, and renders."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Avg, Count
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_http_methods, require_safe

from apps.accounts.models import User
from apps.accounts.permissions import can, require
from apps.audit.models import AuditAction
from apps.audit.services import record
from apps.core.csv_export import csv_writer
from apps.core.dates import to_london

from . import approval, calendar, checkin, coordinator_forms, documents, forms, questions, selectors, services
from .models import (
    REGISTER_MARKS,
    Booking,
    BookingMethod,
    BookingRequest,
    BookingStatus,
    CalendarFeed,
    Certificate,
    Course,
    Delivery,
    ELearningCompletion,
    ELearningItem,
    Evaluation,
    OutsideTraining,
    Question,
    Session,
    WaitingListEntry,
    WaitingStatus,
)

GET_POST = require_http_methods(["GET", "HEAD", "POST"])


def _data(request):
    """What was posted, so that a form posted empty is still validated (and shows its errors)."""
    return request.POST if request.method == "POST" else None


def _error(form, error: services.TrainingError) -> None:
    form.add_error(error.field if error.field in form.fields else None, str(error))


# --- The catalogue -----------------------------------------------------------------------------


# Services bump the catalogue's version when places change; the timeout bounds anything changed elsewhere.
CATALOGUE_CACHE_SECONDS = 60


def _cacheable(request) -> bool:
    """Pages for visitors who are not signed in and have no messages waiting are the same for everyone."""
    return settings.SESSION_COOKIE_NAME not in request.COOKIES and "messages" not in request.COOKIES


@require_safe
def catalogue(request):
    if not _cacheable(request):
        return _catalogue(request)
    page = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    key = f"training:catalogue:{selectors.catalogue_version()}:{page}"
    body = cache.get(key)
    if body is None:
        response = _catalogue(request)
        cache.set(key, response.content, CATALOGUE_CACHE_SECONDS)
        return response
    return HttpResponse(body)


def _catalogue(request):
    form = forms.CatalogueFilterForm(request.GET or None)
    sessions = selectors.catalogue_sessions(form)
    page = Paginator(sessions, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "training/catalogue.html",
        {
            "filters": form,
            "filtered": bool(query),
            "page": page,
            "elearning": selectors.catalogue_elearning(form),
            "query": query.urlencode(),
            "can_teach": can(request.user, "training.see_teaching"),
            "can_manage": can(request.user, "training.manage_courses"),
            "can_see_records": can(request.user, "training.see_organisation_records"),
        },
    )


@require_safe
@cache_control(public=True, max_age=900)
def catalogue_feed(request):
    sessions = selectors.upcoming_sessions().order_by("starts_at")[:500]
    body = calendar.feed(
        sessions,
        name="Safeguarding partnership training",
        description="Upcoming training and briefings from the safeguarding children partnership.",
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="partnership-training.ics"'
    return response


@require_safe
def course(request, slug: str):
    course = selectors.published_course(slug)
    sessions = selectors.with_places(selectors.upcoming_sessions().filter(course=course)).order_by("starts_at")
    return render(
        request,
        "training/course.html",
        {
            "course": course,
            "sessions": sessions,
            "elearning": getattr(course, "elearning", None),
            "can_manage": can(request.user, "training.manage_courses"),
        },
    )


@require_safe
def session(request, pk: int):
    session = selectors.visible_session(pk)
    booking = selectors.live_booking(session, request.user)
    entry = selectors.live_waiting_entry(session, request.user) if booking is None else None
    return render(
        request,
        "training/session.html",
        {
            "session": session,
            "course": session.course,
            "booking": booking,
            "entry": entry,
            "position": services.waiting_position(entry) if entry else None,
            "is_open": session.is_open_for_booking(),
            "can_book": request.user.is_authenticated and can(request.user, "training.book_place"),
            "can_manage": can(request.user, "training.manage_courses"),
            "can_register": can(request.user, "training.view_register", session),
            "can_email": can(request.user, "training.email_session", session),
            "now": timezone.now(),
        },
    )


# --- Booking, the waiting list, cancelling -----------------------------------------------------


@login_required
@GET_POST
def book(request, pk: int):
    require(request.user, "training.book_place")
    # A booking counts the places again under the session's lock, so it does not count them here first.
    session = selectors.visible_session(pk, places=request.method != "POST")
    if session.course.booking_method != BookingMethod.HUB:
        return redirect(session.get_absolute_url())
    if request.method != "POST" and _cannot_join(session, request.user):
        return redirect(session.get_absolute_url())  # the session page says why: booked, waiting or closed
    form = coordinator_forms.PlaceForm(_data(request), course=session.course, button="Book a place", user=request.user)
    full = request.method != "POST" and session.places_bookable <= 0
    if request.method == "POST" and form.is_valid():
        try:
            booking = approval.book(
                session=session,
                person=request.user,
                access_needs=form.cleaned_data["access_needs"],
                answers=form.answers(),
                manager_email=form.cleaned_data.get("manager_email", ""),
                by=request.user,
            )
        except services.TrainingError as error:
            full = isinstance(error, services.SessionFull)
            _error(form, error)
        else:
            if booking.status == BookingStatus.AWAITING_APPROVAL:
                messages.success(request, "Your place is held. We have e-mailed your line manager to approve it.")
            else:
                messages.success(request, "Your place is booked. We have sent you a confirmation e-mail.")
            return redirect(booking.get_absolute_url())
    if request.method == "POST":
        session = selectors.visible_session(pk)  # the page shows the places as they are now
    return render(request, "training/book.html", {"form": form, "session": session, "full": full})


def _cannot_join(session: Session, person: User) -> bool:
    """The person already has a place or is waiting, or booking is not open: there is no form to fill in."""
    return (
        not session.is_open_for_booking()
        or selectors.live_booking(session, person) is not None
        or selectors.live_waiting_entry(session, person) is not None
    )


@login_required
@GET_POST
def join_waiting_list(request, pk: int):
    require(request.user, "training.book_place")
    session = selectors.visible_session(pk)
    if session.course.booking_method != BookingMethod.HUB:
        return redirect(session.get_absolute_url())
    if request.method != "POST" and (_cannot_join(session, request.user) or session.places_bookable > 0):
        return redirect(session.get_absolute_url())  # the session page says why, or offers a place instead
    form = coordinator_forms.PlaceForm(
        _data(request), course=session.course, button="Join the waiting list", manager=False, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        try:
            entry = approval.join_waiting_list(
                session=session,
                person=request.user,
                access_needs=form.cleaned_data["access_needs"],
                answers=form.answers(),
                by=request.user,
            )
        except services.TrainingError as error:
            _error(form, error)
        else:
            messages.success(request, "You are on the waiting list. We will e-mail you if a place comes free.")
            return redirect(entry.get_absolute_url())
    return render(request, "training/join_waiting_list.html", {"form": form, "session": session})


@login_required
@require_safe
def booking(request, pk: int):
    booking = get_object_or_404(Booking.objects.select_related("session__course", "person", "organisation"), pk=pk)
    require(request.user, "training.view_booking", booking)
    if booking.person_id != request.user.pk:
        record(action=AuditAction.VIEW, request=request, obj=booking, detail="viewed another person's booking")
    now = timezone.now()
    return render(
        request,
        "training/booking.html",
        {
            "booking": booking,
            "session": booking.session,
            "can_cancel": booking.status in (BookingStatus.BOOKED, BookingStatus.AWAITING_APPROVAL)
            and now < booking.session.cancel_by,
            "certificate": Certificate.objects.filter(booking=booking, revoked_at__isnull=True).first(),
            "qr": checkin.qr_svg(booking) if booking.status == BookingStatus.BOOKED else "",
            "answers": questions.answers_by_booking([booking])[booking.pk],
            "can_evaluate": booking.status == BookingStatus.ATTENDED
            and booking.person_id == request.user.pk
            and not Evaluation.objects.filter(booking=booking).exists(),
        },
    )


@login_required
@GET_POST
def cancel_booking(request, pk: int):
    booking = get_object_or_404(Booking.objects.select_related("session__course", "person"), pk=pk)
    require(request.user, "training.cancel_booking", booking)
    form = forms.ConfirmForm(_data(request), button="Cancel my place", button_class="govuk-button--warning")
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel_booking(booking=booking, by=request.user)
        except services.TrainingError as error:
            _error(form, error)
        else:
            messages.success(request, "Your place is cancelled. We have sent you an e-mail to update your calendar.")
            return redirect("training:my_bookings")
    return render(
        request, "training/cancel_booking.html", {"form": form, "booking": booking, "session": booking.session}
    )


@login_required
@GET_POST
def waiting_entry(request, pk: int):
    entry = get_object_or_404(WaitingListEntry.objects.select_related("session__course"), pk=pk)
    require(request.user, "training.answer_offer", entry)
    accept = coordinator_forms.TakeOfferForm(
        request.POST if request.POST.get("action") == "accept" else None,
        course=entry.session.course,
        user=request.user,
    )
    leave = forms.ConfirmForm(
        button="Turn the place down" if entry.status == WaitingStatus.OFFERED else "Leave the waiting list",
        button_class="govuk-button--secondary",
    )
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "accept" and accept.is_valid():
                booking = approval.accept_offer(
                    entry=entry, by=request.user, manager_email=accept.cleaned_data.get("manager_email", "")
                )
                if booking.status == BookingStatus.AWAITING_APPROVAL:
                    messages.success(request, "Your place is held. We have e-mailed your line manager to approve it.")
                else:
                    messages.success(request, "Your place is booked. We have sent you a confirmation e-mail.")
                return redirect(booking.get_absolute_url())
            if action == "leave":
                services.leave_waiting_list(entry=entry, by=request.user)
                messages.success(request, "You are no longer on the waiting list.")
                return redirect("training:my_bookings")
        except services.TrainingError as error:
            _error(accept, error)
            entry.refresh_from_db()
    return render(
        request,
        "training/waiting_entry.html",
        {
            "entry": entry,
            "session": entry.session,
            "position": services.waiting_position(entry),
            "accept_form": accept,
            "leave_form": leave,
            "form": accept,
        },
    )


@login_required
@require_safe
def my_bookings(request):
    return render(request, "training/my_bookings.html", {"training": selectors.training_of(request.user)})


@login_required
@GET_POST
def request_place(request, slug: str):
    require(request.user, "training.book_place")
    course = selectors.published_course(slug)
    if course.booking_method != BookingMethod.REQUEST:
        return redirect(course.get_absolute_url())
    sessions = selectors.upcoming_sessions().filter(course=course).order_by("starts_at")
    # Asked from a session's page: that session is the one chosen.
    wanted = request.GET.get("session", "")
    chosen = sessions.filter(pk=int(wanted)).first() if wanted.isdigit() else None
    form = forms.RequestPlaceForm(_data(request), sessions=sessions, initial={"session": chosen})
    if request.method == "POST" and form.is_valid():
        try:
            services.request_place(course=course, person=request.user, by=request.user, **form.cleaned_data)
        except services.TrainingError as error:
            _error(form, error)
        else:
            messages.success(request, "Your request has been sent. The organiser will reply by e-mail.")
            return redirect("training:my_bookings")
    return render(request, "training/request_place.html", {"form": form, "course": course})


# --- Calendar feeds ----------------------------------------------------------------------------


@login_required
@GET_POST
def calendar_feed_settings(request):
    require(request.user, "training.use_calendar_feed")
    form = forms.ConfirmForm(_data(request), button="Make a new address", button_class="govuk-button--warning")
    if request.method == "POST" and form.is_valid():
        services.renew_calendar_feed(person=request.user, by=request.user)
        messages.success(request, "Your calendar has a new address. The old one no longer works.")
        return redirect("training:calendar_feed_settings")
    feed = services.calendar_feed_of(request.user)
    url = request.build_absolute_uri(reverse("training:personal_feed", kwargs={"token": feed.token}))
    return render(request, "training/calendar_feed.html", {"form": form, "feed_url": url})


@require_safe
@never_cache
def personal_feed(request, token: str):
    feed = CalendarFeed.objects.select_related("person").filter(token=token).first()
    if feed is None or not feed.person.is_active:
        raise Http404("No such calendar")
    body = calendar.feed(
        [],
        name="My safeguarding training",
        description="Training I have booked through the safeguarding partnership hub.",
        booked=selectors.feed_bookings(feed.person),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="my-training.ics"'
    return response


# --- Certificates and evaluations --------------------------------------------------------------


@login_required
@require_safe
def certificate(request, pk: int):
    booking = get_object_or_404(Booking.objects.select_related("session__course", "person"), pk=pk)
    require(request.user, "training.view_booking", booking)
    issued = Certificate.objects.filter(booking=booking, revoked_at__isnull=True).first()
    if issued is None or booking.status != BookingStatus.ATTENDED:
        raise Http404("No certificate")
    if booking.person_id != request.user.pk:
        record(action=AuditAction.VIEW, request=request, obj=issued, detail="downloaded another person's certificate")
    response = HttpResponse(documents.certificate_pdf(issued, base_url=_base(request)), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{issued.code}.pdf"'
    return response


def _base(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


@require_safe
def check_certificate(request):
    code = (request.GET.get("code") or "").strip().upper()
    found = None
    if code:
        found = (
            Certificate.objects.select_related("booking__session__course", "completion__item__course")
            .filter(code=code)
            .first()
        )
    return render(
        request, "training/check_certificate.html", {"code": code, "certificate": found, "checked": bool(code)}
    )


@login_required
@GET_POST
def evaluate(request, pk: int):
    booking = get_object_or_404(Booking.objects.select_related("session__course"), pk=pk)
    require(request.user, "training.evaluate", booking)
    form = forms.EvaluationForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_evaluation(booking=booking, by=request.user, **form.cleaned_data)
        except services.TrainingError as error:
            _error(form, error)
        else:
            messages.success(request, "Thank you for your evaluation.")
            return redirect(booking.get_absolute_url())
    return render(request, "training/evaluate.html", {"form": form, "booking": booking, "session": booking.session})


# --- The learning record -----------------------------------------------------------------------


@login_required
@require_safe
def learning_record(request):
    require(request.user, "training.view_learning_record", request.user)
    return render(
        request,
        "training/learning_record.html",
        {"record": selectors.learning_record_of(request.user), "own": True},
    )


def _person_for_record(request, person_id: int) -> User:
    person = get_object_or_404(User.objects.select_related("organisation"), pk=person_id)
    require(request.user, "training.view_learning_record", person)
    return person


@login_required
@require_safe
def person_learning_record(request, person_id: int):
    person = _person_for_record(request, person_id)
    if person.pk != request.user.pk:
        record(action=AuditAction.VIEW, request=request, obj=person, detail="viewed the learning record")
    return render(
        request,
        "training/learning_record.html",
        {"record": selectors.learning_record_of(person), "own": person.pk == request.user.pk},
    )


@login_required
@require_safe
def learning_record_csv(request, person_id: int):
    person = _person_for_record(request, person_id)
    record(action=AuditAction.EXPORT, request=request, obj=person, detail="learning record as CSV")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="learning-record-{person.pk}.csv"'
    writer = csv_writer(response)
    writer.writerow(["Date", "What", "Title", "Provider", "Hours"])
    for item in selectors.learning_record_of(person).items:
        writer.writerow([item.date.isoformat(), item.kind, item.title, item.provider, item.hours])
    return response


@login_required
@require_safe
def learning_record_pdf(request, person_id: int):
    person = _person_for_record(request, person_id)
    record(action=AuditAction.EXPORT, request=request, obj=person, detail="learning record as PDF")
    body = documents.learning_record_pdf(selectors.learning_record_of(person))
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="learning-record-{person.pk}.pdf"'
    return response


@login_required
@GET_POST
def add_outside_training(request):
    require(request.user, "training.keep_learning_record")
    form = forms.OutsideTrainingForm(_data(request), request.FILES if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_outside_training(person=request.user, by=request.user, **form.cleaned_data)
        except services.TrainingError as error:
            _error(form, error)
        else:
            messages.success(request, "The training is in your learning record.")
            return redirect("training:learning_record")
    return render(request, "training/outside_training.html", {"form": form})


@login_required
@require_safe
def outside_training_evidence(request, pk: int):
    entry = get_object_or_404(OutsideTraining.objects.select_related("person"), pk=pk)
    require(request.user, "training.view_evidence", entry)
    if not entry.evidence:
        raise Http404("No evidence")
    if entry.person_id != request.user.pk:
        record(action=AuditAction.VIEW, request=request, obj=entry, detail="opened the evidence")
    suffix = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}.get(entry.evidence_content_type, "bin")
    response = FileResponse(
        entry.evidence.open("rb"),
        content_type=entry.evidence_content_type or "application/octet-stream",
        as_attachment=True,
        filename=f"evidence-{entry.pk}.{suffix}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_safe
def organisation_records(request):
    require(request.user, "training.see_organisation_records")
    people = Paginator(selectors.people_whose_records(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "training/organisation_records.html", {"page": people})


# --- E-learning --------------------------------------------------------------------------------


@GET_POST
def elearning(request, slug: str):
    course = selectors.published_course(slug)
    item = get_object_or_404(ELearningItem, course=course)
    form = forms.KnowledgeCheckForm(_data(request), item=item)
    result = None
    completed = None
    if request.user.is_authenticated:
        completed = ELearningCompletion.objects.filter(item=item, person=request.user).first()
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('account_login')}?next={request.path}")
        require(request.user, "training.take_elearning")
        # No questions yet means no knowledge check to pass.
        if form.questions and form.is_valid():
            result = services.submit_knowledge_check(
                item=item, person=request.user, answers=form.answers(), by=request.user, questions=form.questions
            )
            completed = result.completion or completed
            form = forms.KnowledgeCheckForm(item=item)  # the next attempt: empty, its answers in a new order
    return render(
        request,
        "training/elearning.html",
        {
            "course": course,
            "item": item,
            "form": form,
            "result": result,
            "completed": completed,
            "can_take": can(request.user, "training.take_elearning"),
        },
    )


@login_required
@require_safe
def elearning_certificate(request, slug: str):
    """The certificate of the person's own pass of the course's knowledge check."""
    issued = get_object_or_404(
        Certificate.objects.select_related("completion__item__course", "completion__person"),
        completion__item__course__slug=slug,
        completion__person=request.user,
        revoked_at__isnull=True,
    )
    response = HttpResponse(documents.certificate_pdf(issued, base_url=_base(request)), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{issued.code}.pdf"'
    return response


VIDEO_CONTENT_TYPES = {"mp4": "video/mp4", "webm": "video/webm"}
RANGE = re.compile(r"bytes=(\d*)-(\d*)")


def _item_to_watch(request, slug: str) -> ELearningItem:
    """The e-learning of a published course, or of any course for the business unit checking its work."""
    item = get_object_or_404(ELearningItem.objects.select_related("course"), course__slug=slug)
    if not item.course.is_published and not can(request.user, "training.manage_courses"):
        raise Http404("No such course")
    return item


@login_required
@require_safe
@cache_control(private=True, max_age=3600)
def elearning_video(request, slug: str):
    """The uploaded video, to people signed in. Byte ranges are answered, so browsers can seek (Safari needs it)."""
    item = _item_to_watch(request, slug)
    if not item.video_file:
        raise Http404("No video file")
    suffix = item.video_file.name.rsplit(".", 1)[-1].lower()
    return _ranged_file(request, item.video_file, VIDEO_CONTENT_TYPES.get(suffix, "application/octet-stream"))


@login_required
@require_safe
@cache_control(private=True, max_age=3600)
def elearning_captions(request, slug: str):
    item = _item_to_watch(request, slug)
    if not item.captions_file:
        raise Http404("No captions")
    response = FileResponse(item.captions_file.open("rb"), content_type="text/vtt; charset=utf-8")
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _ranged_file(request, field_file, content_type: str):
    size = field_file.size
    wanted = RANGE.fullmatch(request.headers.get("Range", "").strip())
    if not wanted or not (wanted[1] or wanted[2]):
        response = FileResponse(field_file.open("rb"), content_type=content_type)
    else:
        if wanted[1]:
            start, end = int(wanted[1]), min(int(wanted[2]) if wanted[2] else size - 1, size - 1)
        else:
            start, end = max(size - int(wanted[2]), 0), size - 1
        if start > end:
            response = HttpResponse(status=416)
            response["Content-Range"] = f"bytes */{size}"
            return response
        handle = field_file.open("rb")
        handle.seek(start)
        response = StreamingHttpResponse(_read(handle, end - start + 1), status=206, content_type=content_type)
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
        response["Content-Length"] = str(end - start + 1)
    response["Accept-Ranges"] = "bytes"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _read(handle, length: int, chunk: int = 512 * 1024):
    try:
        while length > 0:
            data = handle.read(min(chunk, length))
            if not data:
                return
            length -= len(data)
            yield data
    finally:
        handle.close()


# --- Registers ---------------------------------------------------------------------------------


@login_required
@GET_POST
def register(request, pk: int):
    session = get_object_or_404(Session.objects.select_related("course"), pk=pk)
    if not can(request.user, "training.view_register", session):
        # Nothing is marked; the page says why in the session's own terms. Refused, so audited as the 403 handler does.
        record(
            action=AuditAction.PERMISSION_DENIED,
            request=request,
            obj=session,
            detail=f"{request.method} {request.path[:200]}: not a trainer of this session or the business unit",
        )
        return render(request, "training/not_your_register.html", {"session": session}, status=403)
    error = None
    if request.method == "POST" and request.POST.get("everyone") == "attended":
        try:
            marked = services.mark_everyone_attended(session=session, by=request.user)
        except services.TrainingError as problem:
            error = str(problem)
        else:
            messages.success(request, f"{len(marked)} {'person' if len(marked) == 1 else 'people'} marked as attended.")
            return redirect("training:register", pk=session.pk)
    elif request.method == "POST":
        form = forms.RegisterMarkForm(request.POST)
        if form.is_valid():
            booking = get_object_or_404(Booking, pk=form.cleaned_data["booking"], session=session)
            try:
                booking = services.mark_register(booking=booking, status=form.cleaned_data["status"], by=request.user)
            except services.TrainingError as problem:
                error = str(problem)
            else:
                messages.success(request, f"{booking.person} marked as {booking.get_status_display().lower()}.")
                return redirect(reverse("training:register", kwargs={"pk": session.pk}) + f"#person-{booking.pk}")
        else:
            error = "Choose attended, absent or cancelled late for one person."
    else:
        record(action=AuditAction.VIEW, request=request, obj=session, detail="opened the register")
    bookings = list(selectors.register_of(session))
    answers = questions.answers_by_booking(bookings)
    for booking in bookings:
        booking.question_answers = answers[booking.pk]
    return render(
        request,
        "training/register.html",
        {
            "session": session,
            "bookings": bookings,
            "error": error,
            "opens_at": services.register_opens_at(session),
            "is_open": timezone.now() >= services.register_opens_at(session) and not session.is_cancelled,
            "marks": [(str(status), status.label) for status in REGISTER_MARKS],
            "counts": {
                status.label: sum(1 for b in bookings if b.status == status)
                for status in (
                    BookingStatus.BOOKED,
                    BookingStatus.ATTENDED,
                    BookingStatus.ABSENT,
                    BookingStatus.CANCELLED_LATE,
                )
            },
        },
        status=400 if error else 200,
    )


@login_required
@require_safe
def register_csv(request, pk: int):
    session = get_object_or_404(Session.objects.select_related("course"), pk=pk)
    require(request.user, "training.view_register", session)
    record(action=AuditAction.EXPORT, request=request, obj=session, detail="register as CSV")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    start = to_london(session.starts_at)
    response["Content-Disposition"] = f'attachment; filename="register-{session.course.slug}-{start:%Y-%m-%d}.csv"'
    writer = csv_writer(response)
    rows = list(selectors.register_of(session))
    answers = questions.answers_by_booking(rows)
    asked = questions.question_headings(answers)
    writer.writerow(["Name", "E-mail", "Organisation", "Access needs", "Status", *asked])
    for row in rows:
        given = {answer.question_text: answer.answer for answer in answers[row.pk]}
        writer.writerow(
            [
                row.person.get_full_name(),
                row.person.email,
                row.organisation.name if row.organisation else "",
                row.access_needs,
                row.get_status_display(),
                *[given.get(heading, "") for heading in asked],
            ]
        )
    return response


@login_required
@require_safe
def teaching(request):
    require(request.user, "training.see_teaching")
    upcoming, past = selectors.sessions_taught_by(request.user)
    return render(request, "training/teaching.html", {"upcoming": upcoming, "past": past})


# --- The business unit's tools -----------------------------------------------------------------


@login_required
@require_safe
def manage(request):
    require(request.user, "training.manage_courses")
    return render(
        request,
        "training/manage/index.html",
        {"figures": selectors.course_figures(), "requests": selectors.open_requests().count()},
    )


@login_required
@GET_POST
def course_form(request, slug: str | None = None):
    require(request.user, "training.manage_courses")
    existing = get_object_or_404(Course, slug=slug) if slug else None
    form = forms.CourseForm(_data(request), instance=existing)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in forms.CourseForm.Meta.fields}
        saved = services.save_course(
            course=existing,
            by=request.user,
            sectors=form.cleaned_data["sectors"],
            topics=list(form.cleaned_data["topics"]),
            **fields,
        )
        messages.success(request, f"{saved.title} is saved.")
        return redirect("training:manage_course", slug=saved.slug)
    return render(request, "training/manage/course_form.html", {"form": form, "course": existing})


@login_required
@require_safe
def manage_course(request, slug: str):
    require(request.user, "training.manage_courses")
    course = get_object_or_404(Course, slug=slug)
    evaluations = Evaluation.objects.filter(booking__session__course=course)
    summary = evaluations.aggregate(average=Avg("rating"), count=Count("pk"))
    spread = {row["rating"]: row["n"] for row in evaluations.values("rating").annotate(n=Count("pk"))}
    return render(
        request,
        "training/manage/course.html",
        {
            "course": course,
            "sessions": selectors.course_sessions_for_organiser(course),
            "summary": summary,
            "spread": [(rating, spread.get(rating, 0)) for rating in (5, 4, 3, 2, 1)],
            "comments": evaluations.exclude(comments="").select_related("booking__session")[:50],
        },
    )


@login_required
@GET_POST
def session_form(request, slug: str | None = None, pk: int | None = None):
    require(request.user, "training.manage_courses")
    existing = get_object_or_404(Session.objects.select_related("course"), pk=pk) if pk else None
    course = existing.course if existing else get_object_or_404(Course, slug=slug)
    initial = forms.SessionForm.initial_from(existing) if existing else {"capacity": 20}
    form = forms.SessionForm(
        _data(request), course=course, initial=initial, current_start=existing.starts_at if existing else None
    )
    if request.method == "POST" and form.is_valid():
        fields = form.session_fields()
        trainers = list(form.cleaned_data["trainers"])
        try:
            if existing:
                saved = services.update_session(session=existing, by=request.user, trainers=trainers, **fields)
            else:
                saved = services.create_session(course=course, by=request.user, trainers=trainers, **fields)
        except services.TrainingError as error:
            _error(form, error)
        else:
            if existing is None:
                messages.success(request, "The session is added.")
            elif saved.bookings.filter(status=BookingStatus.BOOKED).exists():
                messages.success(request, "The session is saved. Anyone booked has been told of any change.")
            else:
                messages.success(request, "The session is saved.")
            return redirect(saved.get_absolute_url())
    return render(request, "training/manage/session_form.html", {"form": form, "course": course, "session": existing})


@login_required
@GET_POST
def copy_session(request, pk: int):
    require(request.user, "training.manage_courses")
    original = get_object_or_404(Session.objects.select_related("course"), pk=pk)
    start = to_london(original.starts_at)
    # A week later, or a week from today when that is already past.
    week_later = max((start + dt.timedelta(days=7)).date(), timezone.localdate() + dt.timedelta(days=7))
    form = forms.CopySessionForm(_data(request), original=original, initial={"date": week_later})
    if request.method == "POST" and form.is_valid():
        try:
            copy = services.copy_session(session=original, starts_at=form.cleaned_data["starts_at"], by=request.user)
        except services.TrainingError as error:
            _error(form, error)
        else:
            messages.success(request, "The session is copied.")
            return redirect(copy.get_absolute_url())
    return render(request, "training/manage/copy_session.html", {"form": form, "session": original})


@login_required
@GET_POST
def cancel_session(request, pk: int):
    require(request.user, "training.manage_courses")
    session = get_object_or_404(Session.objects.select_related("course"), pk=pk)
    form = forms.CancelSessionForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel_session(session=session, reason=form.cleaned_data["reason"], by=request.user)
        except services.TrainingError as error:
            _error(form, error)
        else:
            messages.success(request, "The session is cancelled. Everyone booked or waiting has been told.")
            return redirect("training:manage_course", slug=session.course.slug)
    return render(request, "training/manage/cancel_session.html", {"form": form, "session": session})


@login_required
@require_safe
def requests(request):
    require(request.user, "training.decide_request")
    return render(request, "training/manage/requests.html", {"requests": selectors.open_requests()})


@login_required
@GET_POST
def decide_request(request, pk: int):
    booking_request = get_object_or_404(
        BookingRequest.objects.select_related("course", "session", "person", "organisation"), pk=pk
    )
    require(request.user, "training.decide_request", booking_request)
    sessions = selectors.upcoming_sessions().filter(course=booking_request.course).order_by("starts_at")
    form = forms.DecideRequestForm(_data(request), sessions=sessions, initial={"session": booking_request.session})
    if request.method == "POST" and form.is_valid():
        try:
            services.decide_request(
                booking_request=booking_request,
                accept=form.cleaned_data["decision"] == "accept",
                session=form.cleaned_data["session"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except services.TrainingError as error:
            _error(form, error)
        else:
            messages.success(request, "Your decision is saved and the person has been told.")
            return redirect("training:requests")
    return render(request, "training/manage/decide_request.html", {"form": form, "booking_request": booking_request})


# --- Writing e-learning (the business unit) ----------------------------------------------------


def _elearning_course(slug: str) -> Course:
    return get_object_or_404(Course, slug=slug, delivery=Delivery.ELEARNING)


@login_required
@require_safe
def manage_elearning(request, slug: str):
    require(request.user, "training.manage_courses")
    course = _elearning_course(slug)
    item = ELearningItem.objects.filter(course=course).first()
    questions = list(item.questions.prefetch_related("answers")) if item else []
    return render(
        request,
        "training/manage/elearning.html",
        {
            "course": course,
            "item": item,
            "questions": questions,
            "right_to_pass": item.right_answers_to_pass(len(questions)) if item else 0,
            "completions": item.completions.count() if item else 0,
        },
    )


@login_required
@GET_POST
def elearning_form(request, slug: str):
    require(request.user, "training.manage_courses")
    course = _elearning_course(slug)
    item = ELearningItem.objects.filter(course=course).first()
    form = forms.ELearningItemForm(_data(request), request.FILES if request.method == "POST" else None, item=item)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_elearning(
                course=course,
                by=request.user,
                video_file=form.cleaned_data["video_file"],
                captions_file=form.cleaned_data["captions_file"],
                remove_video=form.cleaned_data.get("remove_video", False),
                **form.item_fields(),
            )
        except services.TrainingError as error:
            _error(form, error)
        else:
            messages.success(request, "The e-learning is saved.")
            return redirect("training:manage_elearning", slug=course.slug)
    return render(request, "training/manage/elearning_form.html", {"form": form, "course": course, "item": item})


@login_required
@GET_POST
def question_form(request, slug: str | None = None, pk: int | None = None):
    require(request.user, "training.manage_courses")
    question = get_object_or_404(Question.objects.select_related("item__course"), pk=pk) if pk else None
    item = (
        question.item
        if question
        else get_object_or_404(ELearningItem.objects.select_related("course"), course__slug=slug)
    )
    form = forms.QuestionForm(_data(request), question=question)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_question(
                item=item,
                question=question,
                by=request.user,
                text=form.cleaned_data["text"],
                choices=form.cleaned_data["choices"],
                correct=form.cleaned_data["correct_index"],
                feedback=form.cleaned_data.get("feedback", ""),
            )
        except services.TrainingError as error:
            _error(form, error)
        else:
            messages.success(request, f"Question {saved.number} is saved.")
            return redirect("training:manage_elearning", slug=item.course.slug)
    return render(
        request,
        "training/manage/question_form.html",
        {"form": form, "course": item.course, "item": item, "question": question},
    )


@login_required
@GET_POST
def question_delete(request, pk: int):
    require(request.user, "training.manage_courses")
    question = get_object_or_404(Question.objects.select_related("item__course"), pk=pk)
    form = forms.ConfirmForm(_data(request), button="Delete the question", button_class="govuk-button--warning")
    if request.method == "POST" and form.is_valid():
        services.delete_question(question=question, by=request.user)
        messages.success(request, f"Question {question.number} is deleted.")
        return redirect("training:manage_elearning", slug=question.item.course.slug)
    return render(
        request,
        "training/manage/question_delete.html",
        {"form": form, "question": question, "course": question.item.course},
    )
