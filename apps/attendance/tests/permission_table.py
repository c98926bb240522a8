"""Every attendance URL x every role. None of the table's role users works for a school or is in the attendance
team, so the figures, uploads and pupils are refused to all but the system admin (who may see, never send).
Schools, the attendance team and early help leads are in test_access.py."""

from __future__ import annotations

from apps.core.tests.table import FORBIDDEN, LOGIN, OK, Row

SIGNED_OUT = {"anonymous": LOGIN, "pending": LOGIN, "suspended": LOGIN}
ANY_MEMBER = {**SIGNED_OUT, "*": OK}
SYSTEM_ADMIN = {**SIGNED_OUT, "system_admin": OK, "*": FORBIDDEN}
NOBODY = {**SIGNED_OUT, "*": FORBIDDEN}


def _term(users):
    from .factories import attendance_team_member, make_school, send, upn

    school = make_school("Table Test Primary School", "199999")
    send(school, [(upn(1, school=99), 130, 10, 4), (upn(2, school=99), 130, 70, 0)], by=attendance_team_member())
    return school


def figures(users):
    _term(users)
    return {}


def pupil(users):
    from ..models import Pupil

    _term(users)
    return {"pk": Pupil.objects.order_by("pk").first().pk}


ROWS = [
    Row("attendance:index", expect=ANY_MEMBER, setup=figures),
    Row("attendance:codes", expect=ANY_MEMBER),
    Row("attendance:sample", expect=ANY_MEMBER, setup=lambda users: {"kind": "termly"}, browse=False),
    Row("attendance:dashboard", expect=SYSTEM_ADMIN, setup=figures),
    Row("attendance:dashboard_csv", expect=SYSTEM_ADMIN, setup=figures, browse=False),
    Row("attendance:upload", expect=NOBODY),
    Row("attendance:upload", expect=NOBODY, method="post", data={"term": "1"}, browse=False),
    Row("attendance:pupil", expect=SYSTEM_ADMIN, setup=pupil),
    Row("attendance:record_barriers", expect=NOBODY, setup=pupil),
    Row(
        "attendance:record_barriers",
        expect=NOBODY,
        setup=pupil,
        method="post",
        data={"category": "complex"},
        browse=False,
    ),
]
