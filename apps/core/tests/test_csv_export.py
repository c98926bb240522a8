"""The one CSV writer: what a person could have typed is never run as a spreadsheet formula."""

from __future__ import annotations

import csv
import io

import pytest

from apps.core.csv_export import FORMULA_PREFIXES, csv_dict_writer, csv_lines, csv_writer, safe_cell


@pytest.mark.parametrize("prefix", FORMULA_PREFIXES)
def test_a_cell_starting_with_a_formula_character_is_written_as_text(prefix):
    text = f"{prefix}1+2*cmd|'/Ccalc'!A0"
    out = io.StringIO()
    csv_writer(out).writerow(["ok", text])
    [row] = list(csv.reader(io.StringIO(out.getvalue())))
    assert row == ["ok", "'" + text]


def test_numbers_stay_numbers():
    assert safe_cell(-3) == -3
    assert safe_cell("-3") == "-3"
    assert safe_cell("-2.5") == "-2.5"
    assert safe_cell("-3+cmd") == "'-3+cmd"
    assert safe_cell(None) == ""
    assert safe_cell("Jo Bloggs") == "Jo Bloggs"


def test_the_dict_writer_and_streamed_lines_are_guarded_too():
    out = io.StringIO()
    writer = csv_dict_writer(out, ["name", "@header"])
    writer.writeheader()
    writer.writerow({"name": "=SUM(A1)", "@header": "+1"})
    assert out.getvalue().splitlines() == ["name,'@header", "'=SUM(A1),'+1"]
    assert "".join(csv_lines([["@x", 4]])) == "'@x,4\r\n"
