"""Every accounts URL, and the allauth pages people reach, x every role.

Pending and suspended accounts cannot hold a session (is_active is False), so they get what anonymous gets.
All role users work for one organisation, "Role Test Agency", whose organisation admin is the
organisation_admin user; members made here join it unless a row says otherwise.
"""

from __future__ import annotations

from itertools import count

from apps.core.tests.table import FORBIDDEN, LOGIN, NOT_FOUND, OK, REDIRECT, Row

SIGNED_OUT = {"anonymous": LOGIN, "pending": LOGIN, "suspended": LOGIN}
SIGNED_IN = {**SIGNED_OUT, "*": OK}
ANYONE = {"*": OK}
# The sign-in pages: for people who are not signed in; everyone else is sent on to their account.
ENTRANCE = {"anonymous": OK, "pending": OK, "suspended": OK, "*": REDIRECT}
MEMBER_ADMINS = {**SIGNED_OUT, "business_unit": OK, "organisation_admin": OK, "system_admin": OK, "*": FORBIDDEN}
MEMBER_DECISIONS = {
    **SIGNED_OUT,
    "business_unit": REDIRECT,
    "organisation_admin": REDIRECT,
    "system_admin": REDIRECT,
    "*": FORBIDDEN,
}
SYSTEM_ADMINS = {**SIGNED_OUT, "system_admin": OK, "*": FORBIDDEN}
SYSTEM_ADMIN_CHANGES = {**SIGNED_OUT, "system_admin": REDIRECT, "*": FORBIDDEN}

_numbers = count(1)
made: dict = {}  # setup() runs before data(): objects a POST needs are passed along here


def _member(users, **kwargs):
    from apps.accounts.tests.factories import UserFactory

    organisation = users["organisation_admin"].organisation
    return UserFactory(organisation=kwargs.pop("organisation", organisation), **kwargs)


def pending_member(users):
    from apps.accounts.models import AccountStatus

    return {"pk": _member(users, status=AccountStatus.PENDING).pk}


def active_member(users):
    return {"pk": _member(users).pk}


def suspended_member(users):
    from apps.accounts.models import AccountStatus

    return {"pk": _member(users, status=AccountStatus.SUSPENDED, status_reason="Left the organisation").pk}


def member_of_another_organisation(users):
    from apps.accounts.models import AccountStatus
    from apps.accounts.tests.factories import OrganisationFactory

    other = OrganisationFactory(name="Another Agency")
    return {"pk": _member(users, organisation=other, status=AccountStatus.PENDING).pk}


def member_with_a_role(users):
    from apps.accounts.models import Role
    from apps.accounts.tests.factories import grant

    member = _member(users)
    grant(member, Role.TRAINER)
    return {"pk": member.pk, "grant_pk": member.role_grants.get().pk}


def an_organisation(users):
    from apps.accounts.tests.factories import OrganisationFactory

    made["organisation"] = OrganisationFactory()
    return {"pk": made["organisation"].pk}


def a_team(users):
    from apps.accounts.tests.factories import TeamFactory

    team = TeamFactory()
    return {"pk": team.organisation.pk, "team_pk": team.pk}


def new_organisation(users):
    return {"name": f"Table Test Organisation {next(_numbers)}", "sector": "health", "is_active": "on"}


def new_team(users):
    number = next(_numbers)
    return {"name": f"Table Test Team {number}", "slug": f"table-test-team-{number}"}


