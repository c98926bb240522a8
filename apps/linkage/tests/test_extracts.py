"""Importing an agency's extract: column mapping, validation with line numbers, all or nothing."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.accounts.tests.factories import OrganisationFactory
from apps.linkage import extracts, services
from apps.linkage.models import AgencyExtract, PersonRecord
from apps.linkage.tests.factories import supporting_families_member

pytestmark = pytest.mark.django_db

GOOD_AND_BAD = (
    "Client ID,Forename,Surname,DOB,Gender,Address,Post Code,NHS No\n"
    "H1,Amelia,Smith-Jones,07/03/2015,F,12 High St,yo17hh,943 476 5919\n"
    "H2,Oliver,Brown,31/02/2015,M,1 Low Rd,YO1 7HH,\n"
    "H3,Isla,Green,2014-11-30,F,,NOT A POSTCODE,9434765918\n"
    "H4,Jack,White,2013-01-05,M,,,\n"
)


@pytest.fixture
def team_member(settings, tmp_path):
    settings.PROTECTED_MEDIA_ROOT = tmp_path
    return supporting_families_member()


def upload(content: bytes | str, name: str = "extract.csv") -> SimpleUploadedFile:
    data = content.encode() if isinstance(content, str) else content
    return SimpleUploadedFile(name, data, content_type="text/csv")


def test_the_header_is_read_and_the_mapping_guessed(team_member):
    extract = services.start_extract(uploaded=upload(GOOD_AND_BAD), organisation=OrganisationFactory(), by=team_member)
    assert extract.headers == ["Client ID", "Forename", "Surname", "DOB", "Gender", "Address", "Post Code", "NHS No"]
    assert extract.column_mapping == {
        "agency_reference": "Client ID",
        "first_name": "Forename",
        "surname": "Surname",
        "date_of_birth": "DOB",
        "sex": "Gender",
        "address": "Address",
        "postcode": "Post Code",
        "nhs_number": "NHS No",
    }
    assert Path(extract.stored_path).exists()


def test_each_bad_row_is_reported_with_its_line_and_the_file_is_deleted(team_member):
    extract = services.start_extract(uploaded=upload(GOOD_AND_BAD), organisation=OrganisationFactory(), by=team_member)
    stored = Path(extract.stored_path)
    extract = services.check_extract(extract=extract, mapping=extract.column_mapping, by=team_member)
    assert not stored.exists()
    assert extract.stored_path == ""
    assert extract.status == AgencyExtract.Status.CHECKED
    assert extract.row_count == 4
    problems = {row["line"]: " ".join(row["problems"]) for row in extract.problems}
    assert set(problems) == {3, 4}
    assert "not a real date" in problems[3]
    assert "not a UK postcode" in problems[4]
    assert "modulus 11" in problems[4]
    assert [row["agency_reference"] for row in extract.checked_rows] == ["H1", "H4"]
    assert extract.checked_rows[0]["postcode"] == "YO1 7HH"
    assert extract.checked_rows[0]["date_of_birth"] == "2015-03-07"
    assert not PersonRecord.objects.exists()


def test_importing_takes_the_good_rows_and_only_once(team_member):
    organisation = OrganisationFactory()
    extract = services.start_extract(uploaded=upload(GOOD_AND_BAD), organisation=organisation, by=team_member)
    extract = services.check_extract(extract=extract, mapping=extract.column_mapping, by=team_member)
    extract = services.import_extract(extract=extract, by=team_member)
    assert extract.imported_count == 2
    assert extract.checked_rows == []
    assert sorted(PersonRecord.objects.values_list("source_reference", flat=True)) == ["H1", "H4"]
    amelia = PersonRecord.objects.get(source_reference="H1")
    assert (amelia.surname, amelia.nhs_number, amelia.organisation) == ("Smith-Jones", "9434765919", organisation)
    with pytest.raises(extracts.ExtractProblem, match="already been imported"):
        services.import_extract(extract=extract, by=team_member)
    again = services.start_extract(uploaded=upload(GOOD_AND_BAD), organisation=organisation, by=team_member)
    again = services.check_extract(extract=again, mapping=again.column_mapping, by=team_member)
    assert any("already been imported" in " ".join(row["problems"]) for row in again.problems)


def test_an_import_is_all_or_nothing(team_member, monkeypatch):
    extract = services.start_extract(uploaded=upload(GOOD_AND_BAD), organisation=OrganisationFactory(), by=team_member)
    extract = services.check_extract(extract=extract, mapping=extract.column_mapping, by=team_member)

    def fail(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(PersonRecord.objects, "bulk_create", fail)
    with pytest.raises(RuntimeError):
        services.import_extract(extract=extract, by=team_member)
    extract.refresh_from_db()
    assert extract.status == AgencyExtract.Status.CHECKED
    assert not PersonRecord.objects.exists()


def test_importing_nothing_forgets_the_rows(team_member):
    extract = services.start_extract(uploaded=upload(GOOD_AND_BAD), organisation=OrganisationFactory(), by=team_member)
    extract = services.check_extract(extract=extract, mapping=extract.column_mapping, by=team_member)
    extract = services.discard_extract(extract=extract, by=team_member)
    assert extract.status == AgencyExtract.Status.DISCARDED
    assert extract.checked_rows == []
    assert not PersonRecord.objects.exists()


def test_a_wrong_mapping_leaves_no_row_to_import(team_member):
    extract = services.start_extract(uploaded=upload(GOOD_AND_BAD), organisation=OrganisationFactory(), by=team_member)
    wrong = {"first_name": "Forename", "surname": "DOB", "date_of_birth": "Surname"}
    extract = services.check_extract(extract=extract, mapping=wrong, by=team_member)
    assert extract.checked_rows == []
    with pytest.raises(extracts.ExtractProblem, match="check the column mapping"):
        services.import_extract(extract=extract, by=team_member)


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        ({"first_name": "Forename", "surname": "Surname"}, "Date of birth"),
        ({"first_name": "Forename", "surname": "Forename", "date_of_birth": "DOB"}, "more than one field"),
        ({"first_name": "Nope", "surname": "Surname", "date_of_birth": "DOB"}, "no column called Nope"),
    ],
)
def test_an_impossible_mapping_is_refused(team_member, mapping, message):
    extract = services.start_extract(uploaded=upload(GOOD_AND_BAD), organisation=OrganisationFactory(), by=team_member)
    with pytest.raises(extracts.MappingInvalid, match=message):
        services.check_extract(extract=extract, mapping=mapping, by=team_member)


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "extract.csv", "empty"),
        (b"\n\n", "extract.csv", "empty"),
        (b"\x00\x01\x02binary", "extract.csv", "binary"),
        (b"not a workbook", "extract.xlsx", "not an Excel workbook"),
        (b"PK\x03\x04broken zip", "extract.xlsx", "cannot be opened"),
        ("Forename,Surname\n".encode("utf-16"), "extract.csv", "binary|UTF-8"),
        (b"a,a\n1,2\n", "extract.csv", "same name"),
        (b"id,name\n", "extract.pdf", "CSV or an Excel"),
    ],
)
def test_malformed_and_empty_files_get_a_clear_message_and_import_nothing(team_member, content, name, message):
    with pytest.raises(extracts.ExtractProblem, match=message):
        services.start_extract(uploaded=upload(content, name), organisation=OrganisationFactory(), by=team_member)
    assert not AgencyExtract.objects.exists()
    assert not list((Path(team_member and extracts.settings.PROTECTED_MEDIA_ROOT) / "linkage-uploads").glob("*"))


def test_a_header_with_no_records_is_refused_when_checked(team_member):
    extract = services.start_extract(
        uploaded=upload("Forename,Surname,DOB\n"), organisation=OrganisationFactory(), by=team_member
    )
    with pytest.raises(extracts.ExtractProblem, match="no records"):
        services.check_extract(extract=extract, mapping=extract.column_mapping, by=team_member)
    extract.refresh_from_db()
    assert extract.status == AgencyExtract.Status.DISCARDED
    assert extract.stored_path == ""


def test_a_file_over_the_limit_is_refused(team_member, settings):
    settings.HUB_LINKAGE_MAX_UPLOAD_BYTES = 100
    with pytest.raises(extracts.FileTooLarge, match="larger than"):
        services.start_extract(uploaded=upload(GOOD_AND_BAD), organisation=OrganisationFactory(), by=team_member)


def test_an_excel_workbook_is_read_like_a_csv(team_member):
    import datetime as dt

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["UPN", "First name", "Last name", "Date of birth"])
    sheet.append(["A123456789012", "Ava", "Khan", dt.datetime(2016, 4, 1)])
    sheet.append(["B12", "Leo", "Ali", "01/13/2016"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    extract = services.start_extract(
        uploaded=upload(buffer.getvalue(), "school.xlsx"), organisation=OrganisationFactory(), by=team_member
    )
    mapping = {
        "pupil_number": "UPN",
        "first_name": "First name",
        "surname": "Last name",
        "date_of_birth": "Date of birth",
    }
    extract = services.check_extract(extract=extract, mapping=mapping, by=team_member)
    assert extract.checked_rows[0]["date_of_birth"] == "2016-04-01"
    assert extract.checked_rows[0]["pupil_number"] == "A123456789012"
    problems = " ".join(extract.problems[0]["problems"])
    assert extract.problems[0]["line"] == 3
    assert "pupil number" in problems.lower() and "not a real date" in problems


NO_IDENTIFIER = "Forename,Surname,DOB\nAmelia,Smith,07/03/2015\nOliver,Brown,01/02/2014\n"
NEXT_MONTH = "Forename,Surname,DOB\nIsla,Green,30/11/2014\nJack,White,05/01/2013\nAva,Khan,01/04/2016\n"


def test_two_extracts_without_an_identifier_column_from_one_agency_are_both_imported(team_member):
    agency = OrganisationFactory(name="York Hospital")
    imported = []
    for content in (NO_IDENTIFIER, NEXT_MONTH):
        extract = services.start_extract(uploaded=upload(content), organisation=agency, by=team_member)
        assert "agency_reference" not in extract.column_mapping
        extract = services.check_extract(extract=extract, mapping=extract.column_mapping, by=team_member)
        assert extract.problems == []
        imported.append(services.import_extract(extract=extract, by=team_member))
    assert [extract.imported_count for extract in imported] == [2, 3]
    first, second = imported
    assert sorted(PersonRecord.objects.filter(extract=second).values_list("source_reference", flat=True)) == [
        f"extract-{second.pk}-line-2",
        f"extract-{second.pk}-line-3",
        f"extract-{second.pk}-line-4",
    ]
    assert PersonRecord.objects.get(source_reference=f"extract-{first.pk}-line-2").first_name == "Amelia"
    assert PersonRecord.objects.filter(organisation=agency).count() == 5


def _checked(team_member, content: str):
    extract = services.start_extract(uploaded=upload(content), organisation=OrganisationFactory(), by=team_member)
    return services.check_extract(extract=extract, mapping=extract.column_mapping, by=team_member)


def test_rows_missing_a_forename_surname_or_date_of_birth_are_refused_with_their_lines(team_member):
    extract = _checked(
        team_member,
        "Client ID,Forename,Surname,DOB\n"
        "A1,,Smith,07/03/2015\n"
        "A2,Amelia,,07/03/2015\n"
        "A3,Amelia,Smith,\n"
        "A4,Amelia,Smith,07/03/2015\n",
    )
    problems = {row["line"]: " ".join(row["problems"]) for row in extract.problems}
    assert problems == {
        2: "Given names are missing.",
        3: "Surname is missing.",
        4: "Date of birth is missing.",
    }
    assert [row["agency_reference"] for row in extract.checked_rows] == ["A4"]
    assert extract.row_count == 4


def test_dates_of_birth_before_1900_are_refused(team_member):
    extract = _checked(
        team_member,
        "Client ID,Forename,Surname,DOB\nA1,Ann,Lee,01/01/1388\nA2,Ann,Lee,0019-05-01\nA3,Ann,Lee,01/01/1900\n",
    )
    problems = {row["line"]: " ".join(row["problems"]) for row in extract.problems}
    assert set(problems) == {2, 3}
    assert all("before 1900" in text for text in problems.values())
    assert [row["agency_reference"] for row in extract.checked_rows] == ["A3"]


def test_an_unclosed_quote_is_refused_with_its_line_and_every_row_is_counted(team_member):
    extract = _checked(
        team_member,
        "Client ID,Forename,Surname,DOB,Address\n"
        "A1,Ann,Lee,01/01/2015,1 High St\n"
        'A2,Bob,Lee,01/01/2015,"2 High St\nYork"\n'  # an address on two lines is fine
        "A3,Cal,Lee,01/01/2015,3 High St\n"
        'A4,"Dee,Lee,01/01/2015,4 High St\n'  # never closed: swallows the next two lines
        "A5,Eve,Lee,01/01/2015,5 High St\n"
        "A6,Fay,Lee,01/01/2015,6 High St\n",
    )
    assert extract.row_count == 6
    assert [row["agency_reference"] for row in extract.checked_rows] == ["A1", "A2", "A3"]
    assert extract.checked_rows[1]["line"] == 3
    assert extract.checked_rows[2]["line"] == 5
    [problem] = extract.problems
    assert problem["line"] == 6
    assert "line 6" in problem["problems"][0] and "never closed" in problem["problems"][0]
    assert not PersonRecord.objects.exists()


def test_a_pupil_number_whose_check_letter_does_not_agree_is_refused():
    good, problems = extracts.check_row(
        {"first_name": "Ava", "surname": "Khan", "date_of_birth": "01/04/2016", "pupil_number": "a123 4567 89012"}
    )
    assert problems == [] and good["pupil_number"] == "A123456789012"
    _, problems = extracts.check_row(
        {"first_name": "Ava", "surname": "Khan", "date_of_birth": "01/04/2016", "pupil_number": "B123456789012"}
    )
    assert len(problems) == 1 and "check letter" in problems[0]
