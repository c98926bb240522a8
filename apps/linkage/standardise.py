"""Standardising people's records before they are compared.

Every record that the linkage model sees, from a file, an agency extract, the hub's own
records or a practitioner typing into a form, passes through `STANDARDISE_SQL`, which runs
in DuckDB. Keeping one SQL definition (rather than a Python copy for single records) means
the batch run, the file command and online matching cannot drift apart.

What it does:
- names: case, accents and punctuation removed ("O'Brien" -> "obrien", "Zoë" -> "zoe");
  the first given name is `first_name`, any others join `middle_names`;
- surnames: hyphens and spaces kept apart as `surname_parts` (for "Smith-Jones" against
  "Jones") and joined as `surname` (so "Smith-Jones", "Smith Jones" and "Smithjones" agree);
- nicknames: `first_name_variants` holds the name and every formal name it is a nickname of
  (Bob -> robert, Peggy -> margaret), from the `nicknames` package: the hand-curated
  English names and nicknames list maintained by Carlton Northern and Nick Crews
  (github.com/carltonnorthern/nicknames, Apache-2.0);
- dates of birth: UK dd/mm/yyyy, ISO yyyy-mm-dd and yyyymmdd become "yyyy-mm-dd" text. Text,
  not a date type, so a mistyped day or month still compares digit by digit;
- UK postcodes: upper case, one space before the inward code, with the outward code
  ("YO1") and sector ("YO1 7") kept for partial agreement. Anything that is not a UK
  postcode is kept as cleaned text;
- addresses: lower case, punctuation removed, common abbreviations spelt out
  (Rd -> road), with the house number and the words of the address kept apart;
- unique pupil numbers: capitals without spaces, kept only when the check letter agrees
  (`core.identifiers.pupil_number_is_valid`, written out in the SQL for values of printable ASCII; any
  other value is handed to the Python function itself, registered as a DuckDB function).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from functools import cache

import duckdb

from apps.core.identifiers import UPN_LETTERS, clean_pupil_number, nhs_number_is_valid, pupil_number_is_valid

# Nobody the partnership works with was born before this; an earlier year is a typing slip (1388, 0019). The importer
# refuses such dates, and the twins-and-relatives rule reads them as slips (`linkage_model.readable_birth`).
EARLIEST_BIRTH_YEAR = 1900

# The columns a record may bring; only record_id is required of a source.
INPUT_COLUMNS = (
    "record_id",
    "first_name",
    "middle_names",
    "surname",
    "date_of_birth",
    "sex",
    "address",
    "postcode",
    "nhs_number",
    "pupil_number",
)

ADDRESS_ABBREVIATIONS = {
    "rd": "road",
    "st": "street",
    "ave": "avenue",
    "av": "avenue",
    "ln": "lane",
    "dr": "drive",
    "cres": "crescent",
    "cl": "close",
    "ct": "court",
    "pl": "place",
    "gdns": "gardens",
    "gr": "grove",
    "sq": "square",
    "tce": "terrace",
    "ter": "terrace",
    "hse": "house",
    "flt": "flat",
    "apt": "flat",
}

_UK_POSTCODE = r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$"


def _clean_name_sql(column: str) -> str:
    """Lower case, no accents, apostrophes dropped, anything else that is not a letter a space."""
    return (
        f"nullif(trim(regexp_replace(regexp_replace(lower(strip_accents(coalesce(cast({column} as varchar), ''))),"
        f" '[''’`]', '', 'g'), '[^a-z]+', ' ', 'g')), '')"
    )


def _address_sql(column: str) -> str:
    cleaned = (
        f"trim(regexp_replace(regexp_replace(lower(strip_accents(coalesce(cast({column} as varchar), ''))),"
        f" '[''’`]', '', 'g'), '[^a-z0-9]+', ' ', 'g'))"
    )
    # The cleaned address is words of [a-z0-9] joined by single spaces, so spelling out abbreviations word by
    # word is what a `\bshort\b` replacement for each would do (no full form is another's short form), in one
    # pass rather than eighteen regular expressions over every address.
    spelt_out = " ".join(f"when '{short}' then '{full}'" for short, full in ADDRESS_ABBREVIATIONS.items())
    return (
        f"nullif(array_to_string(list_transform(string_split({cleaned}, ' '),"
        f" lambda word: case word {spelt_out} else word end), ' '), '')"
    )


def _pupil_number_valid_sql(column: str) -> str:
    """`core.identifiers.pupil_number_is_valid` of `column` (spaces removed, capitals): in SQL for a value of
    printable ASCII, where the Python test reads exactly as this does (a check letter, 11 digits and a digit or
    letter, the check letter the weighted sum's); anything else (other Unicode) goes to the Python function."""
    digits = " + ".join(f"{i} * (ascii(substr({column}, {i}, 1)) - 48)" for i in range(2, 13))
    last = (
        f"13 * case when substr({column}, 13, 1) between '0' and '9' then ascii(substr({column}, 13, 1)) - 48"
        f" else strpos('{UPN_LETTERS}', substr({column}, 13, 1)) - 1 end"
    )
    return (
        f"case when {column} is null then null"
        f" when regexp_full_match({column}, '[!-~]*') then"
        f" case when regexp_full_match({column}, '[A-HJ-NP-RT-Z][0-9]{{11}}[0-9A-HJ-NP-RT-Z]')"
        f" then substr('{UPN_LETTERS}', ({digits} + {last}) % 23 + 1, 1) = substr({column}, 1, 1) else false end"
        f" else hub_pupil_number_is_valid({column}) end"
    )


STANDARDISE_SQL = f"""
with cleaned as (
    select
        cast(record_id as varchar) as record_id,
        __SOURCE_DATASET__ as source_dataset,
        {_clean_name_sql("first_name")} as given_names,
        {_clean_name_sql("middle_names")} as middle_raw,
        {_clean_name_sql("surname")} as surname_spaced,
        regexp_replace(trim(coalesce(cast(date_of_birth as varchar), '')), '\\s.*$', '') as dob_raw,
        lower(substr(trim(coalesce(cast(sex as varchar), '')), 1, 1)) as sex_raw,
        {_address_sql("address")} as address,
        regexp_replace(upper(coalesce(cast(postcode as varchar), '')), '[^A-Z0-9]', '', 'g') as postcode_raw,
        regexp_replace(coalesce(cast(nhs_number as varchar), ''), '[^0-9]', '', 'g') as nhs_raw,
        nullif(upper(regexp_replace(coalesce(cast(pupil_number as varchar), ''), '\\s', '', 'g')), '') as upn_raw
    from __TABLE__
),
parsed as (
    -- Each pattern is matched once, its parts taken from the match (empty strings where it does not match).
    select
        *,
        regexp_extract(dob_raw, '^([0-9]{{1,2}})[/.-]([0-9]{{1,2}})[/.-]([0-9]{{4}})$', ['d', 'm', 'y']) as dob_dmy,
        regexp_extract(dob_raw, '^([0-9]{{4}})-([0-9]{{1,2}})-([0-9]{{1,2}})$', ['y', 'm', 'd']) as dob_iso,
        regexp_extract(postcode_raw, '{_UK_POSTCODE}', ['outward', 'inward']) as uk_postcode
    from cleaned
),
shaped as (
    select
        record_id,
        source_dataset,
        string_split(given_names, ' ')[1] as first_name,
        nullif(trim(concat_ws(' ', nullif(array_to_string(string_split(given_names, ' ')[2:], ' '), ''),
            middle_raw)), '') as middle_names,
        replace(surname_spaced, ' ', '') as surname,
        case when surname_spaced is not null then string_split(surname_spaced, ' ') end as surname_parts,
        case
            when dob_dmy.y <> '' then dob_dmy.y || '-' || lpad(dob_dmy.m, 2, '0') || '-' || lpad(dob_dmy.d, 2, '0')
            when dob_iso.y <> '' then dob_iso.y || '-' || lpad(dob_iso.m, 2, '0') || '-' || lpad(dob_iso.d, 2, '0')
            when regexp_matches(dob_raw, '^[0-9]{{8}}$') then
                substr(dob_raw, 1, 4) || '-' || substr(dob_raw, 5, 2) || '-' || substr(dob_raw, 7, 2)
        end as date_of_birth,
        case when sex_raw in ('m', 'f') then sex_raw end as sex,
        address,
        case when address is not null then string_split(address, ' ') end as address_split,
        case
            when uk_postcode.outward <> '' then uk_postcode.outward || ' ' || uk_postcode.inward
            else nullif(postcode_raw, '')
        end as postcode,
        nullif(uk_postcode.outward, '') as postcode_outward,
        case when length(nhs_raw) = 10 then nhs_raw end as nhs_number,
        case when {_pupil_number_valid_sql("upn_raw")} then upn_raw end as pupil_number
    from parsed
)
select
    shaped.record_id,
    shaped.source_dataset,
    shaped.first_name,
    case when shaped.first_name is not null then coalesce(v.names, [shaped.first_name]) end as first_name_variants,
    shaped.middle_names,
    case when shaped.first_name is not null then
        case when shaped.middle_names is null then [shaped.first_name]
        else list_concat([shaped.first_name], string_split(shaped.middle_names, ' ')) end end as given_names,
    shaped.surname,
    shaped.surname_parts,
    shaped.date_of_birth,
    substr(shaped.date_of_birth, 1, 4) || '-' || substr(shaped.date_of_birth, 9, 2) || '-'
        || substr(shaped.date_of_birth, 6, 2) as date_of_birth_swapped,
    substr(shaped.date_of_birth, 1, 4) as birth_year,
    shaped.sex,
    shaped.address,
    list_filter(shaped.address_split, lambda word, i: list_position(shaped.address_split, word) = i)
        as address_words,
    nullif(regexp_extract(coalesce(shaped.address, ''), '\\b([0-9]+[a-z]?)\\b', 1), '') as house_number,
    shaped.postcode,
    shaped.postcode_outward,
    case when shaped.postcode_outward is not null then substr(shaped.postcode, 1, length(shaped.postcode) - 2)
        end as postcode_sector,
    shaped.nhs_number,
    shaped.pupil_number
from shaped
left join hub_name_variants as v on v.name = shaped.first_name
"""

STANDARDISED_COLUMNS = (
    "record_id",
    "source_dataset",
    "first_name",
    "first_name_variants",
    "middle_names",
    "given_names",
    "surname",
    "surname_parts",
    "date_of_birth",
    "date_of_birth_swapped",
    "birth_year",
    "sex",
    "address",
    "address_words",
    "house_number",
    "postcode",
    "postcode_outward",
    "postcode_sector",
    "nhs_number",
    "pupil_number",
)


@cache
def name_variants() -> dict[str, tuple[str, ...]]:
    """Each nickname and the formal names it stands for, from the `nicknames` package's list."""
    from nicknames import name_triplets

    variants: dict[str, set[str]] = {}
    for formal, relationship, nickname in name_triplets():
        if relationship != "has_nickname":
            continue
        variants.setdefault(nickname.lower(), set()).add(formal.lower())
    return {name: tuple(sorted(formal)) for name, formal in variants.items()}


@cache
def known_first_names() -> frozenset[str]:
    """Every name the `nicknames` package's list holds, formal or nickname: names in their own right, so that
    two of them two letters apart (Levi and Lewis) are two names rather than one name with two slips."""
    from nicknames import name_triplets

    return frozenset(name.lower() for formal, _, nickname in name_triplets() for name in (formal, nickname))


def register_name_variants(con: duckdb.DuckDBPyConnection) -> None:
    """Make the nickname table available to `STANDARDISE_SQL` on this connection."""
    exists = con.execute(
        "select count(*) from information_schema.tables where table_name = 'hub_name_variants'"
    ).fetchall()
    if exists[0][0]:
        return
    import pyarrow as pa

    variants = name_variants()
    # `names`: the name and the formal names it stands for, each once (what the record's first_name_variants are).
    table = pa.table(
        {
            "name": list(variants),
            "variants": [list(v) for v in variants.values()],
            "names": [[name, *(formal for formal in v if formal != name)] for name, v in variants.items()],
        },
        schema=pa.schema(
            [("name", pa.string()), ("variants", pa.list_(pa.string())), ("names", pa.list_(pa.string()))]
        ),
    )
    con.register("hub_name_variants_arrow", table)
    con.execute("create table hub_name_variants as select * from hub_name_variants_arrow")
    con.unregister("hub_name_variants_arrow")
    con.register("hub_known_first_names_arrow", pa.table({"name": sorted(known_first_names())}))
    con.execute("create table hub_known_first_names as select * from hub_known_first_names_arrow")
    con.unregister("hub_known_first_names_arrow")


def register_pupil_number_check(con: duckdb.DuckDBPyConnection) -> None:
    """Make the check letter test of a unique pupil number (`core.identifiers`) a function of the SQL."""
    exists = con.execute(
        "select count(*) from duckdb_functions() where function_name = 'hub_pupil_number_is_valid'"
    ).fetchall()
    if exists[0][0]:
        return
    con.create_function(
        "hub_pupil_number_is_valid", pupil_number_is_valid, [duckdb.sqltype("VARCHAR")], duckdb.sqltype("BOOLEAN")
    )


def standardise_table(
    con: duckdb.DuckDBPyConnection, *, source: str, target: str, source_dataset: str | None = None
) -> None:
    """Create `target` from the raw records in `source` (any of INPUT_COLUMNS; absent ones are empty)."""
    register_name_variants(con)
    register_pupil_number_check(con)
    present = {row[0] for row in con.execute(f"describe {source}").fetchall()}
    if "record_id" not in present:
        raise ValueError("The records have no record_id column.")
    columns = ", ".join(name if name in present else f"null::varchar as {name}" for name in INPUT_COLUMNS)
    dataset = f"'{source_dataset}'" if source_dataset else "null::varchar"
    con.execute(f"create or replace temp view hub_raw_{target} as select {columns} from {source}")
    sql = STANDARDISE_SQL.replace("__TABLE__", f"hub_raw_{target}").replace("__SOURCE_DATASET__", dataset)
    con.execute(f"create or replace table {target} as {sql}")


# --- Checks on single values, for validating an agency's extract line by line -------------------

_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_POSTCODE = re.compile(_UK_POSTCODE)


class InvalidValue(ValueError):
    """A value that cannot be what its column says it is; the message says why, for the person importing."""


def parse_uk_date(text: str) -> date:
    """A date written dd/mm/yyyy (or with dots or dashes) or as ISO yyyy-mm-dd."""
    value = text.strip().split(" ")[0].split("T")[0]
    match = _DMY.match(value)
    if match:
        day, month, year = (int(part) for part in match.groups())
    else:
        match = _ISO.match(value)
        if not match:
            raise InvalidValue(f"“{text}” is not a date: write it as dd/mm/yyyy, for example 27/03/2015")
        year, month, day = (int(part) for part in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        raise InvalidValue(f"“{text}” is not a real date") from None


def normalise_postcode(text: str) -> str:
    """A UK postcode in capitals with one space before the inward code ("yo17hh" -> "YO1 7HH")."""
    squashed = re.sub(r"[^A-Z0-9]", "", text.upper())
    match = _POSTCODE.match(squashed)
    if not match:
        raise InvalidValue(f"“{text}” is not a UK postcode")
    return f"{match.group(1)} {match.group(2)}"


def normalise_nhs_number(text: str) -> str:
    digits = re.sub(r"[\s-]", "", text)
    if not nhs_number_is_valid(digits):
        raise InvalidValue(f"“{text}” is not a valid NHS number (it fails the modulus 11 check)")
    return digits


# --- One record in Python, for online matching --------------------------------------------------
# The same steps as STANDARDISE_SQL, for a single record without a round trip through DuckDB's
# planner (which costs more than the whole lookup). test_standardise checks the two agree.

_APOSTROPHES = re.compile(r"['’`]")
_NOT_LETTERS = re.compile(r"[^a-z]+")
_NOT_LETTERS_OR_DIGITS = re.compile(r"[^a-z0-9]+")
_ABBREVIATIONS = [(re.compile(rf"\b{short}\b"), full) for short, full in ADDRESS_ABBREVIATIONS.items()]
_HOUSE_NUMBER = re.compile(r"\b([0-9]+[a-z]?)\b")
_DOB_DMY = re.compile(r"^([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4})$")
_DOB_ISO = re.compile(r"^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})$")
_DOB_COMPACT = re.compile(r"^[0-9]{8}$")


def _strip_accents(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


def _clean(text: str | None, pattern: re.Pattern) -> str:
    value = _APOSTROPHES.sub("", _strip_accents(str(text or "")).lower())
    return pattern.sub(" ", value).strip()


def _dob(text: str | None) -> str | None:
    value = re.sub(r"\s.*$", "", str(text or "").strip())
    if match := _DOB_DMY.match(value):
        day, month, year = match.groups()
        return f"{year}-{month.zfill(2)}-{day.zfill(2)}"
    if match := _DOB_ISO.match(value):
        year, month, day = match.groups()
        return f"{year}-{month.zfill(2)}-{day.zfill(2)}"
    if _DOB_COMPACT.match(value):
        return f"{value[:4]}-{value[4:6]}-{value[6:]}"
    return None


def standardise_one(fields: dict) -> dict:
    """One record as STANDARDISE_SQL would make it."""
    given = _clean(fields.get("first_name"), _NOT_LETTERS)
    middle = _clean(fields.get("middle_names"), _NOT_LETTERS)
    surname_spaced = _clean(fields.get("surname"), _NOT_LETTERS)
    address = _clean(fields.get("address"), _NOT_LETTERS_OR_DIGITS)
    for pattern, full in _ABBREVIATIONS:
        address = pattern.sub(full, address)
    given_parts = given.split(" ") if given else []
    first_name = given_parts[0] if given_parts else None
    middle_names = " ".join(part for part in (" ".join(given_parts[1:]), middle) if part) or None
    date_of_birth = _dob(fields.get("date_of_birth"))
    sex = str(fields.get("sex") or "").strip()[:1].lower()
    postcode_raw = re.sub(r"[^A-Z0-9]", "", str(fields.get("postcode") or "").upper())
    uk = _POSTCODE.match(postcode_raw)
    postcode = f"{uk.group(1)} {uk.group(2)}" if uk else (postcode_raw or None)
    nhs = re.sub(r"[^0-9]", "", str(fields.get("nhs_number") or ""))
    house = _HOUSE_NUMBER.search(address) if address else None
    upn = clean_pupil_number(fields.get("pupil_number"))
    return {
        "record_id": str(fields.get("record_id") or ""),
        "source_dataset": None,
        "first_name": first_name,
        "first_name_variants": (
            list(dict.fromkeys([first_name, *name_variants().get(first_name, ())])) if first_name else None
        ),
        "middle_names": middle_names,
        "given_names": [name for name in (first_name, *(middle_names or "").split(" ")) if name]
        if first_name
        else None,
        "surname": surname_spaced.replace(" ", "") or None,
        "surname_parts": surname_spaced.split(" ") if surname_spaced else None,
        "date_of_birth": date_of_birth,
        "date_of_birth_swapped": (
            f"{date_of_birth[:4]}-{date_of_birth[8:10]}-{date_of_birth[5:7]}" if date_of_birth else None
        ),
        "birth_year": date_of_birth[:4] if date_of_birth else None,
        "sex": sex if sex in ("m", "f") else None,
        "address": address or None,
        "address_words": list(dict.fromkeys(address.split(" "))) if address else None,
        "house_number": house.group(1) if house else None,
        "postcode": postcode,
        "postcode_outward": uk.group(1) if uk else None,
        "postcode_sector": postcode[:-2] if uk else None,
        "nhs_number": nhs if len(nhs) == 10 else None,
        "pupil_number": upn if upn and pupil_number_is_valid(upn) else None,
    }
