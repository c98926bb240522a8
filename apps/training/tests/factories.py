from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from apps.accounts.tests.factories import UserFactory
from apps.training.models import (
    Answer,
    Booking,
    BookingMethod,
    Course,
    Delivery,
    ELearningItem,
    Question,
    Session,
    Topic,
    WaitingListEntry,
)


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course

    title = factory.Sequence(lambda n: f"Safeguarding briefing {n}")
    slug = factory.Sequence(lambda n: f"safeguarding-briefing-{n}")
    summary = "A briefing for partners on keeping children safe."
    learning_outcomes = "Know the model\nKnow who to call"
    delivery = Delivery.IN_PERSON
    booking_method = BookingMethod.HUB


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session
        skip_postgeneration_save = True

    course = factory.SubFactory(CourseFactory)
    number = factory.Sequence(lambda n: n + 1)
    starts_at = factory.LazyFunction(lambda: (timezone.now() + dt.timedelta(days=7)).replace(microsecond=0))
    ends_at = factory.LazyAttribute(lambda s: s.starts_at + dt.timedelta(hours=1))
    capacity = 20
    venue = "West Offices, Station Rise, York"

    @factory.post_generation
    def trainers(self, create, extracted, **kwargs):
        if create and extracted:
            self.trainers.set(extracted)


class BookingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Booking

    session = factory.SubFactory(SessionFactory)
    person = factory.SubFactory(UserFactory)
    organisation = factory.LazyAttribute(lambda b: b.person.organisation)


class WaitingListEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WaitingListEntry

    session = factory.SubFactory(SessionFactory)
    person = factory.SubFactory(UserFactory)
    organisation = factory.LazyAttribute(lambda e: e.person.organisation)


class ELearningItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ELearningItem
        skip_postgeneration_save = True

    course = factory.SubFactory(CourseFactory, delivery=Delivery.ELEARNING, booking_method=BookingMethod.HUB)
    video_url = "https://example.org/video"
    body = "Watch the video.\n\nThen answer the questions."
    minutes = 30
    pass_mark = 50

    @factory.post_generation
    def questions(self, create, extracted, **kwargs):
        if not create:
            return
        for number in (1, 2):
            question = Question.objects.create(item=self, number=number, text=f"Question {number}?")
            Answer.objects.create(question=question, number=1, text="Right", is_correct=True)
            Answer.objects.create(question=question, number=2, text="Wrong", is_correct=False)
