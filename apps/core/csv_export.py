"""The one way the hub writes a CSV that a person may open in a spreadsheet.

A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` as a formula (and some treat a
leading tab or carriage return the same way), so text anyone could have typed, such as the e-mail
address given at a failed sign-in, could run a command on the reader's computer. Every such cell is
written with a leading `'`, which spreadsheets show as text. Numbers stay numbers: `-3` is written
as it is.

    writer = csv_writer(response)
    writer.writerow(["Name", "Hours"])

For a streamed response, `csv_lines(rows)` yields each row as text.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from typing import Any

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def safe_cell(value: Any) -> Any:
    """`value` as a spreadsheet will read it as text, never as a formula."""
    if value is None:
        return ""
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return value
    text = str(value)
    if text.startswith(FORMULA_PREFIXES) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


class CsvWriter:
    """`csv.writer` whose every cell goes through `safe_cell`."""

    def __init__(self, file, **options) -> None:
        self._writer = csv.writer(file, **options)

    def writerow(self, row: Iterable[Any]):
        return self._writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


class CsvDictWriter:
    """`csv.DictWriter` whose every cell goes through `safe_cell`."""

    def __init__(self, file, fieldnames: list[str], **options) -> None:
        self._writer = csv.DictWriter(file, fieldnames=fieldnames, **options)
        self.fieldnames = fieldnames

    def writeheader(self):
        return self._writer.writerow({name: safe_cell(name) for name in self.fieldnames})

    def writerow(self, row: Mapping[str, Any]):
        return self._writer.writerow({key: safe_cell(value) for key, value in row.items()})

    def writerows(self, rows: Iterable[Mapping[str, Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(file, **options) -> CsvWriter:
    return CsvWriter(file, **options)


def csv_dict_writer(file, fieldnames: list[str], **options) -> CsvDictWriter:
    return CsvDictWriter(file, fieldnames, **options)


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    """Each row as one line of CSV text, for a `StreamingHttpResponse`."""
    writer = CsvWriter(_Echo())
    for row in rows:
        yield writer.writerow(row)
