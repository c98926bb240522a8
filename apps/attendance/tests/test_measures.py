"""The measures on hand-worked examples: persistent absence at exactly 10% and severe at exactly 50%, and
just either side, counted by the database."""

from __future__ import annotations

import pytest

from .. import selectors
from .factories import attendance_team_member, make_school, send, upn

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("possible", "missed", "band"),
    [
        (100, 9, ""),
        (100, 10, "persistent"),
        (100, 11, "persistent"),
        (100, 49, "persistent"),
        (100, 50, "severe"),
        (100, 51, "severe"),
        (130, 12, ""),  # 9.2%
        (130, 13, "persistent"),  # exactly 10%
        (130, 65, "severe"),  # exactly 50%
        (131, 13, ""),  # 9.9%
        (0, 0, ""),
    ],
)
def test_band_of_one_pupil(possible, missed, band):
    assert selectors.band_of(possible, missed) == band


def test_the_database_counts_pupils_at_exactly_10_and_50_percent():
    team = attendance_team_member()
    school = make_school()
    # missed (authorised + unauthorised) of 100 possible: 9, 10, 11, 49, 50, 51; and 13 of 130 (exactly 10%).
    send(
        school,
        [
            (upn(1), 100, 9, 0),
            (upn(2), 100, 6, 4),
            (upn(3), 100, 11, 0),
            (upn(4), 100, 40, 9),
            (upn(5), 100, 25, 25),
            (upn(6), 100, 0, 51),
            (upn(7), 130, 13, 0),
            (upn(8), 130, 12, 0),
        ],
        by=team,
    )
    figures = selectors.figures(team)
    overall = figures.overall
    assert overall.pupils == 8
    assert overall.persistent == 6  # 10, 11, 49, 50, 51 of 100 and 13 of 130
    assert overall.severe == 2  # 50 and 51 of 100
    assert overall.possible == 860
    assert overall.missed == 9 + 10 + 11 + 49 + 50 + 51 + 13 + 12
    assert overall.rate == round(100 * (860 - 205) / 860, 1)
    assert overall.persistent_share == 75.0
    assert overall.severe_share == 25.0


def test_figures_by_year_group_term_and_cohort():
    from apps.accounts.tests.factories import UserFactory
    from apps.earlyhelp.models import FamilyStatus
    from apps.earlyhelp.tests.factories import open_family

    team = attendance_team_member()
    school = make_school()
    send(school, [(upn(1), 100, 20, 0), (upn(2), 100, 0, 0)], by=team, academic_year=2024, term=1)
    send(school, [(upn(1), 100, 60, 0), (upn(2), 100, 5, 0)], by=team, academic_year=2024, term=2)
    family = open_family(UserFactory())
    assert family.status == FamilyStatus.OPEN
    family.members.update(pupil_number=upn(1))

    figures = selectors.figures(team)
    assert figures.term_name == "Spring 2024/25"
    assert [(m.label, m.rate) for m in figures.by_term] == [("Autumn 2024/25", 90.0), ("Spring 2024/25", 67.5)]
    cohorts = {m.label: m for m in figures.by_cohort}
    assert cohorts["With an open early help plan"].pupils == 1
    assert cohorts["With an open early help plan"].severe == 1
    assert cohorts["Eligible for free school meals"].pupils == 2  # the test rows say Y
    assert cohorts["With a social worker"].pupils == 0
    autumn = selectors.figures(team, term=(2024, 1))
    assert autumn.overall.persistent == 1 and autumn.overall.severe == 0
    assert [m.label for m in autumn.by_year_group] == ["Year 5"]


def test_the_pupil_list_filters_on_the_latest_term():
    team = attendance_team_member()
    school = make_school()
    send(school, [(upn(1), 100, 60, 0), (upn(2), 100, 0, 0), (upn(3), 100, 0, 0)], by=team, term=1)
    send(school, [(upn(1), 100, 0, 0), (upn(2), 100, 50, 0), (upn(3), 100, 10, 0)], by=team, term=2)
    severe = selectors.pupil_list(team, band="severe")
    persistent = selectors.pupil_list(team, band="persistent")
    assert [pupil.upn for pupil in severe] == [upn(2)]
    assert {pupil.upn for pupil in persistent} == {upn(2), upn(3)}
    pupils = list(selectors.pupil_list(team))
    latest = {row.pupil.upn: (row.term, row.possible, row.missed) for row in selectors.latest_terms_of(pupils).values()}
    assert latest[upn(1)] == (2, 100, 0)


def test_the_figures_are_counted_again_after_an_upload():
    team = attendance_team_member()
    school = make_school()
    send(school, [(upn(1), 100, 0, 0)], by=team, term=1)
    assert selectors.figures(team).overall.persistent == 0
    send(school, [(upn(1), 100, 20, 0)], by=team, term=1)  # the term sent again
    assert selectors.figures(team).overall.persistent == 1
