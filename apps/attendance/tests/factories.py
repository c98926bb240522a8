from __future__ import annotations

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile

from apps.accounts.models import Role, Sector
from apps.accounts.tests.factories import OrganisationFactory, TeamFactory, UserFactory, grant, with_totp
from apps.core.identifiers import upn_check_letter

from .. import services
from ..models import School
from ..rules import ATTENDANCE_TEAM

TERMLY_HEADER = [
    "URN", "UPN", "Surname", "Forename", "Date of birth", "Year group",
    "Sessions possible", "Authorised absence", "Unauthorised absence", "SEN", "FSM", "Social worker",
]  # fmt: skip
DAILY_HEADER = ["URN", "UPN", "Surname", "Forename", "Date of birth", "Year group", "Date", "Session", "Code"]


def upn(serial: int, school: int = 1) -> str:
    rest = f"8162122{school:02d}{serial:03d}"
    return upn_check_letter(rest) + rest


def make_school(name: str = "Oakfield Primary School", urn: str = "100001") -> School:
    organisation = OrganisationFactory(name=name, sector=Sector.EDUCATION)
    return services.register_school(organisation=organisation, urn=urn)


def school_member(school: School):
    return UserFactory(organisation=school.organisation)


def attendance_team_member():
    team = TeamFactory(slug=ATTENDANCE_TEAM, name="School attendance team")
    user = UserFactory()
    grant(user, Role.TEAM_MEMBER, team=team)
    with_totp(user)
    return user


def termly_csv(urn: str, rows: list[tuple], header=TERMLY_HEADER) -> SimpleUploadedFile:
    """rows: (upn, possible, authorised, unauthorised) or full rows (any longer tuple is written as given)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for index, row in enumerate(rows):
        if len(row) == 4:
            number, possible, authorised, unauthorised = row
            row = [
                urn,
                number,
                f"Pupil{index}",
                "Test",
                "2015-09-30",
                "5",
                possible,
                authorised,
                unauthorised,
                "N",
                "Y",
                "N",
            ]
        writer.writerow(row)
    return SimpleUploadedFile("term.csv", out.getvalue().encode(), "text/csv")


def send(school, rows, *, by, academic_year=2024, term=1, kind="termly", file=None):
    return services.import_attendance(
        school=school,
        academic_year=academic_year,
        term=term,
        kind=kind,
        uploaded=file or termly_csv(school.urn, rows),
        by=by,
    )
