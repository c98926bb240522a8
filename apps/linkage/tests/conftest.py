from __future__ import annotations

import pytest

from apps.linkage import pipeline, synthetic


@pytest.fixture(scope="session")
def generated_people():
    """Made-up people and their agencies' records (the truth is known)."""
    people = synthetic.people(500, seed=21)
    return people, list(synthetic.records(people, seed=22))


@pytest.fixture(scope="session")
def trained_model(generated_people, tmp_path_factory):
    """A hub model trained once for the whole session on generated records."""
    _, recorded = generated_people
    path = tmp_path_factory.mktemp("model") / "records.csv"
    synthetic.write_csv(recorded, path)
    con = pipeline.connect()
    pipeline.read_records_csv(con, path, table="records")
    result = pipeline.run(con, ["records"])
    con.close()
    return result.model


def import_generated(recorded, *, organisation=None) -> dict[str, int]:
    """The generated records as PersonRecords (as if imported from extracts); returns record_id -> pk."""
    from apps.accounts.tests.factories import OrganisationFactory
    from apps.linkage.extracts import check_row
    from apps.linkage.models import Person, PersonRecord

    organisation = organisation or OrganisationFactory(name="Generated Agency")
    created = {}
    for record in recorded:
        clean, problems = check_row({**record.as_row(), "agency_reference": record.record_id})
        if problems:
            clean["date_of_birth"] = ""
            clean["postcode"] = "" if any("Postcode" in p for p in problems) else clean["postcode"]
            clean["nhs_number"] = "" if any("NHS" in p for p in problems) else clean["nhs_number"]
        row = PersonRecord.objects.create(
            source="extract",
            source_reference=record.record_id,
            organisation=organisation,
            person=Person.objects.create(),
            first_name=clean["first_name"],
            middle_names=clean["middle_names"],
            surname=clean["surname"],
            date_of_birth=clean["date_of_birth"] or None,
            sex=clean["sex"],
            address=clean["address"],
            postcode=clean["postcode"],
            nhs_number=clean["nhs_number"],
        )
        created[record.record_id] = row.pk
    return created
