"""Demo attendance: two schools' terms, sent through the real import (idempotent: a term already there is
left alone). Five Clifton Green pupils are the children of the demo early help families, linked by UPN."""

from __future__ import annotations

import io
import random

from django.core.files.uploadedfile import SimpleUploadedFile

from apps.accounts.models import Organisation, User
from apps.core.csv_export import csv_writer
from apps.core.identifiers import upn_check_letter

from . import services
from .models import School, Upload

SCHOOLS = [("Clifton Green Primary School", "121500", 6), ("Fulford Vale Academy", "121501", 7)]
TERMS = [(2024, 1), (2024, 2), (2024, 3), (2025, 1)]
UPLOADER = "attendance.team@example.org"
PUPILS_PER_SCHOOL = 160
EARLY_HELP_CHILDREN = [
    ("T816212224900", "Tobias", "Brambleworth", "2017-09-30"),
    ("G816212224901", "Barnaby", "Quillfeather", "2016-04-08"),
    ("W816212224902", "Clementine", "Puddingstone", "2014-12-03"),
    ("K816212224903", "Peregrine", "Marrowby", "2012-07-19"),
    ("Z816212224904", "Lark", "Honeysett", "2015-05-23"),
]
FIRST = ["Ava", "Noah", "Isla", "Leo", "Mia", "Oscar", "Ruby", "Arlo", "Ivy", "Finn", "Nell", "Theo", "Esme", "Jude"]
LAST = ["Ashdown", "Bramwell", "Catterick", "Dunmore", "Ellerby", "Fairbairn", "Garside", "Hebden", "Ingleby"]
HEADER = [
    "URN", "UPN", "Surname", "Forename", "Date of birth", "Year group", "Sessions possible",
    "Authorised absence", "Unauthorised absence", "Absence codes", "SEN", "FSM", "Social worker",
]  # fmt: skip


def make_upn(school_number: int, serial: int) -> str:
    rest = f"8162122{school_number:02d}{serial:03d}"
    return upn_check_letter(rest) + rest


def pupils_of(urn: str, school_number: int, *, count: int, seed: int) -> list[dict]:
    chooser = random.Random(seed)  # noqa: S311 - demo data, not security
    pupils = []
    for serial in range(count):
        year = serial % 6 + (1 if school_number == 6 else 7)
        born = 2024 - 5 - year
        pupils.append(
            {
                "upn": make_upn(school_number, serial),
                "first": chooser.choice(FIRST),
                "last": chooser.choice(LAST),
                "born": f"{born}-{chooser.randint(1, 12):02d}-{chooser.randint(1, 28):02d}",
                "year": year,
                "sen": chooser.random() < 0.15,
                "fsm": chooser.random() < 0.25,
                "sw": chooser.random() < 0.04,
                "habit": chooser.choice([0.02, 0.04, 0.05, 0.06, 0.08, 0.12, 0.2, 0.55]),
            }
        )
    if school_number == 6:
        for index, (upn, first, last, born) in enumerate(EARLY_HELP_CHILDREN):
            pupils[index].update(upn=upn, first=first, last=last, born=born, habit=[0.14, 0.09, 0.25, 0.6, 0.03][index])
            pupils[index]["year"] = max(1, min(6, 2024 - int(born[:4]) - 4))
    return pupils


def term_csv(urn: str, pupils: list[dict], *, academic_year: int, term: int, seed: int) -> str:
    chooser = random.Random(seed * 100 + academic_year * 10 + term)  # noqa: S311 - demo data
    out = io.StringIO()
    writer = csv_writer(out)  # the one writer, even for the demo's own files
    writer.writerow(HEADER)
    for pupil in pupils:
        possible = chooser.choice([126, 128, 130, 132])
        missed = min(possible, max(0, round(possible * chooser.gauss(pupil["habit"], pupil["habit"] / 3))))
        unauthorised = round(missed * chooser.random() * 0.6)
        authorised = missed - unauthorised
        codes = " ".join(
            part
            for part in (f"I:{authorised}" if authorised else "", f"O:{unauthorised}" if unauthorised else "")
            if part
        )
        year = pupil["year"] + (academic_year - 2024)
        flags = ["Y" if pupil[key] else "N" for key in ("sen", "fsm", "sw")]
        writer.writerow(
            [
                urn,
                pupil["upn"],
                pupil["last"],
                pupil["first"],
                pupil["born"],
                year,
                possible,
                authorised,
                unauthorised,
                codes,
                *flags,
            ]
        )
    return out.getvalue()


def load(stdout=None) -> None:
    uploader = User.objects.filter(email=UPLOADER).first()
    if uploader is None:
        return  # the demo accounts loader makes it
    for name, urn, school_number in SCHOOLS:
        organisation = Organisation.objects.filter(name=name).first()
        if organisation is None:
            continue
        school = services.register_school(organisation=organisation, urn=urn)
        pupils = pupils_of(urn, school_number, count=PUPILS_PER_SCHOOL, seed=school_number)
        for academic_year, term in TERMS:
            if Upload.objects.filter(school=school, academic_year=academic_year, term=term).exists():
                continue
            text = term_csv(urn, pupils, academic_year=academic_year, term=term, seed=school_number)
            services.import_attendance(
                school=school,
                academic_year=academic_year,
                term=term,
                kind="termly",
                uploaded=SimpleUploadedFile(f"{urn}-{academic_year}-{term}.csv", text.encode(), "text/csv"),
                by=uploader,
            )


def school_for(name: str) -> School | None:
    return School.objects.filter(organisation__name=name).first()
