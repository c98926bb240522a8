"""Demo training from the partnership's news page (February 2024), plus upcoming sessions to book.

The seed's dates become past sessions with registers. Each course also gets upcoming sessions at
the same times of day, in the weeks after the day the demo is first loaded. Sessions are keyed by
course and a stable slot number, never by date, so loading again (on any later day) changes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from apps.accounts.models import AccountStatus, Organisation, Sector, User

from .forms import london_datetime
from .models import (
    Answer,
    Booking,
    BookingMethod,
    BookingRequest,
    BookingStatus,
    Certificate,
    Course,
    CourseAudience,
    Delivery,
    ELearningItem,
    Evaluation,
    OutsideTraining,
    Question,
    Session,
    Topic,
)

ALL_SECTORS = [sector for sector, _ in Sector.choices]
WEST_OFFICES = "West Offices, Station Rise, York YO1 6GA"
ALL_ROLES = "All roles, from front line workers to senior managers"
ALL_PARTNERS = (
    "Open to all multi-agency partners, including children's and adult social care, police, health, "
    "the local authority, education and the voluntary sector."
)

TOPICS = {
    "practice-model": "Practice model",
    "children-in-care": "Children in care",
    "allegations": "Allegations against people who work with children",
    "radicalisation": "Radicalisation and extremism",
    "exploitation": "Child exploitation",
    "mental-health": "Parental mental health",
}


@dataclass(frozen=True)
class Slot:
    day: dt.date
    start: dt.time
    end: dt.time


@dataclass(frozen=True)
class DemoCourse:
    slug: str
    title: str
    summary: str
    description: str
    outcomes: list[str]
    provider: str
    delivery: str
    booking_method: str
    topics: list[str]
    sectors: list[str] = field(default_factory=lambda: ALL_SECTORS)
    audience_roles: str = ALL_ROLES
    seed_slots: list[Slot] = field(default_factory=list)
    capacity: int = 30
    external_url: str = ""
    external_name: str = ""
    contact_email: str = ""
    trained_by_demo_trainer: bool = False


def t(hour: int, minute: int = 0) -> dt.time:
    return dt.time(hour, minute)


COURSES = [
    DemoCourse(
        slug="building-brighter-futures-briefing",
        title="Building Brighter Futures practice model: partner briefing",
        summary="A free briefing from Children's Social Care on the new Building Brighter Futures practice model.",
        description=(
            "Colleagues within Children's Social Care are hosting a free briefing session for multi-agency "
            "partners. " + ALL_PARTNERS
        ),
        outcomes=[
            "An overview of the Building Brighter Futures practice model",
            "Signs of Safety: a relationship grounded, safety organised approach to child protection practice",
            "Family Seeing: engaging networks of family members and other important adults to promote the "
            "safety, healthy development and healing of children and young people",
            "A child's journey within Children's Social Care using the new practice model, and what it means "
            "for partners",
            "A chance to meet Signs of Safety practice leaders and ask questions",
        ],
        provider="City of York Council Children's Social Care",
        delivery=Delivery.ONLINE,
        booking_method=BookingMethod.HUB,
        topics=["practice-model"],
        seed_slots=[Slot(dt.date(2024, 3, 19), t(13), t(14))],
        capacity=40,
        trained_by_demo_trainer=True,
    ),
    DemoCourse(
        slug="together-we-can-briefing",
        title="Together WE Can: partner briefing",
        summary="Find out about Together, WE Can: York's new residential, outreach, accommodation and support "
        "service for children and young people, based on the No Wrong Door model.",
        description=(
            "City of York Council is launching a service supporting children and young people on the edge of "
            "care, in the children's home at Wenlock Terrace, from residential care into independence, and aged "
            "16 to 18 in supported accommodation. " + ALL_PARTNERS
        ),
        outcomes=[
            "The four strands of the model: outreach and edge of care, staying close, residential, and supported "
            "accommodation",
            "How the No Wrong Door model developed in North Yorkshire works",
            "How partners work with the Together, WE Can team",
        ],
        provider="City of York Council Children's Social Care",
        delivery=Delivery.IN_PERSON,
        booking_method=BookingMethod.HUB,
        topics=["children-in-care"],
        seed_slots=[
            Slot(dt.date(2024, 2, 19), t(10), t(11)),
            Slot(dt.date(2024, 2, 22), t(13), t(14)),
            Slot(dt.date(2024, 2, 29), t(16, 30), t(17, 30)),
        ],
        capacity=12,
        trained_by_demo_trainer=True,
    ),
    DemoCourse(
        slug="managing-allegations-lado-briefing",
        title="Managing allegations: good practice briefing with the LADO",
        summary="A free virtual session from the Local Authority Designated Officer (LADO) on managing "
        "allegations against people who work with children.",
        description=(
            "Delivered by Michelle Turner, LADO. The session covers advice and guidance to employers and "
            "voluntary organisations, procedures for identified cases, relevant themes such as low level "
            "concerns, and a chance to ask questions. Places are given by request: the LADO's team replies "
            "to each one."
        ),
        outcomes=[
            "Advice and guidance for employers and voluntary organisations",
            "Procedures for identified cases",
            "Low level concerns and other themes identified locally",
        ],
        provider="Local Authority Designated Officer (LADO), City of York Council",
        delivery=Delivery.ONLINE,
        booking_method=BookingMethod.REQUEST,
        topics=["allegations"],
        sectors=[Sector.EARLY_YEARS],
        audience_roles="Early years and childcare designated safeguarding leads and deputies, and any other staff "
        "or committee members who would benefit",
        seed_slots=[Slot(dt.date(2024, 5, 14), t(18, 15), t(19, 30))],
        capacity=25,
        contact_email="lado@example.org",
    ),
    DemoCourse(
        slug="prevent-awareness",
        title="PREVENT awareness",
        summary="Free PREVENT awareness sessions delivered by North Yorkshire Police.",
        description="Booked online at EventBrite.",
        outcomes=[
            "Strategy and legislation, including CONTEST, the Counter Terrorism and Security Act and the Prevent duty",
            "National counter-terrorism threats",
            "The North Yorkshire and York context and risks",
            "Signs and symbols of the far right",
            "Making a Prevent referral in North Yorkshire, with case studies",
        ],
        provider="North Yorkshire Police",
        delivery=Delivery.IN_PERSON,
        booking_method=BookingMethod.EXTERNAL,
        topics=["radicalisation"],
        seed_slots=[
            Slot(dt.date(2024, 3, 18), t(10), t(11, 30)),
            Slot(dt.date(2024, 6, 24), t(10), t(11, 30)),
            Slot(dt.date(2024, 9, 16), t(10), t(11, 30)),
            Slot(dt.date(2024, 12, 9), t(10), t(11, 30)),
        ],
        external_url="https://www.eventbrite.co.uk/d/united-kingdom--york/prevent-awareness/",
        external_name="EventBrite",
    ),
    DemoCourse(
        slug="lookcloser-programme",
        title="#LookCloser programme of learning",
        summary="Free sessions from The Children's Society to help professionals protect children and young "
        "people from exploitation and abuse.",
        description=(
            "Monday sessions: Digital lives and online exploitation. Thursday sessions: Preventing and "
            "disrupting child exploitation within the night time economy. Designed for many professional "
            "audiences: please share with anyone who may benefit. Booked on The Children's Society's website."
        ),
        outcomes=[
            "Digital lives and online exploitation",
            "Preventing and disrupting child exploitation within the night time economy",
        ],
        provider="The Children's Society",
        delivery=Delivery.ONLINE,
        booking_method=BookingMethod.EXTERNAL,
        topics=["exploitation"],
        seed_slots=[
            Slot(dt.date(2024, 2, 5), t(14), t(15, 30)),
            Slot(dt.date(2024, 2, 15), t(10), t(11, 30)),
        ],
        external_url="https://www.childrenssociety.org.uk/what-we-do/our-work/preventing-child-sexual-exploitation",
        external_name="The Children's Society's website",
    ),
    DemoCourse(
        slug="pamic-tool-training",
        title="Parental Mental Health and the Impact on Children (PAMIC) tool",
        summary="A training video explaining the PAMIC tool, with a short knowledge check.",
        description="",
        outcomes=[
            "When to use the PAMIC tool",
            "Weighing likelihood and severity of impact",
            "Protective factors and professional judgement",
        ],
        provider="City of York Safeguarding Children Partnership",
        delivery=Delivery.ELEARNING,
        booking_method=BookingMethod.HUB,
        topics=["mental-health"],
    ),
]

PAMIC_BODY = (
    "The PAMIC tool is used by professionals when considering how likely it is, and with what severity, that "
    "an adult's mental ill health will have an impact on a child.\n\n"
    "It asks the practitioner to think about the nature of the risk and also the protective factors for the "
    "child, so it includes the practitioner's professional judgement.\n\n"
    "Work through the tool with the case in front of you: record what you know, what you are worried about, "
    "and what keeps the child safe, then weigh them together."
)
# The partnership's public page of practice tools, where the PAMIC tool and its training are found.
PAMIC_VIDEO = "https://www.saferchildrenyork.org.uk/resources/cyscp-documents-resources/6"
PAMIC_QUESTIONS = [
    (
        "What does the PAMIC tool help a professional consider?",
        [
            ("How likely, and how severe, the impact of an adult's mental ill health on a child is", True),
            ("Whether an adult should be detained under the Mental Health Act", False),
            ("Which school a child should attend", False),
        ],
    ),
    (
        "Besides the nature of the risk, what does the tool ask you to think about?",
        [
            ("The protective factors for the child", True),
            ("The adult's employment history", False),
            ("Nothing else: the score decides", False),
        ],
    ),
    (
        "What part does professional judgement play?",
        [
            ("It is part of the tool: the practitioner weighs risks and protective factors", True),
            ("None: the tool replaces professional judgement", False),
        ],
    ),
]

# People who attended the seed sessions, for the registers. They cannot sign in.
ATTENDEES = [
    ("aisha.khan@demo.example.org", "Aisha", "Khan", "York and Scarborough Teaching Hospitals NHS Foundation Trust"),
    ("ben.walker@demo.example.org", "Ben", "Walker", "North Yorkshire Police"),
    ("chloe.martin@demo.example.org", "Chloe", "Martin", "Little Acorns Nursery"),
    ("david.owen@demo.example.org", "David", "Owen", "York Youth Action"),
    ("emma.price@demo.example.org", "Emma", "Price", "City of York Council"),
]
MARKS = [
    BookingStatus.ATTENDED,
    BookingStatus.ATTENDED,
    BookingStatus.ABSENT,
    BookingStatus.ATTENDED,
    BookingStatus.CANCELLED_LATE,
]


def first_on_or_after(day: dt.date, weekday: int) -> dt.date:
    return day + dt.timedelta(days=(weekday - day.weekday()) % 7)


def upcoming_slots(seed: list[Slot], today: dt.date) -> list[Slot]:
    """One upcoming session per seed session, one a week from next week, on the seed's weekday and times.
    Courses with one seed session get two, so something is always there to book."""
    pattern = seed if len(seed) > 1 else seed * 2
    start = today + dt.timedelta(days=7)
    return [
        Slot(first_on_or_after(start + dt.timedelta(weeks=week), slot.day.weekday()), slot.start, slot.end)
        for week, slot in enumerate(pattern)
    ]


def _people() -> tuple[User | None, User | None, list[User]]:
    practitioner = User.objects.filter(email="practitioner@example.org").first()
    trainer = User.objects.filter(email="trainer@example.org").first()
    attendees = []
    for email, first, last, organisation in ATTENDEES:
        person, created = User.objects.get_or_create(
            email=email,
            defaults={
                "first_name": first,
                "last_name": last,
                "organisation": Organisation.objects.filter(name=organisation).first(),
                "status": AccountStatus.ACTIVE,
            },
        )
        if created:
            person.set_unusable_password()
            person.save()
        attendees.append(person)
    return practitioner, trainer, attendees


def _course(spec: DemoCourse) -> Course:
    course, created = Course.objects.get_or_create(
        slug=spec.slug,
        defaults={
            "title": spec.title,
            "summary": spec.summary,
            "description": spec.description,
            "learning_outcomes": "\n".join(spec.outcomes),
            "provider": spec.provider,
            "delivery": spec.delivery,
            "booking_method": spec.booking_method,
            "external_booking_url": spec.external_url,
            "external_booking_name": spec.external_name,
            "contact_email": spec.contact_email,
            "audience_roles": spec.audience_roles,
        },
    )
    if created:
        for slug in spec.topics:
            course.topics.add(Topic.objects.get_or_create(slug=slug, defaults={"name": TOPICS[slug]})[0])
        for sector in spec.sectors:
            CourseAudience.objects.get_or_create(course=course, sector=sector)
    return course


def _session(course: Course, spec: DemoCourse, number: int, slot: Slot, trainer: User | None) -> Session:
    session, created = Session.objects.get_or_create(
        course=course,
        number=number,
        defaults={
            "starts_at": london_datetime(slot.day, slot.start),
            "ends_at": london_datetime(slot.day, slot.end),
            "capacity": spec.capacity,
            "venue": WEST_OFFICES if spec.delivery == Delivery.IN_PERSON else "",
            "joining_link": f"https://meet.example.org/{spec.slug}-{number}"
            if spec.delivery == Delivery.ONLINE
            else "",
        },
    )
    if created and trainer is not None and spec.trained_by_demo_trainer:
        session.trainers.add(trainer)
    return session


def _booking(session: Session, person: User, status: str, **extra) -> Booking:
    booking, created = Booking.objects.get_or_create(
        session=session,
        person=person,
        defaults={
            "organisation": person.organisation,
            "status": status,
            "booked_at": session.starts_at - dt.timedelta(days=14),
            "marked_at": session.ends_at if status != BookingStatus.BOOKED else None,
            **extra,
        },
    )
    if created and status == BookingStatus.ATTENDED:
        Certificate.objects.get_or_create(
            booking=booking, defaults={"code": Certificate.new_code(), "issued_at": session.ends_at}
        )
    return booking


def _elearning(course: Course) -> None:
    item, created = ELearningItem.objects.get_or_create(
        course=course, defaults={"body": PAMIC_BODY, "video_url": PAMIC_VIDEO, "minutes": 20, "pass_mark": 66}
    )
    if not created:
        # Demo databases loaded before the item had its video get the link; one given a video since keeps it.
        if not item.video_url and not item.video_file:
            ELearningItem.objects.filter(pk=item.pk).update(video_url=PAMIC_VIDEO)
        return
    for number, (text, answers) in enumerate(PAMIC_QUESTIONS, start=1):
        question = Question.objects.create(item=item, number=number, text=text)
        for answer_number, (answer, correct) in enumerate(answers, start=1):
            Answer.objects.create(question=question, number=answer_number, text=answer, is_correct=correct)


def load(stdout=None) -> None:
    today = timezone.localdate()
    practitioner, trainer, attendees = _people()
    sessions: dict[str, list[Session]] = {}
    for spec in COURSES:
        course = _course(spec)
        if spec.delivery == Delivery.ELEARNING:
            _elearning(course)
            continue
        seeded = [_session(course, spec, n, slot, trainer) for n, slot in enumerate(spec.seed_slots, start=1)]
        first_upcoming = len(spec.seed_slots) + 1
        # Upcoming sessions are dated from the day they are first made; after that their slot exists.
        upcoming = [
            _session(course, spec, first_upcoming + n, slot, trainer)
            for n, slot in enumerate(upcoming_slots(spec.seed_slots, today))
        ]
        sessions[spec.slug] = seeded + upcoming
        if spec.booking_method == BookingMethod.EXTERNAL:
            continue
        for session in seeded:
            for person, mark in zip(attendees, MARKS, strict=True):
                _booking(session, person, mark)
    bbf = sessions["building-brighter-futures-briefing"]
    twc = sessions["together-we-can-briefing"]
    lado = sessions["managing-allegations-lado-briefing"]
    if practitioner is not None:
        attended = _booking(bbf[0], practitioner, BookingStatus.ATTENDED, access_needs="Captions, please")
        _booking(twc[1], practitioner, BookingStatus.ATTENDED)
        Evaluation.objects.get_or_create(
            booking=attended,
            defaults={"rating": 5, "comments": "Clear about what the practice model means for schools."},
        )
        _booking(bbf[1], practitioner, BookingStatus.BOOKED)
        OutsideTraining.objects.get_or_create(
            person=practitioner,
            title="Designated safeguarding lead refresher",
            defaults={
                "provider": "York Schools Safeguarding Service",
                "completed_on": dt.date(2024, 1, 16),
                "hours": 6,
            },
        )
    # The first upcoming Together WE Can session is full, so the demo can join its waiting list.
    for person in attendees:
        _booking(twc[3], person, BookingStatus.BOOKED)
    Session.objects.filter(pk=twc[3].pk, capacity__gt=len(attendees)).update(capacity=len(attendees))
    chloe = attendees[2]
    BookingRequest.objects.get_or_create(
        course=lado[0].course,
        person=chloe,
        session=lado[1],
        defaults={
            "organisation": chloe.organisation,
            "message": "I am the deputy designated safeguarding lead at our nursery.",
        },
    )
    from . import demo_coordinator

    demo_coordinator.load(stdout)
    from . import demo_ontheday

    demo_ontheday.load(sessions=sessions, trainer=trainer, attendees=attendees, practitioner=practitioner)
    if stdout is not None:
        stdout.write(f"Training: {len(COURSES)} courses, {Session.objects.count()} sessions.")