ROWS = [
    Row("accounts:dashboard", expect=SIGNED_IN),
    Row("accounts:members", expect=MEMBER_ADMINS),
    Row(path="/account/members/?status=pending&search=a", expect=MEMBER_ADMINS),
    Row("accounts:member", expect=MEMBER_ADMINS, setup=pending_member),
    Row(
        "accounts:member",
        expect={**MEMBER_ADMINS, "organisation_admin": FORBIDDEN},
        setup=member_of_another_organisation,
        browse=False,
    ),
    Row("accounts:approve_member", method="post", expect=MEMBER_DECISIONS, setup=pending_member),
    Row(
        "accounts:approve_member",
        method="post",
        expect={**MEMBER_DECISIONS, "organisation_admin": FORBIDDEN},
        setup=member_of_another_organisation,
    ),
    Row("accounts:suspend_member", expect=MEMBER_ADMINS, setup=active_member),
    Row(
        "accounts:suspend_member",
        method="post",
        data={"reason": "Left the organisation"},
        expect=MEMBER_DECISIONS,
        setup=active_member,
    ),
    Row("accounts:reinstate_member", method="post", expect=MEMBER_DECISIONS, setup=suspended_member),
    Row("accounts:grant_role", expect=SYSTEM_ADMINS, setup=active_member),
    Row(
        "accounts:grant_role",
        method="post",
        data={"role": "trainer"},
        expect=SYSTEM_ADMIN_CHANGES,
        setup=active_member,
    ),
    Row("accounts:revoke_role", expect=SYSTEM_ADMINS, setup=member_with_a_role),
    Row("accounts:revoke_role", method="post", expect=SYSTEM_ADMIN_CHANGES, setup=member_with_a_role),
    Row("accounts:organisations", expect=SYSTEM_ADMINS),
    Row("accounts:organisation_create", expect=SYSTEM_ADMINS),
    Row("accounts:organisation_create", method="post", data=new_organisation, expect=SYSTEM_ADMIN_CHANGES),
    Row("accounts:organisation", expect=SYSTEM_ADMINS, setup=an_organisation),
    Row("accounts:organisation_edit", expect=SYSTEM_ADMINS, setup=an_organisation),
    Row(
        "accounts:organisation_edit",
        method="post",
        setup=an_organisation,
        data=lambda users: {"name": made["organisation"].name, "sector": "police"},
        expect=SYSTEM_ADMIN_CHANGES,
    ),
    Row("accounts:team_create", expect=SYSTEM_ADMINS, setup=an_organisation),
    Row("accounts:team_create", method="post", setup=an_organisation, data=new_team, expect=SYSTEM_ADMIN_CHANGES),
    Row("accounts:team_edit", expect=SYSTEM_ADMINS, setup=a_team),
    # allauth's pages, in the hub's GOV.UK dress.
    Row(path="/accounts/login/", expect=ENTRANCE),
    Row(path="/accounts/signup/", expect=ENTRANCE),
    Row(path="/accounts/inactive/", expect=ANYONE),
    Row(path="/accounts/confirm-email/", expect=ANYONE),
    Row(path="/accounts/confirm-email/not-a-real-key/", expect=ANYONE),
    Row(path="/accounts/password/reset/", expect=ANYONE),
    Row(path="/accounts/password/reset/done/", expect=ANYONE),
    Row(path="/accounts/password/reset/key/1-not-a-real-key/", expect=ANYONE),
    Row(path="/accounts/password/change/", expect=SIGNED_IN),
    Row(path="/accounts/password/set/", expect={**SIGNED_OUT, "*": REDIRECT}, browse=False),
    Row(path="/accounts/email/", expect=SIGNED_IN),
    Row(path="/accounts/reauthenticate/", expect=SIGNED_IN),
    Row(path="/accounts/logout/", expect={"anonymous": REDIRECT, "pending": REDIRECT, "suspended": REDIRECT, "*": OK}),
    Row(path="/accounts/2fa/", expect=SIGNED_IN),
    # Adding an authenticator asks for the password again unless the person has just signed in
    # (test_browser.py walks that journey and scans the page); here every session is an old one.
    Row(path="/accounts/2fa/totp/activate/", expect={**SIGNED_OUT, "*": REDIRECT}),
    Row(
        path="/accounts/2fa/reauthenticate/",
        expect={**SIGNED_OUT, "practitioner": REDIRECT, "trainer": REDIRECT, "*": OK},
    ),
    Row(
        path="/accounts/2fa/totp/deactivate/",
        expect={**SIGNED_OUT, "practitioner": NOT_FOUND, "trainer": NOT_FOUND, "*": REDIRECT},
        browse=False,
    ),
    Row(path="/accounts/2fa/recovery-codes/", expect={**SIGNED_OUT, "*": NOT_FOUND}, browse=False),
]
