"""Reading an agency's extract (CSV or XLSX): its header, the column mapping, and every row checked
with its line number. Nothing here writes to the database; `services_extracts.py` does."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from apps.core.csv_export import csv_dict_writer
from apps.core.identifiers import pupil_number_is_valid

from .standardise import EARLIEST_BIRTH_YEAR, InvalidValue, normalise_nhs_number, normalise_postcode, parse_uk_date

# The most any extract may be; larger uploads are refused before a byte of them is read.
DEFAULT_MAX_UPLOAD_BYTES = 100 * 1024 * 1024


def max_upload_bytes() -> int:
    return int(getattr(settings, "HUB_LINKAGE_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES))


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    hint: str
    aliases: tuple[str, ...]


FIELDS = (
    Field(
        "agency_reference",
        "The agency's own identifier",
        "",
        (
            "id",
            "reference",
            "ref",
            "agency id",
            "record id",
            "client id",
            "case number",
            "pupil id",
            "patient id",
            "person id",
        ),
    ),
    Field(
        "first_name",
        "Given names",
        "",
        ("first name", "forename", "forenames", "given name", "given names", "firstname"),
    ),
    Field("middle_names", "Other names", "Middle names", ("middle name", "middle names", "other names", "second name")),
    Field("surname", "Surname", "", ("surname", "last name", "family name", "lastname")),
    Field(
        "date_of_birth",
        "Date of birth",
        "dd/mm/yyyy or yyyy-mm-dd",
        ("dob", "date of birth", "birth date", "birthdate"),
    ),
    Field("sex", "Sex", "", ("sex", "gender")),
    Field("address", "Address", "", ("address", "address line 1", "street", "home address")),
    Field("postcode", "Postcode", "", ("postcode", "post code", "postal code")),
    Field("nhs_number", "NHS number", "", ("nhs", "nhs number", "nhs no", "nhsno")),
    Field("pupil_number", "Unique pupil number (UPN)", "", ("upn", "unique pupil number", "pupil number")),
)
FIELD_KEYS = tuple(item.key for item in FIELDS)
REQUIRED_FIELDS = ("first_name", "surname", "date_of_birth")

_SEX = {
    "": "",
    "m": "m",
    "male": "m",
    "boy": "m",
    "f": "f",
    "female": "f",
    "girl": "f",
    "u": "",
    "unknown": "",
    "not known": "",
}


class ExtractProblem(Exception):
    """The file as a whole cannot be used; the message says why, for the person uploading it."""


class FileTooLarge(ExtractProblem):
    pass


class MappingInvalid(ExtractProblem):
    pass


@dataclass
class CheckedExtract:
    rows: list[dict] = field(default_factory=list)  # good rows, each with its "line"
    problems: list[dict] = field(default_factory=list)  # [{"line": n, "problems": [...]}]
    swallowed_lines: int = 0  # lines an unclosed quote ran into, each a row of the file

    @property
    def total(self) -> int:
        return len(self.rows) + len(self.problems) + self.swallowed_lines


def kind_of(name: str, head: bytes) -> str:
    """'xlsx' or 'csv', judged by the content as well as the name."""
    suffix = Path(name).suffix.lower()
    if head.startswith(b"PK\x03\x04"):
        if suffix not in {".xlsx", ".csv", ""}:
            raise ExtractProblem("The file must be a CSV or an Excel workbook (.xlsx).")
        return "xlsx"
    if suffix == ".xlsx":
        raise ExtractProblem("The file is named .xlsx but is not an Excel workbook: it may be damaged.")
    if suffix not in {".csv", ".txt", ""}:
        raise ExtractProblem("The file must be a CSV or an Excel workbook (.xlsx).")
    if b"\x00" in head:
        raise ExtractProblem("The file is not a CSV file: it holds binary data.")
    return "csv"


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def rows_of(path: Path, kind: str) -> Iterator[tuple[int, list[str], int]]:
    """(first line, cells, last line) for every row, the header being line 1. Blank rows are skipped.

    A CSV row ends on a later line than it starts when a cell is quoted across lines: an address
    written on two lines, or a quote mark nobody closed, which swallows the lines after it."""
    if kind == "xlsx":
        try:
            from openpyxl import load_workbook

            workbook = load_workbook(path, read_only=True, data_only=True)
        except Exception:  # openpyxl raises many kinds of error for a damaged workbook
            raise ExtractProblem(
                "The Excel workbook cannot be opened: it may be damaged or password protected."
            ) from None
        sheet = workbook.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [_cell(value) for value in values]
            if any(cells):
                yield number, cells, number
        workbook.close()
        return
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            last = 0
            for cells in reader:
                first, last = last + 1, reader.line_num
                if any(cell.strip() for cell in cells):
                    yield first, [cell.strip() for cell in cells], last
    except UnicodeDecodeError:
        raise ExtractProblem(
            "The CSV file is not in UTF-8: save it from Excel as “CSV UTF-8” and upload it again."
        ) from None
    except csv.Error as error:
        raise ExtractProblem(f"The CSV file cannot be read: {error}.") from None


def read_headers(path: Path, kind: str) -> list[str]:
    for _, cells, _ in rows_of(path, kind):
        headers = [cell or f"Column {index + 1}" for index, cell in enumerate(cells)]
        if len(set(headers)) != len(headers):
            raise ExtractProblem("Two columns in the first row have the same name: give each column its own name.")
        return headers
    raise ExtractProblem("The file is empty: it has no header row and no records.")


def guess_mapping(headers: list[str]) -> dict[str, str]:
    def simple(text: str) -> str:
        return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()

    guessed: dict[str, str] = {}
    for item in FIELDS:
        for header in headers:
            if simple(header) in item.aliases and header not in guessed.values():
                guessed[item.key] = header
                break
    return guessed


def check_mapping(mapping: dict[str, str], headers: list[str]) -> None:
    missing = [item.label for item in FIELDS if item.key in REQUIRED_FIELDS and not mapping.get(item.key)]
    if missing:
        raise MappingInvalid(f"Choose the column that holds: {', '.join(missing)}.")
    used = [header for header in mapping.values() if header]
    unknown = [header for header in used if header not in headers]
    if unknown:
        raise MappingInvalid(f"The file has no column called {unknown[0]}.")
    repeated = {header for header in used if used.count(header) > 1}
    if repeated:
        raise MappingInvalid(
            f"The column {sorted(repeated)[0]} is chosen for more than one field: choose each column once."
        )


def check_row(values: dict[str, str]) -> tuple[dict, list[str]]:
    """A row's values cleaned, and what is wrong with it (empty when it can be imported)."""
    clean: dict = {key: values.get(key, "").strip() for key in FIELD_KEYS}
    problems: list[str] = []
    for key, missing in (
        ("first_name", "Given names are missing."),
        ("surname", "Surname is missing."),
        ("date_of_birth", "Date of birth is missing."),
    ):
        if not clean[key]:
            problems.append(missing)
    if clean["date_of_birth"]:
        try:
            born = parse_uk_date(clean["date_of_birth"])
            if born > dt.date.today():
                problems.append(f"Date of birth “{clean['date_of_birth']}” is in the future.")
            elif born.year < EARLIEST_BIRTH_YEAR:
                problems.append(
                    f"Date of birth “{clean['date_of_birth']}” is before {EARLIEST_BIRTH_YEAR}: check the year."
                )
            clean["date_of_birth"] = born.isoformat()
        except InvalidValue as error:
            problems.append(f"Date of birth {error}.")
    if clean["postcode"]:
        try:
            clean["postcode"] = normalise_postcode(clean["postcode"])
        except InvalidValue as error:
            problems.append(f"Postcode {error}.")
    if clean["nhs_number"]:
        try:
            clean["nhs_number"] = normalise_nhs_number(clean["nhs_number"])
        except InvalidValue as error:
            problems.append(f"NHS number {error}.")
    sex = clean["sex"].lower()
    if sex in _SEX:
        clean["sex"] = _SEX[sex]
    else:
        problems.append(f"Sex “{clean['sex']}” is not one of female, male or not known.")
    if clean["pupil_number"]:
        upn = clean["pupil_number"].upper().replace(" ", "")
        if not pupil_number_is_valid(upn):
            problems.append(
                f"Unique pupil number “{clean['pupil_number']}” is not valid: it must be a check letter, 11 digits"
                " and a digit or letter, and the check letter must agree with the rest."
            )
        clean["pupil_number"] = upn
    for key, limit in (
        ("first_name", 100),
        ("middle_names", 200),
        ("surname", 100),
        ("address", 300),
        ("agency_reference", 100),
    ):
        if len(clean[key]) > limit:
            problems.append(f"{key.replace('_', ' ').capitalize()} is longer than {limit} characters.")
    return clean, problems


