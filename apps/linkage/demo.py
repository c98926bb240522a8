"""Demo record linkage: two agencies' records already imported, a trained model, a run with pairs
waiting in the review queue, and a school's extract on disk for the Supporting Families demo user
to import (var/demo/linkage/clifton-green-pupils.csv). Running it twice changes nothing."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from apps.accounts.models import Organisation
from apps.core.csv_export import csv_writer

from . import linkage_model, services, synthetic
from .extracts import check_row
from .models import LinkageRun, Person, PersonRecord

AGENCIES = {
    "health": "York and Scarborough Teaching Hospitals NHS Foundation Trust",
    "police": "North Yorkshire Police",
    "school": "Clifton Green Primary School",
}
EXTRACT_NAME = "clifton-green-pupils.csv"


def extract_path():
    return settings.BASE_DIR / "var" / "demo" / "linkage" / EXTRACT_NAME


def _records():
    population = synthetic.people(600, seed=2024)
    return list(synthetic.records(population, seed=2025))


def load(stdout=None) -> None:
    recorded = _records()
    organisations = {key: Organisation.objects.get(name=name) for key, name in AGENCIES.items()}
    existing = set(PersonRecord.objects.filter(source="extract").values_list("organisation_id", "source_reference"))
    for record in recorded:
        if record.agency == "school" or (organisations[record.agency].pk, record.record_id) in existing:
            continue
        clean, problems = check_row({**record.as_row(), "agency_reference": record.record_id})
        if problems:  # the demo keeps what an import would have kept: the row's readable fields
            for field, word in (("date_of_birth", "Date"), ("postcode", "Postcode"), ("nhs_number", "NHS")):
                if any(problem.startswith(word) for problem in problems):
                    clean[field] = ""
        PersonRecord.objects.create(
            source="extract",
            organisation=organisations[record.agency],
            source_reference=record.record_id,
            person=Person.objects.create(),
            first_name=clean["first_name"],
            middle_names=clean["middle_names"],
            surname=clean["surname"],
            date_of_birth=dt.date.fromisoformat(clean["date_of_birth"]) if clean["date_of_birth"] else None,
            sex=clean["sex"],
            address=clean["address"],
            postcode=clean["postcode"],
            nhs_number=clean["nhs_number"],
        )
    _write_school_extract([record for record in recorded if record.agency == "school"])
    try:
        services.current_model()
    except (services.NoModel, linkage_model.ModelFileInvalid):
        # None yet, or one saved for an older set-up of the hub (without the comparisons it now has): train.
        version = services.train_model()
        if stdout:
            stdout.write(f"Linkage model version {version.version} trained on {version.record_count} demo records.\n")
    if not LinkageRun.objects.exists():
        run = services.link_people()
        if stdout:
            stdout.write(f"Linkage demo run: {run.auto_linked} pairs linked, {run.queued} in the review queue.\n")
    if stdout:
        stdout.write(f"A school's extract to import at /linkage/extracts/new/: {extract_path()}\n")


def _write_school_extract(recorded) -> None:
    """The school's pupils in the school's own layout, with two rows an import must refuse."""
    path = extract_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv_writer(handle)
        writer.writerow(["Pupil ID", "Forename", "Middle names", "Surname", "DOB", "Gender", "Address", "Postcode"])
        for number, record in enumerate(recorded):
            dob, postcode = record.date_of_birth, record.postcode
            if number == 3:
                dob = "31/02/2016"  # an impossible date
            if number == 7:
                postcode = "YO99"  # not a full postcode
            writer.writerow(
                [
                    f"CG{number + 1:04d}",
                    record.first_name,
                    record.middle_names,
                    record.surname,
                    dob,
                    record.sex,
                    record.address,
                    postcode,
                ]
            )
