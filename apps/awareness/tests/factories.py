from __future__ import annotations

import datetime as dt

import factory

from apps.awareness.models import AwarenessEvent


class AwarenessEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AwarenessEvent
        django_get_or_create = ("slug",)

    title = factory.Sequence(lambda n: f"Awareness Day {n}")
    slug = factory.Sequence(lambda n: f"awareness-day-{n}")
    start_date = dt.date(2024, 3, 18)
    organiser = "A national charity"
    link = "https://charity.example.org/day"
    description = "What the day is for.\n\nHow to take part."
    published = True


def ceaday(**kwargs) -> AwarenessEvent:
    return AwarenessEventFactory(
        title="National Child Exploitation Awareness Day (CEADay)",
        slug="national-child-exploitation-awareness-day",
        start_date=dt.date(2024, 3, 18),
        recurs_yearly=True,
        organiser="National Child Exploitation Awareness Day (NWG Network)",
        link="https://www.nwgnetwork.org/",
        **kwargs,
    )


def safer_sleep_week(**kwargs) -> AwarenessEvent:
    return AwarenessEventFactory(
        title="Safer Sleep Week",
        slug="safer-sleep-week",
        start_date=dt.date(2024, 3, 11),
        end_date=dt.date(2024, 3, 17),
        organiser="The Lullaby Trust",
        link="https://www.lullabytrust.org.uk/",
        **kwargs,
    )