def check_extract(
    path: Path, kind: str, mapping: dict[str, str], *, known_references: set[str], fallback_prefix: str
) -> CheckedExtract:
    """Every data row checked with the mapping; `known_references` are the agency's already imported.

    A row without an identifier (none mapped, or the cell empty) is given `fallback_prefix` and its line
    number, which the caller makes unique to the extract."""
    rows = rows_of(path, kind)
    try:
        _, header, _ = next(rows)
    except StopIteration:
        raise ExtractProblem("The file is empty: it has no header row and no records.") from None
    headers = [cell or f"Column {index + 1}" for index, cell in enumerate(header)]
    check_mapping(mapping, headers)
    position = {key: headers.index(column) for key, column in mapping.items() if column}
    checked = CheckedExtract()
    seen: dict[str, int] = {}
    for line, cells, last in rows:
        values = {key: cells[index] if index < len(cells) else "" for key, index in position.items()}
        if last > line and _runs_on(values, len(headers)):
            checked.problems.append(
                {
                    "line": line,
                    "problems": [
                        f'A quote mark (") on line {line} is never closed, so lines {line} to {last} were read as'
                        " one record: close the quote and upload the file again."
                    ],
                }
            )
            checked.swallowed_lines += last - line
            continue
        clean, problems = check_row(values)
        reference = clean["agency_reference"] or f"{fallback_prefix}{line}"
        clean["agency_reference"] = reference
        if reference in seen:
            problems.append(f"The identifier “{reference}” is also on line {seen[reference]}.")
        elif reference in known_references:
            problems.append(f"A record with the identifier “{reference}” has already been imported from this agency.")
        seen.setdefault(reference, line)
        if problems:
            checked.problems.append({"line": line, "problems": problems})
        else:
            checked.rows.append({"line": line, **clean})
    if not checked.total:
        raise ExtractProblem("The file has a header row but no records.")
    return checked


def _runs_on(values: dict[str, str], columns: int) -> bool:
    """Whether a row read across lines swallowed the lines after it (an unclosed quote mark) rather than
    holding an address written on two lines: a line break in any other field, or an address that holds
    whole rows (as many commas as the file has columns, less one)."""
    return any("\n" in value and (key != "address" or value.count(",") >= columns - 1) for key, value in values.items())


def sniff(uploaded) -> bytes:
    head = uploaded.read(2048)
    uploaded.seek(0)
    return head if isinstance(head, bytes) else head.encode()


def csv_text(rows: list[dict], columns: list[str]) -> str:
    """A CSV of `rows` (for generated demo extracts)."""
    out = io.StringIO()
    writer = csv_dict_writer(out, columns, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()
