"""Online matching: "this may be someone we already know" while a practitioner types."""

from __future__ import annotations

import pytest

from apps.linkage import online, pipeline, services, synthetic
from apps.linkage.standardise import standardise_one, standardise_table
from apps.linkage.tests.conftest import import_generated

TRICKY = [
    {
        "record_id": "t1",
        "first_name": "  Zoë-Ann  ",
        "middle_names": "O'Neil",
        "surname": "Smith-Jones",
        "date_of_birth": "7/3/2015",
        "sex": "Female",
        "address": "Flat 2, 12 High St.",
        "postcode": "yo17hh",
        "nhs_number": "943 476 5919",
    },
    {"record_id": "t2", "first_name": "", "surname": "", "date_of_birth": "2015-3-7 00:00", "postcode": "2000"},
    {
        "record_id": "t3",
        "first_name": "J",
        "surname": "Ó Briain",
        "date_of_birth": "19560909",
        "sex": "x",
        "address": "ROSE COTTAGE",
        "postcode": "SW1A1AA",
        "nhs_number": "123",
    },
    {"record_id": "t4", "first_name": "Mary Jane Anne", "surname": "van der Berg", "date_of_birth": "not known"},
]


@pytest.fixture(scope="module")
def indexed(generated_people, trained_model, tmp_path_factory):
    _, recorded = generated_people
    path = tmp_path_factory.mktemp("online") / "records.csv"
    synthetic.write_csv(recorded, path)
    con = pipeline.connect()
    pipeline.read_records_csv(con, path, table="records")
    index = online.PeopleIndex.build(con, "records", trained_model)
    result = pipeline.run(con, ["records"], model=trained_model, threshold=0.0)
    pairs = con.execute(f"select record_id_l, record_id_r, match_probability from {result.predictions}").fetchall()
    return {"index": index, "pairs": pairs, "con": con, "recorded": recorded}


def test_python_standardisation_of_one_record_agrees_with_the_sql(generated_people):
    import duckdb

    _, recorded = generated_people
    rows = [record.as_row() for record in recorded[:400]] + TRICKY
    con = duckdb.connect()
    columns = list(standardise_one({}).keys())
    con.execute(
        "create table raw (record_id varchar, first_name varchar, middle_names varchar, surname varchar,"
        " date_of_birth varchar, sex varchar, address varchar, postcode varchar, nhs_number varchar)"
    )
    con.executemany(
        "insert into raw values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            [
                row.get(name)
                for name in (
                    "record_id",
                    "first_name",
                    "middle_names",
                    "surname",
                    "date_of_birth",
                    "sex",
                    "address",
                    "postcode",
                    "nhs_number",
                )
            ]
            for row in rows
        ],
    )
    standardise_table(con, source="raw", target="clean")
    cursor = con.execute("select * from clean")
    names = [column[0] for column in cursor.description]
    by_sql = {row[0]: dict(zip(names, row, strict=True)) for row in cursor.fetchall()}
    for row in rows:
        mine = standardise_one(row)
        theirs = by_sql[row["record_id"]]
        for column in columns:
            left, right = mine[column], theirs[column]
            if isinstance(left, list) and isinstance(right, list):
                left, right = sorted(left), sorted(right)
            assert left == right, (row["record_id"], column, mine[column], theirs[column])


def test_online_scores_equal_the_batch_runs_for_every_pair(indexed):
    index = indexed["index"]
    position = {record_id: i for i, record_id in enumerate(index.records.column("record_id").to_pylist())}
    pairs = indexed["pairs"]
    assert len(pairs) > 500
    online_scores = online.score_pairs(index, [(position[a], position[b]) for a, b, _ in pairs])
    for (a, b, batch), mine in zip(pairs, online_scores, strict=True):
        assert mine == pytest.approx(batch, abs=1e-9), (a, b)


