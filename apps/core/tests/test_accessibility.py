"""Every page of the hub, in a real browser, scanned with axe-core: no violations.

The pages come from the permission table: each GET row is visited as the first role
that may see it, so a new URL with a row is scanned without anyone remembering to.
"""

from __future__ import annotations

import pytest

from apps.core.tests.fixtures import assert_accessible, use_session_of
from apps.core.tests.table import OK, ROLES, all_rows

PAGES = [row for row in all_rows() if row.method == "get" and row.browse]


def first_role_allowed(row):
    for role in ROLES:
        if row.expected_for(role) == OK:
            return role
    return None


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("row", PAGES, ids=[row.label for row in PAGES])
def test_every_page_passes_axe(row, role_users, page, live_server, client):
    role = first_role_allowed(row)
    if role is None:
        pytest.skip(f"no role may see {row.label}")
    user = role_users[role]
    if user is not None:
        use_session_of(page, client, live_server, user)
    url = row.resolve(role_users)
    response = page.goto(url)
    assert response is not None and response.status == 200, f"{url} as {role}: {response and response.status}"
    assert_accessible(page, context=f"{url} as {role}")
