"""Reading and checking a school's attendance file. Nothing here writes to the database; `services.py` does.

Two formats, each a CSV with a header row (the sample files are in `apps/attendance/samples/`):

- termly: one row a pupil, with the term's sessions possible and missed (authorised and unauthorised);
- daily: one row a pupil's session (date, AM or PM, the national code), summed per pupil through the
  code mapping (`codes.py`, stored as `CodeMapping`).

Every problem is given with the line of the file it is on (the header is line 1). A row quoted across
lines counts each of its lines, so the numbers match what a spreadsheet or text editor shows.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field

from django.conf import settings

from apps.core.identifiers import clean_pupil_number, pupil_number_is_valid

from .codes import NOT_COUNTED, PRESENT, WITHDRAWN_2024

YEAR_GROUPS = ["N1", "N2", "R", *(str(number) for number in range(1, 15))]
MAX_PROBLEMS = 500


class FileProblem(Exception):
    """The file as a whole cannot be read (wrong type, too big, not UTF-8, broken quoting, no header)."""


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    aliases: tuple[str, ...]
    required: bool = True


COMMON = [
    Column("urn", "URN", ("urn", "school urn", "dfe urn")),
    Column("upn", "UPN", ("upn", "unique pupil number")),
    Column("surname", "Surname", ("surname", "last name", "legal surname")),
    Column("first_name", "Forename", ("forename", "first name", "legal forename")),
    Column("date_of_birth", "Date of birth", ("date of birth", "dob")),
    Column("year_group", "Year group", ("year group", "year", "ncyear", "nc year")),
]
FLAGS = [
    Column("sen", "SEN", ("sen", "send", "special educational needs"), required=False),
    Column("fsm", "FSM", ("fsm", "free school meals", "fsm eligible"), required=False),
    Column("social_worker", "Social worker", ("social worker", "has social worker", "cin"), required=False),
]
TERMLY = [
    *COMMON,
    Column("possible", "Sessions possible", ("sessions possible", "possible sessions", "possible")),
    Column("authorised", "Authorised absence", ("authorised absence", "sessions missed authorised", "authorised")),
    Column(
        "unauthorised",
        "Unauthorised absence",
        ("unauthorised absence", "sessions missed unauthorised", "unauthorised"),
    ),
    Column("codes", "Absence codes", ("absence codes", "codes"), required=False),
    *FLAGS,
]
DAILY = [
    *COMMON,
    Column("date", "Date", ("date", "session date")),
    Column("session", "Session", ("session", "am pm", "am/pm")),
    Column("code", "Code", ("code", "attendance code", "mark")),
    *FLAGS,
]
COLUMNS = {"termly": TERMLY, "daily": DAILY}


@dataclass
class CheckedFile:
    pupils: list[dict] = field(default_factory=list)  # one dict a pupil, with "line" (its first line)
    problems: list[tuple[int, str]] = field(default_factory=list)
    rows: int = 0  # rows of data read (a pupil in a termly file, a session in a daily one)

    def problem(self, line: int, message: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append((line, message))

    @property
    def too_many(self) -> bool:
        return len(self.problems) >= MAX_PROBLEMS


def max_upload_bytes() -> int:
    return int(getattr(settings, "ATTENDANCE_MAX_UPLOAD_BYTES", 10 * 1024 * 1024))


def size_text(size: int) -> str:
    return f"{size // (1024 * 1024)} MB" if size >= 1024 * 1024 else f"{max(1, size // 1024)} KB"


def _simple(text: str) -> str:
    return re.sub(r"[^a-z0-9/]+", " ", text.lower()).strip()


def read_text(uploaded) -> str:
    """The upload as text, refused if it is too big, not a CSV, or not UTF-8."""
    name = getattr(uploaded, "name", "") or ""
    if not name.lower().endswith((".csv", ".txt")):
        raise FileProblem("The file must be a CSV file (.csv)")
    if uploaded.size > max_upload_bytes():
        raise FileProblem(f"The file must be smaller than {size_text(max_upload_bytes())}")
    data = uploaded.read()
    if data.startswith(b"PK\x03\x04"):
        raise FileProblem("The file is an Excel workbook: save it as “CSV UTF-8” and upload that")
    if b"\x00" in data[:4096]:
        raise FileProblem("The file is not a CSV file: it holds binary data")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileProblem("The file is not in UTF-8: save it from Excel as “CSV UTF-8” and upload it again") from None


def _rows(text: str):
    """(first line, last line, cells) for each non-blank row; `csv.Error` for broken quoting names its line."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    last = 0
    try:
        for cells in reader:
            first, last = last + 1, reader.line_num
            if any(cell.strip() for cell in cells):
                yield first, last, [cell.strip() for cell in cells]
    except csv.Error as error:
        raise FileProblem(f"Line {last + 1} cannot be read ({error}): check its quote marks") from None


