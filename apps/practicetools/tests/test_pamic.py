"""The PAMIC grid, cell by cell, with and without professional judgement; and its versions."""

from __future__ import annotations

import pytest

from apps.accounts.tests.factories import make_role_user

from .. import pamic, services
from ..models import PamicVersion

# Version 1's grid, worked out by hand from the partnership's table: rows are likelihood 1 (unlikely) to 4
# (almost certain), columns severity 1 (minimal) to 4 (severe); 1 = universal, 2 = early help, 3 = referral.
EXPECTED = {
    (1, 1): 1, (1, 2): 1, (1, 3): 2, (1, 4): 2,
    (2, 1): 1, (2, 2): 2, (2, 3): 2, (2, 4): 3,
    (3, 1): 2, (3, 2): 2, (3, 3): 3, (3, 4): 3,
    (4, 1): 2, (4, 2): 3, (4, 3): 3, (4, 4): 3,
}  # fmt: skip
RESPONSE = {1: "Universal services", 2: "Early help", 3: "Referral to children's social care"}
CONFIG = pamic.FIRST_VERSION
CELLS = sorted(EXPECTED)


@pytest.mark.parametrize(("likelihood", "severity"), CELLS)
def test_each_cell_of_the_grid_gives_its_level_and_response_when_judgement_agrees(likelihood, severity):
    outcome = pamic.weigh(CONFIG, likelihood=likelihood, severity=severity)
    level = EXPECTED[likelihood, severity]
    assert outcome.level["label"].startswith(f"Level {level}:")
    assert outcome.response == RESPONSE[level]
    assert not outcome.moved
    lines = pamic.reasoning(outcome, factors=[], notes="")
    assert f"Professional judgement agrees with the grid: Level {level}" in lines[-2]
    assert lines[-1].startswith(f"Suggested response: {RESPONSE[level]}.")
    [here] = [cell for _, _, cells in pamic.matrix(CONFIG, outcome) for cell in cells if cell.on_grid]
    assert (here.likelihood, here.severity, here.chosen) == (likelihood, severity, True)


OVERRIDES = [(*cell, judged) for cell in CELLS for judged in (1, 2, 3) if judged != EXPECTED[cell]]


@pytest.mark.parametrize(("likelihood", "severity", "judged"), OVERRIDES)
def test_each_cell_of_the_grid_moved_by_judgement_gives_the_judged_level_and_says_why(likelihood, severity, judged):
    on_grid = EXPECTED[likelihood, severity]
    with pytest.raises(pamic.JudgementNeedsReason, match=f"from Level {on_grid}: .* to Level {judged}:"):
        pamic.weigh(CONFIG, likelihood=likelihood, severity=severity, final_level=judged - 1, reason="  ")
    outcome = pamic.weigh(
        CONFIG, likelihood=likelihood, severity=severity, final_level=judged - 1, reason="Grandmother moved in"
    )
    assert outcome.moved and outcome.direction == ("up" if judged > on_grid else "down")
    assert outcome.grid_level_label.startswith(f"Level {on_grid}:")
    assert outcome.level["label"].startswith(f"Level {judged}:")
    assert outcome.response == RESPONSE[judged]
    lines = pamic.reasoning(outcome, factors=["School"], notes="")
    assert any(
        line.startswith(f"Professional judgement moves the result {outcome.direction} from Level {on_grid}")
        and line.endswith("because: Grandmother moved in")
        for line in lines
    )
    [here] = [cell for _, _, cells in pamic.matrix(CONFIG, outcome) for cell in cells if cell.on_grid]
    assert here.level == on_grid - 1 and not here.chosen


def test_a_likelihood_or_severity_off_the_scale_is_refused():
    with pytest.raises(pamic.ConfigProblem):
        pamic.weigh(CONFIG, likelihood=5, severity=1)
    with pytest.raises(pamic.ConfigProblem):
        pamic.weigh(CONFIG, likelihood=1, severity=0)


@pytest.mark.django_db
def test_version_one_is_there_on_a_fresh_database_and_a_version_never_changes():
    PamicVersion.objects.all().delete()
    first = services.current_version()
    assert first.number == 1 and first.config == CONFIG
    first.change_note = "Edited in place"
    with pytest.raises(ValueError, match="never changes"):
        first.save()


@pytest.mark.django_db
def test_a_new_version_changes_what_practitioners_use_but_not_the_version_a_saved_result_used():
    from apps.earlyhelp.tests.factories import add_child, open_family

    family = open_family()
    adult = add_child(family, role="parent_carer", first_name="Sam")
    child = family.members.get(role="child")
    first = services.current_version()
    outcome = pamic.weigh(first.config, likelihood=2, severity=2)
    result = services.save_result(
        family=family, adult=adult, child=child, version=first, mental_health="Anxiety", outcome=outcome,
        factors=[], notes="", by=family.lead,
    )  # fmt: skip
    changed = {**first.config, "grid": [[2, 2, 2, 2]] * 4}
    changed["levels"] = [dict(level) for level in first.config["levels"]]
    changed["levels"][2]["label"] = "Level 3: refer now"
    second = services.new_version(config=changed, change_note="Every cell refers", by=make_role_user("business_unit"))
    assert second.number == 2 and services.current_version() == second
    result.refresh_from_db()
    assert result.version == first
    assert result.outcome.level["label"] == "Level 2: moderate impact"
    assert pamic.weigh(second.config, likelihood=2, severity=2).level["label"] == "Level 3: refer now"
    first.refresh_from_db()
    assert first.config == CONFIG


@pytest.mark.django_db
def test_only_the_business_unit_makes_a_version_and_a_broken_grid_is_refused():
    with pytest.raises(Exception, match=r"practicetools\.configure_pamic"):
        services.new_version(config=CONFIG, change_note="x", by=make_role_user("practitioner"))
    broken = {**CONFIG, "grid": [[0, 0, 0, 9]] * 4}
    with pytest.raises(services.PracticeToolRefused, match="Every cell of the grid must name a level"):
        services.new_version(config=broken, change_note="Broken", by=make_role_user("business_unit"))
    assert not PamicVersion.objects.filter(number=2).exists()
