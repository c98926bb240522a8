from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from apps.accounts.models import Role
from apps.accounts.tests.factories import OrganisationFactory, TeamFactory, UserFactory, grant, with_totp
from apps.linkage.models import (
    AgencyExtract,
    CandidatePair,
    LinkageModelVersion,
    Person,
    PersonRecord,
)
from apps.linkage.rules import SUPPORTING_FAMILIES

EXPLANATION = {
    "prior_weight": -12.5,
    "match_weight": 4.2,
    "steps": [
        {
            "comparison": "first_name",
            "description": "First name",
            "level": "Nickname of the same name (Bob and Robert)",
            "weight": 3.1,
            "frequency_adjustment": 0.0,
        },
        {
            "comparison": "surname",
            "description": "Surname",
            "level": "Same surname",
            "weight": 7.4,
            "frequency_adjustment": 0.3,
        },
        {
            "comparison": "date_of_birth",
            "description": "Date of birth",
            "level": "Day and month swapped",
            "weight": 9.2,
            "frequency_adjustment": 0.0,
        },
        {
            "comparison": "home",
            "description": "Address and postcode",
            "level": "Different homes",
            "weight": -3.0,
            "frequency_adjustment": 0.0,
        },
    ],
}


def supporting_families_member(**kwargs):
    team = TeamFactory(slug=SUPPORTING_FAMILIES, name="Supporting Families team")
    user = UserFactory(**kwargs)
    grant(user, Role.TEAM_MEMBER, team=team)
    return with_totp(user)


class ModelVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LinkageModelVersion

    version = factory.Sequence(lambda n: n + 1)
    model_json = factory.LazyFunction(lambda: {"comparisons": [], "hub_setup": "test"})
    record_count = 500


class PersonRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PersonRecord

    source = "extract"
    source_reference = factory.Sequence(lambda n: f"AG{n:05d}")
    organisation = factory.SubFactory(OrganisationFactory)
    person = factory.LazyFunction(Person.objects.create)
    first_name = "Robert"
    surname = "Smith"
    date_of_birth = dt.date(2015, 3, 7)
    sex = "m"
    address = "12 High Street, York"
    postcode = "YO1 7HH"


class PairFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CandidatePair

    record_a = factory.SubFactory(PersonRecordFactory)
    record_b = factory.SubFactory(PersonRecordFactory, first_name="Bob", date_of_birth=dt.date(2015, 7, 3))
    match_probability = 0.8
    match_weight = 4.2
    explanation = factory.LazyFunction(lambda: dict(EXPLANATION))
    model_version = factory.SubFactory(ModelVersionFactory)
    status = CandidatePair.Status.QUEUED
    decided_at = factory.LazyFunction(timezone.now)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        a, b = kwargs["record_a"], kwargs["record_b"]
        if a.pk > b.pk:
            kwargs["record_a"], kwargs["record_b"] = b, a
        return super()._create(model_class, *args, **kwargs)


class ExtractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgencyExtract

    organisation = factory.SubFactory(OrganisationFactory)
    uploaded_by = factory.SubFactory(UserFactory)
    original_name = "health-extract.csv"
    status = AgencyExtract.Status.CHECKED
    headers = factory.LazyFunction(lambda: ["ID", "Forename", "Surname", "DOB"])
    column_mapping = factory.LazyFunction(
        lambda: {"agency_reference": "ID", "first_name": "Forename", "surname": "Surname", "date_of_birth": "DOB"}
    )
    row_count = 3
    problems = factory.LazyFunction(
        lambda: [{"line": 3, "problems": ["Date of birth “31/02/2015” is not a real date."]}]
    )
    checked_rows = factory.LazyFunction(
        lambda: [
            {
                "line": 2,
                "agency_reference": "H1",
                "first_name": "Ann",
                "middle_names": "",
                "surname": "Lee",
                "date_of_birth": "2014-01-02",
                "sex": "f",
                "address": "",
                "postcode": "",
                "nhs_number": "",
                "pupil_number": "",
            },
            {
                "line": 4,
                "agency_reference": "H3",
                "first_name": "Tom",
                "middle_names": "",
                "surname": "Lee",
                "date_of_birth": "2016-05-06",
                "sex": "m",
                "address": "",
                "postcode": "",
                "nhs_number": "",
                "pupil_number": "",
            },
        ]
    )
