"""Importing a school's term: all or nothing, each bad input named by line, a term sent again replaces only
that school's term, and daily codes added up through the versioned mapping."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.audit.models import AuditEntry

from .. import importer
from ..models import MappingVersion, Pupil, PupilTerm, Upload
from ..services import ImportRefused
from .factories import DAILY_HEADER, attendance_team_member, make_school, send, termly_csv, upn

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return attendance_team_member()


@pytest.fixture
def school():
    return make_school()


def refused(school, rows=None, *, by, file=None, kind="termly") -> list[tuple]:
    with pytest.raises(ImportRefused) as caught:
        send(school, rows, by=by, file=file, kind=kind)
    assert not PupilTerm.objects.exists() or Upload.objects.count() == 1
    return caught.value.problems


def test_a_good_file_is_imported_with_the_mapping_version(school, team):
    upload = send(school, [(upn(1), 130, 4, 2), (upn(2), 130, 0, 0)], by=team)
    assert upload.pupils == 2
    assert upload.mapping_version == MappingVersion.objects.get(number=1)
    row = PupilTerm.objects.get(pupil__upn=upn(1))
    assert (row.possible, row.authorised, row.unauthorised, row.year_group, row.fsm) == (130, 4, 2, "5", True)
    assert AuditEntry.objects.filter(object_type="attendance.upload", action="create").exists()


def test_another_schools_pupils_are_refused_by_line(school, team):
    other = [school.urn, upn(1), "Ash", "Ava", "2015-01-01", "5", 100, 0, 0, "N", "N", "N"]
    theirs = ["100999", upn(2), "Birch", "Ben", "2015-01-01", "5", 100, 0, 0, "N", "N", "N"]
    problems = refused(school, [other, theirs], by=team)
    assert problems == [
        (
            3,
            "Line 3: The pupil is at the school with URN 100999, not Oakfield Primary School (URN 100001): the file"
            " holds another school's pupils.",
        )
    ]
    assert not Pupil.objects.exists()


def test_sessions_missed_over_sessions_possible(school, team):
    problems = refused(school, [(upn(1), 100, 0, 0), (upn(2), 40, 30, 12)], by=team)
    assert problems == [
        (
            3,
            "Line 3: Sessions missed (30 authorised and 12 unauthorised, 42 in all) are more than the sessions"
            " possible (40).",
        )
    ]
    assert not PupilTerm.objects.exists()


def test_an_unknown_year_group(school, team):
    row = [school.urn, upn(1), "Ash", "Ava", "2015-01-01", "15", 100, 0, 0, "N", "N", "N"]
    problems = refused(school, [(upn(2), 100, 0, 0), row], by=team)
    assert problems == [(3, "Line 3: The year group “15” is not a year group: use N1, N2, R or 1 to 14.")]


def test_a_upn_failing_its_check_letter(school, team):
    good = upn(1)
    wrong = ("A" if good[0] != "A" else "B") + good[1:]
    problems = refused(school, [(wrong, 100, 0, 0)], by=team)
    assert problems == [(2, f"Line 2: The UPN {wrong} fails its check letter: check it against the school's records.")]


def test_every_problem_is_listed_and_nothing_is_imported(school, team):
    rows = [(upn(1), 100, 0, 0), (upn(2), 40, 30, 12), ("X123", 100, 0, 0), (upn(1), 100, 0, 0)]
    problems = refused(school, rows, by=team)
    assert [line for line, _ in problems] == [3, 4, 5]
    assert "is also on line 2" in problems[2][1]
    assert not Pupil.objects.exists() and not Upload.objects.exists()


def test_broken_quoting_names_its_line(school, team):
    text = (
        "URN,UPN,Surname,Forename,Date of birth,Year group,Sessions possible,Authorised absence,Unauthorised absence\n"
    )
    text += (
        f'{school.urn},{upn(1)},Ash,Ava,2015-01-01,5,100,0,0\n{school.urn},{upn(2)},"Birch,Ben,2015-01-01,5,100,0,0\n'
    )
    text += f"{school.urn},{upn(3)},Cole,Cy,2015-01-01,5,100,0,0\n"
    problems = refused(school, by=team, file=SimpleUploadedFile("t.csv", text.encode()))
    assert len(problems) == 1 and problems[0][1].startswith("Line 3 cannot be read")
    assert not Pupil.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("term.xlsx", b"URN,UPN\n", "The file must be a CSV file (.csv)"),
        ("term.csv", b"PK\x03\x04rest", "The file is an Excel workbook"),
        ("term.csv", b"URN,UPN\x00\n", "binary data"),
        ("term.csv", "URN,UPN\n£".encode("latin-1"), "not in UTF-8"),
        ("term.csv", b"URN,UPN,Surname\n", "no column for: Forename, Date of birth, Year group"),
    ],
)
def test_files_that_are_not_attendance_are_refused(school, team, name, content, message):
    problems = refused(school, by=team, file=SimpleUploadedFile(name, content))
    assert problems[0][0] is None and message in problems[0][1]


def test_a_file_over_the_size_limit_is_refused(school, team, settings):
    settings.ATTENDANCE_MAX_UPLOAD_BYTES = 100
    problems = refused(school, by=team, file=termly_csv(school.urn, [(upn(n), 100, 0, 0) for n in range(5)]))
    assert problems == [(None, "The file must be smaller than 1 KB")]


def test_sending_a_term_again_replaces_that_schools_term_only(team):
    oakfield = make_school()
    elm = make_school("Elm Tree Primary School", "100002")
    send(oakfield, [(upn(1), 100, 10, 0), (upn(2), 100, 0, 0)], by=team, term=1)
    send(oakfield, [(upn(1), 100, 3, 0)], by=team, term=2)
    send(elm, [(upn(1, school=2), 100, 50, 0)], by=team, term=1)

    send(oakfield, [(upn(1), 120, 1, 1)], by=team, term=1)

    autumn_oakfield = PupilTerm.objects.filter(school=oakfield, term=1)
    assert [(row.pupil.upn, row.possible, row.missed) for row in autumn_oakfield] == [(upn(1), 120, 2)]
    assert PupilTerm.objects.filter(school=oakfield, term=2).count() == 1
    assert PupilTerm.objects.filter(school=elm, term=1).get().missed == 50
    assert Upload.objects.filter(school=oakfield, term=1).count() == 1
    assert "replaced the earlier upload of 2 pupils" in AuditEntry.objects.filter(action="create").first().detail


def daily_file(school, rows) -> SimpleUploadedFile:
    lines = [",".join(DAILY_HEADER)]
    for number, day, session, code in rows:
        lines.append(f"{school.urn},{number},Ash,Ava,2015-01-01,5,{day},{session},{code}")
    return SimpleUploadedFile("daily.csv", "\n".join(lines).encode())


def test_daily_codes_are_added_up_through_the_mapping(school, team):
    sessions = [
        ("2024-09-02", "AM", "/"),
        ("2024-09-02", "PM", "\\"),
        ("2024-09-03", "AM", "L"),  # late before the register closed: present
        ("2024-09-03", "PM", "U"),  # late after it closed: unauthorised
        ("2024-09-04", "AM", "I"),  # illness: authorised
        ("2024-09-04", "PM", "M"),
        ("2024-09-05", "AM", "B"),  # approved educational activity: present
        ("2024-09-05", "PM", "K"),
        ("2024-09-06", "AM", "J1"),  # interview: authorised since August 2024
        ("2024-09-06", "PM", "G"),  # holiday not agreed: unauthorised
        ("2024-09-09", "AM", "Y1"),  # transport not available: not a possible session
        ("2024-09-09", "PM", "#"),  # planned closure: not counted
        ("2024-09-10", "AM", "X"),  # non-compulsory school age: not counted
        ("2024-09-10", "PM", "D"),  # at the other school where dual registered: not counted here
        ("2024-09-11", "AM", "C2"),  # part-time timetable: authorised
        ("2024-09-11", "PM", "N"),  # no reason yet: unauthorised
    ]
    send(school, None, by=team, kind="daily", file=daily_file(school, [(upn(1), *s) for s in sessions]))
    row = PupilTerm.objects.get()
    assert (row.possible, row.authorised, row.unauthorised) == (12, 4, 3)
    assert row.codes == "C2:1 G:1 I:1 J1:1 M:1 N:1 U:1"


def test_a_withdrawn_code_is_named_with_its_replacement(school, team):
    file = daily_file(school, [(upn(1), "2024-09-02", "AM", "/"), (upn(1), "2024-09-02", "PM", "J")])
    problems = refused(school, by=team, file=file, kind="daily")
    assert problems == [(3, "Line 3: J was withdrawn in August 2024: an interview is now J1 (authorised absence).")]


def test_a_session_twice_is_refused(school, team):
    file = daily_file(school, [(upn(1), "2024-09-02", "AM", "/"), (upn(1), "2024-09-02", "AM", "I")])
    problems = refused(school, by=team, file=file, kind="daily")
    assert problems == [(3, "Line 3: The AM session of 2024-09-02 is also on line 2.")]


def test_the_mapping_covers_the_august_2024_codes():
    from ..models import CodeMapping

    codes = set(CodeMapping.objects.filter(version__number=1).values_list("code", flat=True))
    expected = {"/", "\\", "L", "U", "B", "D", "K", "P", "V", "W", "C", "C1", "C2", "E", "I", "J1", "M", "R", "S", "T"}
    expected |= {"Q", "X", "Z", "#", "G", "N", "O", *(f"Y{n}" for n in range(1, 8))}
    assert codes == expected
    assert not codes & {"H", "J", "Y", "F"}


def test_a_school_member_may_send_only_their_own_school(school):
    from django.core.exceptions import PermissionDenied

    from .factories import school_member

    elm = make_school("Elm Tree Primary School", "100002")
    with pytest.raises(PermissionDenied):
        send(elm, [(upn(1, school=2), 100, 0, 0)], by=school_member(school))
    assert send(school, [(upn(1), 100, 0, 0)], by=school_member(school)).pupils == 1


def test_counting_lines_counts_a_quoted_line_break(school, team):
    text = (
        "URN,UPN,Surname,Forename,Date of birth,Year group,Sessions possible,Authorised absence,Unauthorised absence\n"
    )
    text += (
        f'{school.urn},{upn(1)},"Ash\nWood",Ava,2015-01-01,5,100,0,0\n{school.urn},BAD,Cole,Cy,2015-01-01,5,100,0,0\n'
    )
    checked = importer.check(text, kind="termly", urn=school.urn, school_name="Oakfield", mapping={})
    assert [line for line, _ in checked.problems] == [2, 4]
