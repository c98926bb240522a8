from __future__ import annotations

import duckdb
import pytest

from apps.linkage.standardise import (
    InvalidValue,
    nhs_number_is_valid,
    normalise_nhs_number,
    normalise_postcode,
    parse_uk_date,
    standardise_table,
)

COLUMNS = "record_id, first_name, middle_names, surname, date_of_birth, sex, address, postcode, nhs_number"


def standardised(*rows: tuple) -> dict[str, dict]:
    con = duckdb.connect()
    placeholders = ", ".join("(" + ", ".join("?" for _ in row) + ")" for row in rows)
    values = [value for row in rows for value in row]
    con.execute(f"create table raw as select * from (values {placeholders}) t({COLUMNS})", values)
    standardise_table(con, source="raw", target="clean")
    cursor = con.execute("select * from clean")
    names = [column[0] for column in cursor.description]
    return {row[0]: dict(zip(names, row, strict=True)) for row in cursor.fetchall()}


def row(record_id: str, **fields) -> tuple:
    order = COLUMNS.split(", ")[1:]
    return (record_id, *(fields.get(name) for name in order))


def test_case_accents_and_punctuation_do_not_matter():
    records = standardised(row("1", first_name="ZOË", surname="O'Brien"), row("2", first_name="zoe", surname="obrien"))
    assert records["1"]["first_name"] == records["2"]["first_name"] == "zoe"
    assert records["1"]["surname"] == records["2"]["surname"] == "obrien"


def test_double_barrelled_surnames_agree_however_written_and_keep_their_parts():
    records = standardised(
        row("1", surname="Smith-Jones"), row("2", surname="SMITH JONES"), row("3", surname="Smithjones")
    )
    assert {record["surname"] for record in records.values()} == {"smithjones"}
    assert records["1"]["surname_parts"] == ["smith", "jones"]


def test_a_nickname_shares_a_variant_with_its_formal_name():
    records = standardised(
        row("1", first_name="Bob"),
        row("2", first_name="Robert"),
        row("3", first_name="Peggy"),
        row("4", first_name="Margaret"),
    )
    assert "robert" in set(records["1"]["first_name_variants"]) & set(records["2"]["first_name_variants"])
    assert "margaret" in records["3"]["first_name_variants"]
    assert "peggy" not in records["4"]["first_name_variants"]


def test_second_given_names_join_the_middle_names():
    records = standardised(row("1", first_name="Mary Jane", middle_names="Anne"))
    assert records["1"]["first_name"] == "mary"
    assert records["1"]["middle_names"] == "jane anne"
    assert records["1"]["given_names"] == ["mary", "jane", "anne"]


def test_uk_and_iso_dates_become_the_same_text_and_keep_the_swapped_form():
    records = standardised(
        row("1", date_of_birth="7/3/2015"), row("2", date_of_birth="2015-03-07"), row("3", date_of_birth="07.03.2015")
    )
    assert {record["date_of_birth"] for record in records.values()} == {"2015-03-07"}
    assert records["1"]["date_of_birth_swapped"] == "2015-07-03"


def test_postcodes_are_normalised_with_outward_code_and_sector_kept():
    records = standardised(row("1", postcode="yo17hh"), row("2", postcode=" YO1  7HH "), row("3", postcode="2000"))
    assert records["1"]["postcode"] == records["2"]["postcode"] == "YO1 7HH"
    assert records["1"]["postcode_outward"] == "YO1"
    assert records["1"]["postcode_sector"] == "YO1 7"
    assert records["3"]["postcode"] == "2000"
    assert records["3"]["postcode_outward"] is None


def test_addresses_spell_out_abbreviations_and_keep_the_house_number():
    records = standardised(row("1", address="12, High St."), row("2", address="12 high street"))
    assert records["1"]["address"] == records["2"]["address"] == "12 high street"
    assert records["1"]["house_number"] == "12"


def test_missing_values_stay_missing():
    records = standardised(row("1"))
    assert all(value is None for key, value in records["1"].items() if key != "record_id")


@pytest.mark.parametrize("text", ["27/03/2015", "27-03-2015", "2015-03-27", "27/3/2015"])
def test_uk_dates_are_read_in_either_form(text):
    assert parse_uk_date(text).isoformat() == "2015-03-27"


