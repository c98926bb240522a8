"""The awareness days and weeks that the partnership's news page promotes (../shared/seed). Idempotent.

All three happen every year (the seed says so of each), so all three repeat yearly from their 2024
dates. Safer Sleep Week and Young Carers Action Day move a little from year to year, and their note
says so.
"""

from __future__ import annotations

import datetime as dt

from .models import AwarenessEvent

# What the first demo loader wrote: one-off 2024 events. A database it made is brought up to date,
# unless someone has since edited these fields in /cms/ (then their edit stands).
ONE_OFF_2024_NOTE = "It takes place every year in March, but its dates change each year: these are the 2024 dates."
EARLIER_VERSIONS = {
    "safer-sleep-week": {
        "recurs_yearly": False,
        "dates_note": "Safer Sleep Week is an annual campaign. " + ONE_OFF_2024_NOTE,
    },
    "young-carers-action-day": {
        "recurs_yearly": False,
        "dates_note": "Young Carers Action Day is an annual event. " + ONE_OFF_2024_NOTE,
    },
}

EVENTS = [
    {
        "slug": "national-child-exploitation-awareness-day",
        "title": "National Child Exploitation Awareness Day (CEADay)",
        "start_date": dt.date(2024, 3, 18),
        "end_date": None,
        "recurs_yearly": True,
        "dates_note": "",
        "organiser": "National Child Exploitation Awareness Day (NWG Network)",
        "link": "https://www.nwgnetwork.org/",
        "description": (
            "The National Child Exploitation Awareness Day (CEADay) takes place on 18 March annually. It is a great "
            "way to highlight the issues surrounding child exploitation, encouraging everyone to think, spot and "
            "speak out against abuse and adopt a zero tolerance to adults developing inappropriate relationships "
            "with children or children exploiting and abusing their peers.\n\n"
            "Join the conversation on social media at #CEADay."
        ),
    },
    {
        "slug": "safer-sleep-week",
        "title": "Safer Sleep Week",
        "start_date": dt.date(2024, 3, 11),
        "end_date": dt.date(2024, 3, 17),
        "recurs_yearly": True,
        "dates_note": (
            "Safer Sleep Week is an annual campaign in March, but its dates change each year: the calendar "
            "repeats the 2024 dates, so check the Lullaby Trust website for this year's."
        ),
        "organiser": "The Lullaby Trust",
        "link": "https://www.lullabytrust.org.uk/",
        "description": (
            "Safer Sleep Week is a national campaign which takes place annually in March. Visit the Lullaby Trust "
            "website for further information, including a resource pack, safer sleep leaflets and videos."
        ),
    },
    {
        "slug": "young-carers-action-day",
        "title": "Young Carers Action Day",
        "start_date": dt.date(2024, 3, 13),
        "end_date": None,
        "recurs_yearly": True,
        "dates_note": (
            "Young Carers Action Day is an annual event in March, but its date changes each year: the calendar "
            "repeats the 2024 date, so check the Carers Trust website for this year's."
        ),
        "organiser": "Carers Trust",
        "link": "https://carers.org/",
        "description": (
            "Young Carers Action Day (YCAD) is an annual event organised by Carers Trust: a day of recognition and "
            "action for young carers and young adult carers across the UK.\n\n"
            "In the run up to York Carers Action Day, local MPs and schools will be written to across York to raise "
            "awareness of children and young people with caring responsibilities and the support that is available "
            "to them."
        ),
    },
]


def load(stdout=None) -> None:
    for values in EVENTS:
        values = dict(values)
        slug = values.pop("slug")
        event, created = AwarenessEvent.objects.get_or_create(slug=slug, defaults=values)
        if created:
            if stdout is not None:
                stdout.write(f"Awareness calendar: added {values['title']}")
            continue
        earlier = EARLIER_VERSIONS.get(slug, {})
        if earlier and all(getattr(event, name) == value for name, value in earlier.items()):
            for name in earlier:
                setattr(event, name, values[name])
            event.save(update_fields=[*earlier, "updated_at"])
            if stdout is not None:
                stdout.write(f"Awareness calendar: {values['title']} now repeats every year")
