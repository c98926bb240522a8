"""Early help records made through the services, as a practitioner would make them."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from apps.accounts.models import Organisation, Role, Team, User
from apps.accounts.tests.factories import OrganisationFactory, TeamFactory, UserFactory, grant, with_totp

from .. import services
from ..models import Family, FamilyMember, MemberRole, Outcome

CHILD = {
    "role": MemberRole.CHILD,
    "first_name": "Jordan",
    "middle_names": "Lee",
    "surname": "Fictional-Avery",
    "date_of_birth": dt.date(2014, 3, 27),
    "sex": "m",
    "school": "Clifton Green Primary School",
    "postcode": "YO30 6AA",
    "address": "1 Example Street, York",
}


def consent_for(*agencies: Organisation, given_on: dt.date | None = None) -> services.ConsentGiven:
    return services.ConsentGiven(
        given_by_name="Sam Fictional-Avery",
        given_by="parent_carer",
        given_on=given_on or timezone.localdate() - dt.timedelta(days=1),
        method="written",
        agencies=list(agencies),
    )


def start_family(lead: User | None = None, *, name: str = "The Fictional-Avery family", agencies=()) -> Family:
    lead = lead or UserFactory()
    return services.start_assessment(
        by=lead, family_name=name, postcode="YO30 6AA", consent=consent_for(lead.organisation, *agencies)
    )


def add_child(family: Family, by: User | None = None, **changes) -> FamilyMember:
    return services.add_member(family=family, by=by or family.lead, data={**CHILD, **changes})


def open_family(lead: User | None = None, **kwargs) -> Family:
    """A family whose assessment is signed off, with one child and one outcome with one action in its plan."""
    family = start_family(lead, **kwargs)
    add_child(family)
    assessment = family.assessments.get()
    services.save_assessment(
        assessment=assessment,
        by=family.lead,
        data={
            "family_story": "We moved here last year and Jordan misses his friends.",
            "voice_of_child": "Jordan says school is too loud.",
            "working_well": "Sam takes Jordan to school every day.",
            "worries": "Jordan has missed 30 sessions this term.",
            "needs_to_happen": "Jordan goes to school every day and feels safe there.",
            "scaling": 6,
            "needs": {Outcome.EDUCATION: "Help to get to school"},
        },
    )
    services.complete_assessment(assessment=assessment, by=family.lead)
    outcome = services.add_plan_outcome(
        family=family, headline=Outcome.EDUCATION, description="Jordan goes to school every day", by=family.lead
    )
    services.add_action(
        outcome=outcome,
        what="Meet Jordan's class teacher weekly",
        who="Clifton Green Primary School",
        due_on=timezone.localdate() + dt.timedelta(days=14),
        by=family.lead,
    )
    family.refresh_from_db()
    return family


def team_user(slug: str, organisation: Organisation | None = None) -> User:
    team = Team.objects.filter(slug=slug).first() or TeamFactory(
        slug=slug, name=slug.replace("-", " ").capitalize(), organisation=organisation or OrganisationFactory()
    )
    user = UserFactory(organisation=team.organisation)
    grant(user, Role.TEAM_MEMBER, team=team)
    with_totp(user)
    return user


def supporting_families_user() -> User:
    return team_user("supporting-families")


def tis_user() -> User:
    """A member of the Targeted Intervention Service, whose queue receives requests for its support."""
    from apps.referrals.models import FormType
    from apps.referrals.tests.factories import route

    user = team_user("targeted-intervention-service")
    route(FormType.TARGETED_INTERVENTION, Team.objects.get(slug="targeted-intervention-service"))
    return user