@pytest.mark.parametrize("text", ["31/02/2015", "2015-13-01", "next tuesday", ""])
def test_impossible_dates_are_refused_with_a_reason(text):
    with pytest.raises(InvalidValue):
        parse_uk_date(text)


def test_postcode_normalisation_refuses_what_is_not_a_uk_postcode():
    assert normalise_postcode("sw1a1aa") == "SW1A 1AA"
    with pytest.raises(InvalidValue, match="not a UK postcode"):
        normalise_postcode("12345")


def test_nhs_numbers_are_checked_with_modulus_11():
    assert nhs_number_is_valid("943 476 5919")
    assert not nhs_number_is_valid("943 476 5918")
    assert not nhs_number_is_valid("123")
    assert normalise_nhs_number("943-476-5919") == "9434765919"
    with pytest.raises(InvalidValue, match="modulus 11"):
        normalise_nhs_number("9434765918")


# What the SQL and `standardise_one` must agree on, beyond the synthetic records test_online checks: abbreviations
# spelt out word by word, repeated words, each form of date, postcodes, and pupil numbers (valid, lower case,
# spaced, a wrong check letter, a temporary one ending in a letter, too short, non-ASCII).
AGREEMENT_CASES = [
    {"address": "St St. Mary's Rd", "date_of_birth": "7/3/2015", "postcode": "sw1a1aa"},
    {"address": "apt 3b ave av, 3b Ave", "date_of_birth": "2015-3-7 00:00", "postcode": "2000"},
    {"address": "ter tce hse flt Cl Ct Pl Gdns Gr Sq Cres Ln Dr", "date_of_birth": "20150307"},
    {"address": "12a 12a Main st-st_rd", "date_of_birth": "07.03.2015", "postcode": " W1  1AA "},
    {"address": "Ünïcode Crës 5 street", "date_of_birth": "12-31-2015", "postcode": "EC1A 1BB"},
    {"address": "  ,  ", "date_of_birth": "2015/03/07", "first_name": "Bob Robert", "middle_names": "Peggy"},
    {"pupil_number": "D012345678905", "first_name": "peggy"},
    {"pupil_number": "d012 345678905"},
    {"pupil_number": "B012345678905"},
    {"pupil_number": "K01234567890K"},
    {"pupil_number": "K01234567890I"},
    {"pupil_number": "D0123456789"},
    {"pupil_number": "D0123\u06635678905"},
    {"pupil_number": "D012345678905\n"},
    {"pupil_number": " "},
]


def test_the_sql_and_the_python_twin_agree_on_awkward_values():
    from apps.linkage.standardise import STANDARDISED_COLUMNS, standardise_one

    rows = [{"record_id": str(index), **case} for index, case in enumerate(AGREEMENT_CASES)]
    names = ("record_id", *COLUMNS.split(", ")[1:], "pupil_number")
    con = duckdb.connect()
    con.execute(f"create table raw ({', '.join(f'{name} varchar' for name in names)})")
    con.executemany(
        f"insert into raw values ({', '.join('?' for _ in names)})", [[row.get(name) for name in names] for row in rows]
    )
    standardise_table(con, source="raw", target="clean")
    cursor = con.execute("select * from clean")
    columns = [column[0] for column in cursor.description]
    by_sql = {row[0]: dict(zip(columns, row, strict=True)) for row in cursor.fetchall()}
    for row in rows:
        mine, theirs = standardise_one(row), by_sql[row["record_id"]]
        for column in STANDARDISED_COLUMNS:
            if column == "source_dataset":
                continue
            left, right = mine[column], theirs[column]
            if isinstance(left, list) and isinstance(right, list):
                assert len(right) == len(set(right)) or column in ("given_names", "surname_parts"), (row, column)
                left, right = sorted(left), sorted(right)
            assert left == right, (row, column, mine[column], theirs[column])
    assert by_sql["0"]["address"] == "street street marys road"
    assert by_sql["6"]["pupil_number"] == "D012345678905"
    assert by_sql["7"]["pupil_number"] == "D012345678905"
    assert by_sql["8"]["pupil_number"] is None
