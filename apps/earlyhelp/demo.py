"""Demo early help records: six fictional families, one at each stage, made through the services as the
practitioners would have made them over the past months.

- the Brambleworth family: an assessment still being written (a draft);
- the Quillfeather family: an open plan whose review is due in a few days;
- the Puddingstone family: an open plan whose review is two weeks overdue;
- the Marrowby family: stepped up to the Targeted Intervention Service;
- the Honeysett family: closed, its outcomes achieved;
- the Thistledown family: led by the health visitor, while the school has sent a Targeted Intervention
  Service request about the same child under another spelling. Neither knows of the other: the pair waits
  in the Supporting Families team's linkage review queue, to link the agencies together.

The lead is practitioner@example.org (the school); the health visitor is in the team around two families and
leads the Thistledowns; colleague@example.org (the same school, in no family's team) is refused every record.
Dates in the past are made by running the services at that date (freezegun), so the chronology, the reviews
and the audit trail agree. Each family is made once, kept by its name and who started it: loading again
changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from django.utils import timezone

from apps.accounts.models import Organisation, User

from . import selectors, services
from .models import ActionStatus, ClosureReason, Family, MemberRole, Outcome, PlanAction, Service

LEAD = "practitioner@example.org"
HEALTH_VISITOR = "health.visitor@example.org"
COLLEAGUE = "colleague@example.org"
SCHOOL = "Clifton Green Primary School"
HEALTH = "York and Scarborough Teaching Hospitals NHS Foundation Trust"
COUNCIL = "City of York Council"

DRAFT = "The Brambleworth family"
REVIEW_DUE = "The Quillfeather family"
REVIEW_OVERDUE = "The Puddingstone family"
STEPPED_UP = "The Marrowby family"
CLOSED = "The Honeysett family"
TWO_AGENCIES = "The Thistledown family"

# The Thistledown child as the health visitor's record holds her, and as the school spelt her on its request.
THISTLEDOWN_CHILD = {
    "first_name": "Elowen",
    "surname": "Thistledown",
    "date_of_birth": dt.date(2016, 2, 11),
    "sex": "f",
    "address": "4 Makebelieve Mews, York",
    "postcode": "YO31 0YY",
}
SCHOOL_SPELLING = "Elowyn Thistledowne"


@contextmanager
def days_ago(days: int) -> Iterator[None]:
    """Run the services as if it were `days` days ago (the clock still ticks, so times keep their order)."""
    if days <= 0:
        yield
        return
    from freezegun import freeze_time

    with freeze_time(timezone.now() - dt.timedelta(days=days), tick=True):
        yield


def today() -> dt.date:
    return timezone.localdate()


def _consent(name: str, *agencies: Organisation) -> services.ConsentGiven:
    return services.ConsentGiven(
        given_by_name=name, given_by="parent_carer", given_on=today(), method="written", agencies=list(agencies)
    )


def _person(role: str, first_name: str, surname: str, born: dt.date | None, sex: str = "", **more) -> dict:
    return {
        "role": role,
        "first_name": first_name,
        "surname": surname,
        "date_of_birth": born,
        "sex": sex,
        **more,
    }


def _start(lead: User, name: str, home: tuple[str, str], carer: dict, children: list[dict], agencies) -> Family:
    address, postcode = home
    family = services.start_assessment(
        by=lead,
        family_name=name,
        postcode=postcode,
        consent=_consent(f"{carer['first_name']} {carer['surname']}", *agencies),
    )
    for person in [carer, *children]:
        services.add_member(family=family, by=lead, data={"address": address, "postcode": postcode, **person})
    return family


def _assess(family: Family, lead: User, story: dict) -> None:
    """All three sections of the assessment, saved as the lead writes them, then signed off."""
    assessment = family.assessments.get()
    services.save_assessment(assessment=assessment, by=lead, data=story)
    services.complete_assessment(assessment=assessment, by=lead)


def _plan(family: Family, lead: User, outcomes: list[tuple[str, str, list[tuple[str, str, int]]]]) -> None:
    for headline, description, actions in outcomes:
        outcome = services.add_plan_outcome(family=family, headline=headline, description=description, by=lead)
        for what, who, in_days in actions:
            services.add_action(
                outcome=outcome, what=what, who=who, due_on=today() + dt.timedelta(days=in_days), by=lead
            )


def _review(family: Family, lead: User, scaling: int, what_changes: str, status: str | None = None) -> None:
    progress = {}
    if status is not None:
        progress = {
            action.pk: {"status": status, "note": "Reviewed with the family."}
            for action in PlanAction.objects.filter(outcome__family=family)
        }
    services.record_review(
        family=family, by=lead, held_on=today(), scaling=scaling, progress=progress, what_changes=what_changes
    )


def _story(child: str, worry: str, need: str, scaling: int, needs: dict) -> dict:
    return {
        "family_story": f"The family say things have been hard since the winter. They want help with {need}.",
        "voice_of_child": f"{child} says: “I want things to be calmer at home and to see my friends more.”",
        "working_well": "The family talk openly with the school and keep their appointments.",
        "worries": worry,
        "needs_to_happen": f"A plan the family agree with, with help for {need}, reviewed every six weeks.",
        "scaling": scaling,
        "needs": needs,
    }


# --- The six families ----------------------------------------------------------------------------------


def _draft(lead: User, health_visitor: User, agencies) -> Family:
    with days_ago(3):
        family = _start(
            lead,
            DRAFT,
            ("2 Bramble Row, York", "YO30 6AA"),
            _person(MemberRole.PARENT_CARER, "Morwenna", "Brambleworth", dt.date(1988, 6, 2), "f"),
            [
                _person(
                    MemberRole.CHILD,
                    "Tobias",
                    "Brambleworth",
                    dt.date(2017, 9, 30),
                    "m",
                    school=SCHOOL,
                    pupil_number="T816212224900",
                )
            ],
            agencies,
        )
    # Half written: the family's story is in, the rest is still to do.
    services.save_assessment(
        assessment=family.assessments.get(),
        by=lead,
        data={
            "family_story": "Morwenna says mornings are a battle and Tobias is often late for school.",
            "voice_of_child": "Tobias says: “I don't like the noise in the playground.”",
        },
    )
    return family


def _review_due(lead: User, health_visitor: User, agencies) -> Family:
    with days_ago(40):
        family = _start(
            lead,
            REVIEW_DUE,
            ("9 Quill Court, York", "YO30 5QQ"),
            _person(MemberRole.PARENT_CARER, "Ottoline", "Quillfeather", dt.date(1990, 1, 17), "f"),
            [
                _person(
                    MemberRole.CHILD,
                    "Barnaby",
                    "Quillfeather",
                    dt.date(2016, 4, 8),
                    "m",
                    school=SCHOOL,
                    pupil_number="G816212224901",
                ),
                _person(MemberRole.CHILD, "Wren", "Quillfeather", dt.date(2023, 11, 21), "f"),
            ],
            agencies,
        )
    with days_ago(38):
        _assess(
            family,
            lead,
            _story(
                "Barnaby",
                "Barnaby has missed 18 sessions this term and Wren's development checks are overdue.",
                "getting to school and Wren's health checks",
                5,
                {
                    Outcome.EDUCATION: "Help to get Barnaby to school on time every day",
                    Outcome.EARLY_YEARS: "Wren's two-year check and a nursery place",
                },
            ),
        )
        services.add_team_member(family=family, user=health_visitor, role="Health visitor", by=lead)
        _plan(
            family,
            lead,
            [
                (
                    Outcome.EDUCATION,
                    "Barnaby gets to school on time every day",
                    [("A morning routine chart, checked weekly with Ottoline", "Priya Shah, school", 21)],
                ),
                (
                    Outcome.EARLY_YEARS,
                    "Wren has her health checks and starts nursery",
                    [("Wren's two-year development check", "Hana Webb, health visitor", 14)],
                ),
            ],
        )
    with days_ago(36):
        services.record_meeting(
            family=family,
            by=lead,
            held_on=today(),
            attended="Ottoline Quillfeather\nPriya Shah, Clifton Green Primary School\nHana Webb, health visitor",
            discussed="The plan: Barnaby's mornings, and Wren's health checks.",
            decisions="Meet again at the six-week review.",
        )
    return family


def _review_overdue(lead: User, health_visitor: User, agencies) -> Family:
    with days_ago(100):
        family = _start(
            lead,
            REVIEW_OVERDUE,
            ("31 Pudding Lane, York", "YO26 4ZZ"),
            _person(MemberRole.PARENT_CARER, "Cornelius", "Puddingstone", dt.date(1984, 8, 12), "m"),
            [
                _person(
                    MemberRole.CHILD,
                    "Clementine",
                    "Puddingstone",
                    dt.date(2014, 12, 3),
                    "f",
                    school=SCHOOL,
                    pupil_number="W816212224902",
                )
            ],
            agencies,
        )
    with days_ago(98):
        _assess(
            family,
            lead,
            _story(
                "Clementine",
                "Cornelius has lost his job and the family are behind with the rent.",
                "money and keeping their home",
                4,
                {
                    Outcome.FINANCIAL: "Advice on debts and benefits",
                    Outcome.HOUSING: "Keep the family's tenancy",
                },
            ),
        )
        services.add_team_member(family=family, user=health_visitor, role="Health visitor", by=lead)
        _plan(
            family,
            lead,
            [
                (
                    Outcome.FINANCIAL,
                    "The family's income covers the rent and the bills",
                    [("A benefits check with the money advice service", "Cornelius, with Priya Shah", 28)],
                ),
                (
                    Outcome.HOUSING,
                    "The family keep their home",
                    [("Agree a plan for the rent arrears with the landlord", "Cornelius", 35)],
                ),
            ],
        )
    with days_ago(70):
        services.add_significant_event(
            family=family,
            by=lead,
            occurred_on=today(),
            source_agency="City of York Council housing",
            summary="The landlord agreed to pause the notice while the arrears plan is agreed.",
            impact="Clementine is less worried about moving school.",
        )
    # The six-week review was held; the next one, six weeks after it, has passed without a review.
    with days_ago(56):
        _review(family, lead, 6, "The benefits check is done; keep working on the arrears.", ActionStatus.IN_PROGRESS)
    return family


def _stepped_up(lead: User, health_visitor: User, agencies) -> Family:
    with days_ago(75):
        family = _start(
            lead,
            STEPPED_UP,
            ("5 Marrow Walk, York", "YO24 1XX"),
            _person(MemberRole.PARENT_CARER, "Ignatius", "Marrowby", dt.date(1979, 3, 14), "m"),
            [
                _person(
                    MemberRole.YOUNG_PERSON,
                    "Peregrine",
                    "Marrowby",
                    dt.date(2012, 7, 19),
                    "m",
                    school=SCHOOL,
                    pupil_number="K816212224903",
                ),
            ],
            agencies,
        )
    with days_ago(73):
        _assess(
            family,
            lead,
            _story(
                "Peregrine",
                "Peregrine has been seen with older young people late at night and has been missing twice.",
                "keeping Peregrine safe",
                3,
                {Outcome.SAFETY: "Peregrine is safe from exploitation", Outcome.FAMILY_RELATIONSHIPS: "Fewer rows"},
            ),
        )
        _plan(
            family,
            lead,
            [
                (
                    Outcome.SAFETY,
                    "Peregrine is home by the agreed time and knows who to call",
                    [("Weekly sessions with a youth worker", "York Youth Action", 28)],
                ),
            ],
        )
    with days_ago(31):
        _review(family, lead, 2, "Peregrine went missing again: the worries have grown.", ActionStatus.IN_PROGRESS)
    with days_ago(3):
        services.step_up(
            family=family,
            to_service=Service.TIS,
            reason="Peregrine has been missing three times in a month and is at risk of exploitation.",
            by=lead,
        )
    return family


def _closed(lead: User, health_visitor: User, agencies) -> Family:
    with days_ago(180):
        family = _start(
            lead,
            CLOSED,
            ("17 Honeycomb Close, York", "YO30 7YY"),
            _person(MemberRole.PARENT_CARER, "Araminta", "Honeysett", dt.date(1992, 10, 1), "f"),
            [
                _person(
                    MemberRole.CHILD,
                    "Lark",
                    "Honeysett",
                    dt.date(2015, 5, 23),
                    "f",
                    school=SCHOOL,
                    pupil_number="Z816212224904",
                )
            ],
            agencies,
        )
    with days_ago(178):
        _assess(
            family,
            lead,
            _story(
                "Lark",
                "Lark is anxious about school and Araminta's own health makes mornings hard.",
                "Lark's anxiety and Araminta's health",
                5,
                {Outcome.HEALTH: "Support for Lark's anxiety", Outcome.EDUCATION: "Lark back at school full time"},
            ),
        )
        _plan(
            family,
            lead,
            [
                (
                    Outcome.HEALTH,
                    "Lark feels calmer and has someone to talk to",
                    [("Sessions with the school's mental health support team", "Clifton Green Primary School", 42)],
                ),
                (
                    Outcome.EDUCATION,
                    "Lark is at school full time",
                    [("A part-time timetable that builds up to full time", "Priya Shah, school", 42)],
                ),
            ],
        )
    with days_ago(136):
        _review(family, lead, 7, "Lark is at school four days a week.", ActionStatus.IN_PROGRESS)
    with days_ago(94):
        _review(family, lead, 9, "Lark is at school full time and the family need no more help.", ActionStatus.DONE)
    with days_ago(90):
        services.close(
            family=family,
            by=lead,
            reason=ClosureReason.OUTCOMES_ACHIEVED,
            outcomes={
                Outcome.HEALTH: (True, "Lark finished her sessions and says she feels calmer."),
                Outcome.EDUCATION: (True, "Full-time attendance for the last six weeks."),
            },
        )
    return family


def _two_agencies(lead: User, health_visitor: User, agencies) -> Family:
    with days_ago(21):
        family = _start(
            health_visitor,
            TWO_AGENCIES,
            (THISTLEDOWN_CHILD["address"], THISTLEDOWN_CHILD["postcode"]),
            _person(MemberRole.PARENT_CARER, "Hollis", "Thistledown", dt.date(1993, 4, 9), "f"),
            [{"role": MemberRole.CHILD, "gp": "Makebelieve Medical Practice", **THISTLEDOWN_CHILD}],
            agencies,
        )
    with days_ago(20):
        _assess(
            family,
            health_visitor,
            _story(
                "Elowen",
                "Hollis is struggling with low mood since the birth of her second child.",
                "Hollis's health",
                6,
                {Outcome.HEALTH: "Support for Hollis's low mood"},
            ),
        )
        _plan(
            family,
            health_visitor,
            [
                (
                    Outcome.HEALTH,
                    "Hollis feels well enough to manage the children's days",
                    [("Visits every two weeks and a GP appointment", "Hana Webb, health visitor", 28)],
                ),
            ],
        )
    return family


FAMILIES = [
    (DRAFT, LEAD, _draft),
    (REVIEW_DUE, LEAD, _review_due),
    (REVIEW_OVERDUE, LEAD, _review_overdue),
    (STEPPED_UP, LEAD, _stepped_up),
    (CLOSED, LEAD, _closed),
    (TWO_AGENCIES, HEALTH_VISITOR, _two_agencies),
]


def load(stdout=None) -> None:
    from apps.referrals.models import FormType, RoutingRule

    users = {user.email: user for user in User.objects.filter(email__in=(LEAD, HEALTH_VISITOR, COLLEAGUE))}
    if len(users) < 3:
        return  # the demo accounts loader makes them
    if not RoutingRule.objects.filter(form_type=FormType.TARGETED_INTERVENTION).exists():
        return  # the partner forms demo routes the requests that a step up to the service sends
    agencies = list(Organisation.objects.filter(name__in=(SCHOOL, HEALTH, COUNCIL)))
    made = []
    for name, lead_email, build in FAMILIES:
        if Family.objects.filter(name=name, created_by__email=lead_email).exists():
            continue
        made.append(build(users[LEAD], users[HEALTH_VISITOR], agencies))
    _school_request_about_the_thistledown_child(users[COLLEAGUE])
    queued = _queue_for_the_supporting_families_team(users[HEALTH_VISITOR])
    if stdout is not None:
        for family in made:
            family.refresh_from_db()
            stdout.write(f"Early help: {family.reference} {family.name} ({family.get_status_display()})\n")
        if queued:
            stdout.write(f"Early help: {queued} possible match waiting in the linkage review queue\n")


def _school_request_about_the_thistledown_child(sender: User) -> None:
    """The school's Targeted Intervention Service request about the child, spelt its own way."""
    from apps.referrals import services as referrals
    from apps.referrals.models import FormType, Submission
    from apps.referrals.questions import definition_of
    from apps.referrals.samples import sample_answers

    if Submission.objects.filter(submitted_by=sender, form_type=FormType.TARGETED_INTERVENTION).exists():
        return
    answers = sample_answers(FormType.TARGETED_INTERVENTION)
    answers["family"].update(
        child_name=SCHOOL_SPELLING,
        date_of_birth=THISTLEDOWN_CHILD["date_of_birth"].isoformat(),
        household="Mother, and a baby brother",
    )
    answers["address"].update(address=THISTLEDOWN_CHILD["address"], postcode=THISTLEDOWN_CHILD["postcode"])
    answers["needs"].update(
        needs=["education", "health"],
        details="Elowyn is often late and tired; her mother seems unwell at the school gate.",
    )
    referrals.submit(
        definition=definition_of(FormType.TARGETED_INTERVENTION),
        answers=answers,
        organisation=sender.organisation,
        receipt_email=sender.email,
        submitter=sender,
    )


def _queue_for_the_supporting_families_team(health_visitor: User) -> int:
    """As when the health visitor added the child: record linkage's matches she may not be shown go to the
    Supporting Families team's review queue. A pair already queued or decided is left as it is."""
    from apps.linkage import services as linkage

    family = Family.objects.filter(name=TWO_AGENCIES, created_by=health_visitor).first()
    if family is None:
        return 0
    child = family.members.filter(first_name=THISTLEDOWN_CHILD["first_name"]).first()
    if child is None:
        return 0
    linkage.sync_sources()  # the school's request joins the people linkage knows
    _, elsewhere = selectors.possible_matches(health_visitor, child)
    return services.queue_possible_matches(member=child, candidates=elsewhere, by=health_visitor)