def _date(text: str) -> dt.date | None:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def _whole(text: str) -> int | None:
    return int(text) if re.fullmatch(r"\d{1,5}", text) else None


def _flag(text: str) -> bool | None:
    value = text.strip().lower()
    if value in {"y", "yes", "true", "1"}:
        return True
    if value in {"n", "no", "false", "0"}:
        return False
    return None


def check(text: str, *, kind: str, urn: str, school_name: str, mapping: dict[str, str]) -> CheckedFile:
    """Every row of the file checked; `mapping` is code -> category of the mapping version in use."""
    columns = COLUMNS[kind]
    rows = _rows(text)
    try:
        _, _, header = next(rows)
    except StopIteration:
        raise FileProblem("The file is empty: it has no header row") from None
    position: dict[str, int] = {}
    simple_headers = [_simple(cell) for cell in header]
    for column in columns:
        for index, name in enumerate(simple_headers):
            if name in column.aliases and index not in position.values():
                position[column.key] = index
                break
    missing = [column.label for column in columns if column.required and column.key not in position]
    if missing:
        raise FileProblem(f"The header row (line 1) has no column for: {', '.join(missing)}")
    checked = CheckedFile()
    by_upn: dict[str, dict] = {}
    seen_sessions: dict[tuple[str, dt.date, str], int] = {}
    for first, last, cells in rows:
        checked.rows += 1
        line = first

        def cell(key: str, cells: list[str] = cells) -> str:
            index = position.get(key)
            return cells[index] if index is not None and index < len(cells) else ""

        if last > first:
            checked.problem(line, f"A quote mark on line {line} runs on to line {last}: close the quote")
            continue
        if len(cells) > len(header):
            checked.problem(line, f"Line {line} has {len(cells)} cells but the header has {len(header)}")
            continue
        problems: list[str] = []
        row_urn = cell("urn")
        if row_urn != urn:
            problems.append(
                f"the pupil is at the school with URN {row_urn or '(blank)'}, not {school_name} (URN {urn}):"
                " the file holds another school's pupils"
            )
        upn = clean_pupil_number(cell("upn"))
        if not upn:
            problems.append("enter the pupil's UPN")
        elif not pupil_number_is_valid(upn):
            problems.append(f"the UPN {upn} fails its check letter: check it against the school's records")
        surname, first_name = cell("surname"), cell("first_name")
        if not surname or not first_name:
            problems.append("enter the pupil's forename and surname")
        born = _date(cell("date_of_birth"))
        if born is None:
            problems.append(f"the date of birth “{cell('date_of_birth')}” is not a date like 2015-09-30 or 30/09/2015")
        year_group = cell("year_group").upper()
        if year_group.isdigit():
            year_group = str(int(year_group))
        if year_group not in YEAR_GROUPS:
            problems.append(f"the year group “{cell('year_group')}” is not a year group: use N1, N2, R or 1 to 14")
        flags = {}
        for column in FLAGS:
            raw = cell(column.key)
            flags[column.key] = _flag(raw) if raw else None
            if raw and flags[column.key] is None:
                problems.append(f"{column.label} must be Y or N, not “{raw}”")
        person = {
            "upn": upn,
            "surname": surname,
            "first_name": first_name,
            "date_of_birth": born,
            "year_group": year_group,
            **flags,
        }
        if kind == "termly":
            counts = {key: _whole(cell(key)) for key in ("possible", "authorised", "unauthorised")}
            for key, label in (
                ("possible", "sessions possible"),
                ("authorised", "authorised absence"),
                ("unauthorised", "unauthorised absence"),
            ):
                if counts[key] is None:
                    problems.append(f"{label} must be a whole number of sessions, not “{cell(key)}”")
            if None not in counts.values():
                missed = counts["authorised"] + counts["unauthorised"]
                if missed > counts["possible"]:
                    problems.append(
                        f"sessions missed ({counts['authorised']} authorised and {counts['unauthorised']}"
                        f" unauthorised, {missed} in all) are more than the sessions possible ({counts['possible']})"
                    )
            codes, code_problems = _codes(cell("codes"), mapping)
            problems.extend(code_problems)
            if upn and upn in by_upn:
                problems.append(f"the UPN {upn} is also on line {by_upn[upn]['line']}")
            if problems:
                checked.problem(line, _sentence(line, problems))
                continue
            by_upn[upn] = {"line": line, **person, **counts, "codes": codes}
        else:
            day = _date(cell("date"))
            if day is None:
                problems.append(f"the date “{cell('date')}” is not a date like 2024-09-30 or 30/09/2024")
            session = cell("session").upper()
            if session not in {"AM", "PM"}:
                problems.append(f"the session must be AM or PM, not “{cell('session')}”")
            code = cell("code")
            category = mapping.get(code)
            if category is None:
                problems.append(WITHDRAWN_2024.get(code) or f"“{code}” is not a national attendance code")
            if not problems and (upn, day, session) in seen_sessions:
                problems.append(
                    f"the {session} session of {day.isoformat()} is also on line {seen_sessions[(upn, day, session)]}"
                )
            if upn in by_upn and not problems:
                earlier = by_upn[upn]
                if (earlier["surname"], earlier["first_name"], earlier["date_of_birth"]) != (surname, first_name, born):
                    problems.append(f"the pupil's name or date of birth differs from line {earlier['line']}")
            if problems:
                checked.problem(line, _sentence(line, problems))
                continue
            seen_sessions[(upn, day, session)] = line
            pupil = by_upn.setdefault(
                upn, {"line": line, **person, "possible": 0, "authorised": 0, "unauthorised": 0, "tally": {}}
            )
            pupil["year_group"] = year_group
            if category != NOT_COUNTED:
                pupil["possible"] += 1
            if category not in (PRESENT, NOT_COUNTED):
                pupil[category] += 1
                pupil["tally"][code] = pupil["tally"].get(code, 0) + 1
        if checked.too_many:
            break
    for pupil in by_upn.values():
        tally = pupil.pop("tally", None)
        if tally is not None:
            pupil["codes"] = " ".join(f"{code}:{count}" for code, count in sorted(tally.items()))
    checked.pupils = list(by_upn.values())
    if not checked.rows:
        raise FileProblem("The file has a header row but no pupils")
    return checked


def _codes(text: str, mapping: dict[str, str]) -> tuple[str, list[str]]:
    """A termly file's absence codes, written like "I:4 O:2" (or with ; between them)."""
    if not text:
        return "", []
    problems, parts = [], []
    for part in re.split(r"[;\s]+", text.strip()):
        found = re.fullmatch(r"([A-Z0-9#/\\]{1,2}):(\d{1,4})", part.upper())
        if not found:
            problems.append(f"the absence codes must be written like I:4 O:2, not “{part}”")
            continue
        code, count = found.groups()
        if code not in mapping:
            problems.append(WITHDRAWN_2024.get(code) or f"“{code}” is not a national attendance code")
            continue
        parts.append(f"{code}:{int(count)}")
    return " ".join(parts), problems


def _sentence(line: int, problems: list[str]) -> str:
    text = "; ".join(problems)
    return f"Line {line}: {text[0].upper()}{text[1:]}."