def test_a_new_record_with_a_nickname_finds_the_person(indexed):
    index = indexed["index"]
    person = next(r for r in indexed["recorded"] if r.first_name.lower() in ("robert", "william"))
    typed = person.as_row()
    typed["first_name"] = {"robert": "Bob", "william": "Bill"}[person.first_name.lower()]
    typed["record_id"] = "typed"
    found = index.find(typed)
    assert found
    truth = {r.record_id: r.person_id for r in indexed["recorded"]}
    assert truth[found[0].record_id] == person.person_id
    assert found[0].match_probability > 0.9
    assert found[0].explanation["steps"][0]["comparison"] == "first_name"
    assert found[0].explanation["steps"][0]["level"].startswith("Nickname")


def test_nothing_is_found_for_someone_unknown(indexed):
    found = indexed["index"].find({"first_name": "Xanthippe", "surname": "Quorndon", "date_of_birth": "01/01/1901"})
    assert found == []


@pytest.mark.django_db
def test_find_matches_returns_the_best_people_from_the_hubs_records(generated_people, trained_model):
    _, recorded = generated_people
    assert online.find_matches({"first_name": "Ann"}) == []
    ids = import_generated(recorded[:600])
    services.save_model_version(model=trained_model, record_count=600)
    services.link_people()
    target = recorded[10]
    found = online.find_matches({**target.as_row(), "record_id": ""}, limit=3)
    assert found
    from apps.linkage.models import PersonRecord

    assert found[0].person_id == PersonRecord.objects.get(pk=ids[target.record_id]).person_id
    assert len({candidate.person_id for candidate in found}) == len(found)
    assert all(0.5 <= candidate.match_probability <= 1 for candidate in found)
    before = online.hub_index()
    import_generated(recorded[600:601])
    assert online.hub_index() is not before


@pytest.mark.django_db(transaction=True)
def test_the_index_is_built_at_start_and_new_people_are_added_without_a_rebuild(
    generated_people, trained_model, monkeypatch
):
    import datetime as dt

    from apps.linkage import sources
    from apps.linkage.extracts import check_row

    _, recorded = generated_people
    import_generated(recorded[:300])
    services.save_model_version(model=trained_model, record_count=300)
    online._hub_index = None
    online.warm_up(background=False)
    built = online._hub_index[1]
    assert built.size == 300

    rebuilds = []
    original = online.PeopleIndex.build
    monkeypatch.setattr(
        online.PeopleIndex, "build", classmethod(lambda cls, *a, **k: rebuilds.append(1) or original(*a, **k))
    )

    class School:
        key = "school-test"
        label = "A school"

    newcomer = recorded[400]
    clean, _ = check_row(newcomer.as_row())
    person = sources.SourcedPerson(
        reference="pupil-1",
        first_name=clean["first_name"],
        middle_names=clean["middle_names"],
        surname=clean["surname"],
        date_of_birth=dt.date.fromisoformat(clean["date_of_birth"]) if clean["date_of_birth"][:1].isdigit() else None,
        sex=clean["sex"],
        address=clean["address"],
        postcode=clean["postcode"] if len(clean["postcode"]) <= 8 else "",
        nhs_number=clean["nhs_number"] if len(clean["nhs_number"]) == 10 else "",
        agency="A school",
    )
    record, _ = services.register_record(source=School(), person=person)
    index = online.hub_index()
    assert index.size == 301 and rebuilds == []
    found = online.find_matches({**newcomer.as_row(), "record_id": ""}, limit=5, minimum=0.0)
    assert str(record.pk) in [candidate.record_id for candidate in found]
    # The merged index finds what a full build finds.
    full = original(duckdb_with_records(), "hub_people", trained_model)
    typed = {**recorded[10].as_row(), "record_id": "typed"}
    assert [c.record_id for c in index.find(typed)] == [c.record_id for c in full.find(typed)]


def duckdb_with_records():
    import duckdb

    con = duckdb.connect()
    online._load_records(con)
    return con
