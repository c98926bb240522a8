"""A receiving team sees, on an item, the other items in its own queue that may be about the same person."""

from __future__ import annotations

import re

import pytest

from apps.accounts.tests.factories import UserFactory, with_totp
from apps.core.tests.fixtures import assert_accessible, use_session_of
from apps.linkage import services
from apps.linkage.tests.conftest import import_generated
from apps.referrals.models import FormType
from apps.referrals.samples import sample_answers
from apps.referrals.tests.factories import receiving_team, submit_sample, team_member

pytestmark = pytest.mark.django_db


def welfare_check(name: str, born: str, team, **kwargs):
    answers = sample_answers(FormType.WELFARE_CHECK)
    answers["person"] = {**answers["person"], "full_name": name, "date_of_birth": born, "age": None}
    return submit_sample(FormType.WELFARE_CHECK, team=team, answers=answers, **kwargs)


def listed(page: str) -> list[str]:
    if "May be about the same person" not in page:
        return []
    table = page.split("May be about the same person", 1)[1].split("</table>", 1)[0]
    return re.findall(r">([A-Z]{3}-\d{4}-\d{6}-[0-9A-Z])</a>", table)


def test_the_team_is_shown_its_own_earlier_items_about_the_person_and_nothing_else(
    client, generated_people, trained_model
):
    _, recorded = generated_people
    import_generated(recorded[:300])  # people linkage already knows, from an agency's extract
    services.save_model_version(model=trained_model, record_count=300)
    control_room = receiving_team("force-control-room", "Force Control Room")
    elsewhere = receiving_team("targeted-intervention-service", "Targeted Intervention Service")
    earlier = welfare_check("Jordan Lee Avery", "2011-03-27", control_room)
    someone_else = welfare_check("Casey Morgan", "2009-11-02", control_room)
    other_team = welfare_check("Jordan Avery", "2011-03-27", elsewhere)
    services.sync_sources()  # a linkage run brings the forms in
    today = welfare_check("Jordan Avery", "2011-03-27", control_room, by=UserFactory())

    member = team_member(control_room)
    with_totp(member)
    client.force_login(member)
    page = client.get(f"/forms/teams/force-control-room/items/{today.reference}/").content.decode()

    assert listed(page) == [earlier.reference], "the earlier item about Jordan, and only that"
    assert someone_else.reference not in listed(page)
    assert other_team.reference not in page, "another team's item is never mentioned"
    # The earlier item's own page names today's item only once linkage knows it.
    earlier_page = client.get(f"/forms/teams/force-control-room/items/{earlier.reference}/").content.decode()
    assert today.reference not in listed(earlier_page)
    services.sync_sources()
    earlier_page = client.get(f"/forms/teams/force-control-room/items/{earlier.reference}/").content.decode()
    assert listed(earlier_page) == [today.reference]


def test_without_a_trained_model_the_item_page_shows_no_matches(client):
    control_room = receiving_team("force-control-room", "Force Control Room")
    welfare_check("Jordan Avery", "2011-03-27", control_room)
    services.sync_sources()
    today = welfare_check("Jordan Avery", "2011-03-27", control_room)
    member = team_member(control_room)
    with_totp(member)
    client.force_login(member)
    response = client.get(f"/forms/teams/force-control-room/items/{today.reference}/")
    assert response.status_code == 200
    assert "May be about the same person" not in response.content.decode()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_list_of_likely_same_items_passes_axe(page, live_server, client, generated_people, trained_model):
    _, recorded = generated_people
    import_generated(recorded[:300])
    services.save_model_version(model=trained_model, record_count=300)
    control_room = receiving_team("force-control-room", "Force Control Room")
    earlier = welfare_check("Jordan Lee Avery", "2011-03-27", control_room)
    services.sync_sources()
    today = welfare_check("Jordan Avery", "2011-03-27", control_room)
    member = team_member(control_room)
    with_totp(member)
    use_session_of(page, client, live_server, member)
    page.goto(f"/forms/teams/force-control-room/items/{today.reference}/")
    page.get_by_role("heading", name="May be about the same person").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name=earlier.reference).click()
    page.get_by_role("heading", name=earlier.reference).wait_for()
