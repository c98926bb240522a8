"""Booking questions: the business unit sets them per course; answers are kept with the booking (or the
waiting list entry) and shown only where the register is: to the session's trainers and the business unit."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Max, Q

from apps.audit.models import AuditAction
from apps.audit.services import record

from .models import Booking, BookingAnswer, BookingQuestion, Course, WaitingListEntry

if TYPE_CHECKING:
    from apps.accounts.models import User


def save_question(*, course: Course, by: User, question: BookingQuestion | None = None, **fields) -> BookingQuestion:
    with transaction.atomic():
        Course.objects.select_for_update().get(pk=course.pk)
        created = question is None
        if question is None:
            number = (course.booking_questions.aggregate(n=Max("number"))["n"] or 0) + 1
            question = BookingQuestion(course=course, number=number)
        for name, value in fields.items():
            setattr(question, name, value.strip() if isinstance(value, str) else value)
        question.save()
        record(
            action=AuditAction.CREATE if created else AuditAction.CHANGE,
            actor=by,
            obj=course,
            detail=f"{'added' if created else 'changed'} booking question {question.number}: {question.text[:100]}",
        )
        return question


def delete_question(*, question: BookingQuestion, by: User) -> None:
    """Answers already given keep the question's text."""
    with transaction.atomic():
        course = Course.objects.select_for_update().get(pk=question.course_id)
        number, text = question.number, question.text
        question.delete()
        for later in course.booking_questions.filter(number__gt=number).order_by("number"):
            later.number -= 1
            later.save(update_fields=["number"])
        record(action=AuditAction.DELETE, actor=by, obj=course, detail=f"deleted booking question {number}: {text}")


def save_answers(
    answers: list[tuple[BookingQuestion, str]],
    *,
    booking: Booking | None = None,
    entry: WaitingListEntry | None = None,
) -> None:
    BookingAnswer.objects.bulk_create(
        BookingAnswer(booking=booking, waiting_entry=entry, question=question, question_text=question.text, answer=text)
        for question, text in answers
    )


def answers_by_booking(bookings: list[Booking]) -> dict[int, list[BookingAnswer]]:
    """The answers of each booking: given when booking, or when joining the waiting list it came from."""
    ids = [booking.pk for booking in bookings]
    found: dict[int, list[BookingAnswer]] = {pk: [] for pk in ids}
    if not ids:
        return found
    entries = dict(WaitingListEntry.objects.filter(booking_id__in=ids).values_list("pk", "booking_id"))
    rows = BookingAnswer.objects.filter(Q(booking_id__in=ids) | Q(waiting_entry_id__in=list(entries))).order_by("pk")
    for answer in rows:
        owner = answer.booking_id or entries.get(answer.waiting_entry_id)
        if owner in found:
            found[owner].append(answer)
    return found


def question_headings(bookings_answers: dict[int, list[BookingAnswer]]) -> list[str]:
    """The register CSV's extra columns: every question answered, in the order first asked."""
    headings: list[str] = []
    for answers in bookings_answers.values():
        for answer in answers:
            if answer.question_text not in headings:
                headings.append(answer.question_text)
    return headings
