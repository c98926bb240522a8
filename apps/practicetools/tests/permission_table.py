"""Every practice tools URL x every role. Any practitioner may use the PAMIC tool without a record. A saved result
and the tool on a record follow the early help record's need-to-know rule: each family here is led by another
practitioner of the role users' organisation, so only system admins (who see every family) may read a result,
and nobody in the table may add one. The business unit keeps the configuration. The journeys themselves, the
lead and the team are in test_views.py."""

from __future__ import annotations

from apps.core.tests.table import FORBIDDEN, LOGIN, NOT_FOUND, OK, REDIRECT, Row

SIGNED_OUT = {"anonymous": LOGIN, "pending": LOGIN, "suspended": LOGIN}
PRACTITIONERS = {**SIGNED_OUT, "*": OK}
FAMILY = {**SIGNED_OUT, "system_admin": OK, "*": FORBIDDEN}
NOBODY = {**SIGNED_OUT, "*": FORBIDDEN}
BUSINESS_UNIT = {**SIGNED_OUT, "business_unit": OK, "*": FORBIDDEN}


def _colleague(users):
    from apps.accounts.tests.factories import UserFactory

    return UserFactory(organisation=users["practitioner"].organisation)


def family(users):
    from .factories import family_with_parent

    return {"pk": family_with_parent(_colleague(users)).pk}


def result(users):
    from .factories import family_with_parent, saved_result

    return {"pk": saved_result(family_with_parent(_colleague(users))).pk}


def version(users):
    from .. import services

    return {"number": services.current_version().number}


def answers(users):
    return {
        "adult": "Mother",
        "child": "J, 7",
        "mental_health": "Anxiety",
        "likelihood": "2",
        "severity": "2",
    }


ROWS = [
    Row("practicetools:pamic", expect=PRACTITIONERS),
    Row("practicetools:pamic_assess", expect=PRACTITIONERS),
    Row("practicetools:pamic_assess", method="post", expect={**SIGNED_OUT, "*": REDIRECT}, data=answers),
    # A token names answers kept in the practitioner's own session: another session's, or none, is not found.
    Row(
        "practicetools:pamic_judgement",
        expect={**SIGNED_OUT, "*": NOT_FOUND},
        setup=lambda users: {"token": "not-in-this-session"},
        browse=False,
    ),
    Row("practicetools:pamic_family", expect=FAMILY, setup=family),
    Row("practicetools:pamic_family_assess", expect=NOBODY, setup=family),
    Row("practicetools:pamic_family_assess", method="post", expect=NOBODY, setup=family, data=answers),
    Row("practicetools:pamic_result", expect=FAMILY, setup=result),
    Row("practicetools:pamic_result_pdf", expect=FAMILY, setup=result, browse=False),
    Row("practicetools:pamic_versions", expect=BUSINESS_UNIT),
    Row("practicetools:pamic_version", expect=PRACTITIONERS, setup=version),
    Row("practicetools:pamic_new_version", expect=BUSINESS_UNIT),
    Row("practicetools:pamic_new_version", method="post", expect={**BUSINESS_UNIT, "business_unit": 400}),
]
