"""The account pages as people meet them: signing up and in, waiting for approval, the members area,
organisations and teams, two-factor authentication and the limits on failed sign-ins."""

from __future__ import annotations

import datetime as dt
import html
import re
import time

import pytest
from allauth.mfa.models import Authenticator
from django.core.cache import cache
from django.test import Client
from freezegun import freeze_time

from apps.accounts import services
from apps.accounts.adapters import HubMFAAdapter
from apps.accounts.models import AccountStatus, Organisation, Role, RoleGrant, Sector, User
from apps.accounts.tests.factories import (
    PASSWORD,
    OrganisationFactory,
    TeamFactory,
    UserFactory,
    grant,
    make_role_user,
    with_totp,
)
from apps.audit.models import AuditAction, AuditEntry
from apps.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(response.content.decode()))


def title_of(response) -> str:
    return re.search(r"<title>\s*(.*?)\s*</title>", text_of(response)).group(1).strip()


@pytest.fixture
def school():
    return OrganisationFactory(name="Clifton Green Primary School", sector=Sector.EDUCATION)


@pytest.fixture
def school_admin(school):
    return make_role_user("organisation_admin", organisation=school, first_name="Olivia", last_name="Adams")


# --- Signing up and waiting for approval ------------------------------------------------------


def sign_up_data(school, **changes) -> dict:
    return {
        "first_name": "Nia",
        "last_name": "Okafor",
        "email": "nia.okafor@clifton.example.org",
        "job_title": "Teaching assistant",
        "organisation": str(school.pk),
        "password1": "kettle-orchard-lantern-92",
        "password2": "kettle-orchard-lantern-92",
        **changes,
    }


def test_a_practitioner_signs_up_confirms_their_address_and_waits_for_their_organisations_admin(
    client, school, school_admin
):
    response = client.post("/accounts/signup/", sign_up_data(school))

    assert response.status_code == 302 and response["Location"] == "/accounts/confirm-email/"
    newcomer = User.objects.get(email="nia.okafor@clifton.example.org")
    assert (newcomer.status, newcomer.is_active, newcomer.organisation) == (AccountStatus.PENDING, False, school)
    assert AuditEntry.objects.filter(action=AuditAction.CREATE, object_id=str(newcomer.pk)).exists()
    assert "Check your email" in text_of(client.get(response["Location"]))
    (confirmation,) = OutboxMessage.objects.filter(to=newcomer.email)
    link = re.search(r"http://\S+/accounts/confirm-email/\S+/", confirmation.body_text).group(0)
    assert not OutboxMessage.objects.filter(to=school_admin.email).exists()  # not before the address is confirmed

    confirm_page = client.get(link)
    assert "Confirm that nia.okafor@clifton.example.org is your email address" in text_of(confirm_page)
    confirmed = client.post(link)

    assert confirmed.status_code == 302
    (notice,) = OutboxMessage.objects.filter(to=school_admin.email, purpose="accounts:member_signed_up")
    assert "Nia Okafor" in notice.subject
    signed_in = client.post("/accounts/login/", {"login": newcomer.email, "password": "kettle-orchard-lantern-92"})
    assert signed_in.status_code == 302 and signed_in["Location"] == "/accounts/inactive/"
    waiting = client.get("/accounts/inactive/")
    assert "Your account is waiting for approval by Clifton Green Primary School's administrator" in text_of(waiting)
    assert client.get("/account/").status_code == 302  # still not signed in


def test_signing_up_with_mistakes_shows_each_and_keeps_what_was_typed(client, school):
    response = client.post(
        "/accounts/signup/",
        sign_up_data(school, first_name="", email="nia.okafor-at-clifton", password2="something-else-entirely"),
    )

    page = text_of(response)
    assert response.status_code == 200
    assert title_of(response).startswith("Error: Ask for an account")
    summary = page[page.index("govuk-error-summary") : page.index("<h1")]
    assert 'href="#id_first_name">Enter your first name' in summary
    assert 'href="#id_email">Enter an email address in the correct format' in summary
    assert 'href="#id_password2">' in summary
    assert 'value="nia.okafor-at-clifton"' in page and 'value="Teaching assistant"' in page
    assert f'<option value="{school.pk}" selected>' in page
    assert "kettle-orchard-lantern-92" not in page  # passwords are never sent back
    assert not User.objects.filter(last_name="Okafor").exists()


def test_an_unconfirmed_newcomer_who_signs_in_is_sent_the_link_again(client, school):
    client.post("/accounts/signup/", sign_up_data(school))
    client.logout()
    cache.clear()

    response = client.post(
        "/accounts/login/", {"login": "nia.okafor@clifton.example.org", "password": "kettle-orchard-lantern-92"}
    )

    assert response["Location"] == "/accounts/confirm-email/"
    assert OutboxMessage.objects.filter(to="nia.okafor@clifton.example.org").count() == 2


def test_a_suspended_member_who_signs_in_is_told_whom_to_contact(client, school):
    member = UserFactory(organisation=school, status=AccountStatus.SUSPENDED)

    response = client.post("/accounts/login/", {"login": member.email, "password": PASSWORD}, follow=True)

    page = text_of(response)
    assert "Your account is suspended" in page
    assert "contact Clifton Green Primary School's administrator or the partnership business unit" in page


# --- Signing in -------------------------------------------------------------------------------


def test_a_wrong_password_is_refused_with_a_message_the_address_kept_and_an_audit_entry(client, school):
    member = UserFactory(organisation=school)

    response = client.post("/accounts/login/", {"login": member.email, "password": "not-my-password"})

    page = text_of(response)
    assert title_of(response).startswith("Error: Sign in")
    assert '<a href="#id_login">Enter a correct email address and password</a>' in page
    assert f'value="{member.email}"' in page and "not-my-password" not in page
    failed = AuditEntry.objects.get(action=AuditAction.SIGN_IN_FAILED)
    assert failed.actor_label == member.email and failed.ip_address == "127.0.0.1"


def sign_in(client, email, password, address="192.0.2.10"):
    return client.post("/accounts/login/", {"login": email, "password": password}, REMOTE_ADDR=address)


def test_wrong_passwords_lock_that_account_and_not_a_colleague_at_the_same_address(client, school):
    member = UserFactory(organisation=school)
    colleague = UserFactory(organisation=school)
    start = dt.datetime(2024, 3, 4, 9, 0, tzinfo=dt.UTC)

    with freeze_time(start) as clock:
        for _ in range(5):
            assert "Enter a correct email address and password" in text_of(sign_in(client, member.email, "wrong"))
            clock.tick(dt.timedelta(seconds=20))

        refused = sign_in(client, member.email, PASSWORD)
        page = text_of(refused)
        assert refused.status_code == 200
        assert (
            '<a href="#id_login">You have entered the wrong password too many times. Wait 5 minutes, then try again,'
            " or reset your password</a>" in page
        )
        assert "Your account is locked for a few minutes" in page
        assert '<a class="govuk-link" href="/accounts/password/reset/">reset your password</a>' in page
        assert client.get("/account/").status_code == 302

        other = Client()
        allowed = sign_in(other, colleague.email, PASSWORD)
        assert allowed.status_code == 302 and allowed["Location"] == "/account/"

        clock.tick(dt.timedelta(minutes=5))
        allowed = sign_in(client, member.email, PASSWORD)
        assert allowed.status_code == 302 and allowed["Location"] == "/account/"

    failures = AuditEntry.objects.filter(action=AuditAction.SIGN_IN_FAILED)
    assert failures.count() == 6
    assert failures.filter(detail="Refused: too many failed sign-ins", actor_label=member.email).exists()


def test_wrong_passwords_for_one_account_from_many_addresses_lock_it_everywhere(client, school):
    member = UserFactory(organisation=school)
    for attempt in range(10):
        sign_in(client, member.email, "wrong", address=f"198.51.100.{attempt}")

    refused = sign_in(client, member.email, PASSWORD, address="203.0.113.7")

    assert "You have entered the wrong password too many times. Wait 15 minutes" in text_of(refused)
    assert client.get("/account/").status_code == 302


def test_one_address_trying_many_accounts_is_stopped_at_a_far_higher_ceiling(client, school, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed_per_address": "12/15m/ip"}
    member = UserFactory(organisation=school)
    for attempt in range(12):
        assert "Enter a correct email" in text_of(sign_in(client, f"guess{attempt}@example.org", "wrong"))

    refused = text_of(sign_in(client, member.email, PASSWORD))

    assert "There have been too many failed sign-ins from your organisation's network. Wait 15 minutes" in refused
    assert "Your account is locked" not in refused
    assert text_of(sign_in(Client(), member.email, PASSWORD, address="203.0.113.7")) != refused
    assert AuditEntry.objects.filter(detail="Refused: too many failed sign-ins from this address").exists()


def test_the_real_ceiling_per_address_is_far_above_one_persons_limit(settings):
    from allauth.core.internal.ratelimit import parse_rates

    [per_address] = parse_rates(settings.ACCOUNT_RATE_LIMITS["login_failed_per_address"])
    [one_person] = parse_rates(settings.ACCOUNT_RATE_LIMITS["login_failed_from_address"])
    assert per_address.per == "ip" and per_address.amount >= 10 * one_person.amount


def test_resetting_the_password_unlocks_the_account(client, school):
    member = UserFactory(organisation=school)
    for _ in range(5):
        sign_in(client, member.email, "wrong")
    assert "wrong password too many times" in text_of(sign_in(client, member.email, PASSWORD))

    from allauth.account.adapter import get_adapter
    from django.test import RequestFactory

    request = RequestFactory().post("/", REMOTE_ADDR="192.0.2.10")
    get_adapter()._delete_login_attempts_cached_email(request, email=member.email)

    assert sign_in(client, member.email, PASSWORD).status_code == 302


def test_too_many_sign_in_requests_get_a_govuk_page(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "2/m/ip"}
    for _ in range(2):
        client.post("/accounts/login/", {"login": "someone@example.org", "password": "wrong"})

    response = client.post("/accounts/login/", {"login": "someone@example.org", "password": "wrong"})

    assert response.status_code == 429
    assert title_of(response).startswith("Too many attempts")
    assert "Wait a few minutes, then try again" in text_of(response)


def test_a_role_that_sees_protected_records_signs_in_with_an_authenticator_code(client, school):
    from apps.accounts.tests.factories import current_totp_code

    member = make_role_user("team_member", organisation=school)

    response = client.post("/accounts/login/", {"login": member.email, "password": PASSWORD})
    assert response["Location"] == "/accounts/2fa/authenticate/"
    step = client.get("/accounts/2fa/authenticate/")
    assert "Authenticator code" in text_of(step)
    wrong = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    assert '<a href="#id_code">The code is not right' in text_of(wrong)

    right = client.post("/accounts/2fa/authenticate/", {"code": current_totp_code()})

    assert right["Location"] == "/account/"
    assert client.get("/account/").status_code == 200


# --- A suspended account is signed out at once ------------------------------------------------


def test_a_suspended_members_next_request_is_treated_as_signed_out(client, school, school_admin):
    member = UserFactory(organisation=school)
    client.force_login(member)
    assert client.get("/account/").status_code == 200

    services.suspend_member(member=member, by=school_admin, reason="Left the school")

    response = client.get("/account/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_session_from_before_a_suspension_does_not_come_back_on_reinstatement(client, school, school_admin):
    member = UserFactory(organisation=school)
    client.force_login(member)
    services.suspend_member(member=member, by=school_admin, reason="On leave")
    services.reinstate_member(member=member, by=school_admin)

    assert client.get("/account/").status_code == 302


# --- Two-factor authentication is required for roles that see protected records --------------


@pytest.mark.parametrize("role", [Role.TEAM_MEMBER, Role.BUSINESS_UNIT, Role.ORGANISATION_ADMIN, Role.SYSTEM_ADMIN])
def test_a_role_that_sees_protected_records_must_set_up_an_authenticator_before_anything_else(client, school, role):
    member = UserFactory(organisation=school)
    if role == Role.TEAM_MEMBER:
        grant(member, role, team=TeamFactory())
    elif role == Role.ORGANISATION_ADMIN:
        grant(member, role, organisation=school)
    else:
        grant(member, role)
    client.force_login(member)

    for path in ["/account/", "/training/", "/audit/", "/account/members/"]:
        response = client.get(path)
        assert response.status_code == 302 and response["Location"] == "/accounts/2fa/totp/activate/", path
    assert client.get("/accounts/2fa/").status_code == 200  # the pages to set it up stay open
    assert client.get("/accounts/logout/").status_code == 200

    with_totp(member)
    assert client.get("/account/").status_code == 200


def test_setting_up_an_authenticator_just_after_signing_in_does_not_ask_for_the_password_again(client, school):
    editor = UserFactory(organisation=school)
    grant(editor, Role.BUSINESS_UNIT)
    start = dt.datetime(2024, 3, 4, 9, 0, tzinfo=dt.UTC)

    with freeze_time(start) as clock:
        client.post("/accounts/login/", {"login": editor.email, "password": PASSWORD})
        assert client.get("/account/")["Location"] == "/accounts/2fa/totp/activate/"
        set_up = client.get("/accounts/2fa/totp/activate/")
        assert set_up.status_code == 200 and "Set up an authenticator app" in text_of(set_up)

        clock.tick(dt.timedelta(minutes=6))
        later = client.get("/accounts/2fa/totp/activate/")
        assert later.status_code == 302 and later["Location"].startswith("/accounts/reauthenticate/")


def test_reloading_the_set_up_page_keeps_the_key_so_the_scanned_code_works(client, school):
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    editor = grant(UserFactory(organisation=school), Role.BUSINESS_UNIT)
    client.post("/accounts/login/", {"login": editor.email, "password": PASSWORD})

    def key_shown() -> str:
        page = client.get("/accounts/2fa/totp/activate/").content.decode()
        return re.search(r'id="authenticator-secret">([A-Z2-7]+)<', page).group(1)

    scanned = key_shown()
    assert key_shown() == scanned
    code = format_hotp_value(hotp_value(scanned, int(time.time()) // 30))

    response = client.post("/accounts/2fa/totp/activate/", {"code": code})

    assert response.status_code == 302
    assert Authenticator.objects.filter(user=editor, type=Authenticator.Type.TOTP).exists()
    assert "mfa.totp.secret" not in client.session  # set up: allauth forgets the key


def test_practitioners_and_trainers_may_choose_not_to_use_two_factor(client, school):
    for member in (UserFactory(organisation=school), make_role_user("trainer", organisation=school)):
        client.force_login(member)
        assert client.get("/account/").status_code == 200


def test_a_role_that_sees_protected_records_cannot_turn_two_factor_off(client, school):
    team_member = make_role_user("team_member", organisation=school)
    practitioner = with_totp(UserFactory(organisation=school))
    adapter = HubMFAAdapter()

    assert not adapter.can_delete_authenticator(Authenticator.objects.get(user=team_member))
    assert adapter.can_delete_authenticator(Authenticator.objects.get(user=practitioner))
    client.force_login(team_member)
    assert "Turn off two-factor authentication" not in text_of(client.get("/accounts/2fa/"))
    client.force_login(practitioner)
    assert "Turn off two-factor authentication" in text_of(client.get("/accounts/2fa/"))


# --- Your account -----------------------------------------------------------------------------


def test_your_account_shows_who_you_are_and_the_links_for_your_roles(client, school):
    practitioner = UserFactory(organisation=school, first_name="Priya", last_name="Shah", job_title="DSL")
    client.force_login(practitioner)

    page = text_of(client.get("/account/"))

    assert '<h1 class="govuk-heading-xl">Your account</h1>' in page
    assert "Priya Shah" in page and "Clifton Green Primary School" in page and "DSL" in page
    for link in [
        "/accounts/password/change/",
        "/accounts/2fa/",
        "/training/my-training/",
        "/training/learning-record/",
        'href="/forms/"',
    ]:
        assert link in page
    for link in ["/account/members/", "/audit/", "/mailbox/", "/account/organisations/"]:
        assert link not in page


def test_a_system_admins_account_links_to_the_admin_pages(client, school):
    admin = make_role_user("system_admin", organisation=school)
    UserFactory(organisation=school, status=AccountStatus.PENDING)
    client.force_login(admin)

    page = text_of(client.get("/account/"))

    assert "System administrator" in page
    for link in ["/account/members/", "/account/organisations/", 'href="/audit/"', 'href="/mailbox/"']:
        assert link in page
    assert "(1 waiting for approval)" in page


# --- Members ----------------------------------------------------------------------------------


def test_an_organisation_admin_sees_their_own_members_waiting_ones_first(client, school, school_admin):
    UserFactory(organisation=school, last_name="Active", first_name="Amy")
    UserFactory(organisation=school, last_name="Suspended", first_name="Sam", status=AccountStatus.SUSPENDED)
    UserFactory(organisation=school, last_name="Pending", first_name="Pat", status=AccountStatus.PENDING)
    UserFactory(organisation=OrganisationFactory(name="Little Acorns Nursery"), last_name="Elsewhere")
    client.force_login(school_admin)

    page = text_of(client.get("/account/members/"))

    assert "Elsewhere" not in page
    assert page.index("Pat Pending") < page.index("Amy Active") < page.index("Sam Suspended")
    filtered = text_of(client.get("/account/members/", {"status": "suspended"}))
    assert "Sam Suspended" in filtered and "Amy Active" not in filtered


def test_the_business_unit_filters_members_by_organisation(client, school):
    business_unit = make_role_user("business_unit", organisation=OrganisationFactory(name="The Partnership"))
    nursery = OrganisationFactory(name="Little Acorns Nursery")
    UserFactory(organisation=school, last_name="Schoolperson")
    UserFactory(organisation=nursery, last_name="Nurseryperson")
    client.force_login(business_unit)

    page = text_of(client.get("/account/members/", {"organisation": nursery.pk}))

    assert "Nurseryperson" in page and "Schoolperson" not in page


def test_an_organisation_admin_approves_from_the_members_page(client, school, school_admin):
    newcomer = UserFactory(organisation=school, status=AccountStatus.PENDING, first_name="Nia", last_name="Okafor")
    client.force_login(school_admin)
    assert "Approve account" in text_of(client.get(f"/account/members/{newcomer.pk}/"))

    response = client.post(f"/account/members/{newcomer.pk}/approve/", follow=True)

    assert "Nia Okafor's account is approved" in text_of(response)
    newcomer.refresh_from_db()
    assert newcomer.status == AccountStatus.ACTIVE


def test_an_organisation_admin_cannot_approve_or_see_a_member_of_another_organisation(client, school_admin):
    stranger = UserFactory(organisation=OrganisationFactory(name="Little Acorns Nursery"), status=AccountStatus.PENDING)
    client.force_login(school_admin)

    assert client.get(f"/account/members/{stranger.pk}/").status_code == 403
    response = client.post(f"/account/members/{stranger.pk}/approve/")

    assert response.status_code == 403
    stranger.refresh_from_db()
    assert stranger.status == AccountStatus.PENDING
    assert AuditEntry.objects.filter(
        action=AuditAction.PERMISSION_DENIED, object_id=f"/account/members/{stranger.pk}/approve/"
    ).exists()


def test_approving_an_account_already_approved_says_so(client, school, school_admin):
    member = UserFactory(organisation=school)
    client.force_login(school_admin)

    response = client.post(f"/account/members/{member.pk}/approve/")

    assert response.status_code == 409
    assert "is not waiting for approval" in text_of(response)
    assert title_of(response).startswith("Error: ")


def test_suspending_without_a_reason_or_with_too_long_a_one_keeps_what_was_typed(client, school, school_admin):
    member = UserFactory(organisation=school)
    client.force_login(school_admin)
    url = f"/account/members/{member.pk}/suspend/"

    empty = client.post(url, {"reason": ""})
    assert '<a href="#id_reason">Enter why you are suspending the account</a>' in text_of(empty)
    too_long = "Left the school. " * 70
    response = client.post(url, {"reason": too_long})

    page = text_of(response)
    assert title_of(response).startswith("Error: ")
    assert "The reason must be 1,000 characters or fewer" in page
    assert too_long.strip() in page
    member.refresh_from_db()
    assert member.status == AccountStatus.ACTIVE


def test_suspending_and_reinstating_from_the_members_pages(client, school, school_admin):
    member = UserFactory(organisation=school, first_name="Sam", last_name="Lee")
    client.force_login(school_admin)

    suspended = client.post(f"/account/members/{member.pk}/suspend/", {"reason": "Left in July"}, follow=True)
    assert "Sam Lee's account is suspended" in text_of(suspended)
    assert "Reason: Left in July" in text_of(suspended)
    reinstated = client.post(f"/account/members/{member.pk}/reinstate/", follow=True)

    assert "Sam Lee's account is active again" in text_of(reinstated)
    member.refresh_from_db()
    assert member.status == AccountStatus.ACTIVE


def test_giving_a_team_role_without_a_team_keeps_what_was_chosen(client, school):
    admin = make_role_user("system_admin", organisation=school)
    member = UserFactory(organisation=school)
    client.force_login(admin)

    response = client.post(
        f"/account/members/{member.pk}/roles/", {"role": Role.TEAM_MEMBER, "reason": "Joined the FCR"}
    )

    page = text_of(response)
    assert "Choose the team they will be a member of" in page
    assert 'value="team_member" checked' in page.replace('checked value="team_member"', 'value="team_member" checked')
    assert 'value="Joined the FCR"' in page
    assert not RoleGrant.objects.filter(user=member).exists()


def test_a_system_admin_gives_a_role_and_removes_it_only_after_confirming(client, school):
    admin = make_role_user("system_admin", organisation=school)
    member = UserFactory(organisation=school)
    team = TeamFactory(name="Safeguarding Hub", organisation=school)
    client.force_login(admin)

    given = client.post(
        f"/account/members/{member.pk}/roles/", {"role": Role.TEAM_MEMBER, "team": team.pk}, follow=True
    )
    assert "Receiving team member: Safeguarding Hub" in text_of(given)
    grant_pk = RoleGrant.objects.get(user=member).pk
    remove_url = f"/account/members/{member.pk}/roles/{grant_pk}/remove/"
    assert f'<a class="govuk-link" href="{remove_url}">Remove' in text_of(given)

    asked = client.get(remove_url)
    assert "Are you sure you want to remove this role?" in text_of(asked)
    assert "will lose the role “Receiving team member: Safeguarding Hub" in text_of(asked)
    assert f'href="/account/members/{member.pk}/">Cancel' in text_of(asked)
    assert RoleGrant.objects.filter(user=member).exists()

    removed = client.post(remove_url, follow=True)
    assert "The role is removed" in text_of(removed)
    assert not RoleGrant.objects.filter(user=member).exists()


def test_a_team_of_another_organisation_is_given_only_after_a_warning(client, school):
    admin = make_role_user("system_admin", organisation=school)
    member = UserFactory(organisation=school, first_name="Sam", last_name="Lee")
    police = OrganisationFactory(name="North Yorkshire Police")
    team = TeamFactory(name="Intelligence Unit", organisation=police)
    client.force_login(admin)
    chosen = {"role": Role.TEAM_MEMBER, "team": team.pk, "reason": "Secondment"}

    warned = client.post(f"/account/members/{member.pk}/roles/", chosen)

    page = text_of(warned)
    assert warned.status_code == 200
    assert "Sam Lee is from Clifton Green Primary School, not North Yorkshire Police." in page
    assert 'name="confirm_other_organisation" value="yes"' in page and 'value="Secondment"' in page
    assert not RoleGrant.objects.filter(user=member).exists()

    given = client.post(f"/account/members/{member.pk}/roles/", {**chosen, "confirm_other_organisation": "yes"})
    assert given.status_code == 302
    assert RoleGrant.objects.get(user=member).team == team


def test_a_team_of_the_persons_own_organisation_needs_no_warning(client, school):
    client.force_login(make_role_user("system_admin", organisation=school))
    member = UserFactory(organisation=school)
    team = TeamFactory(organisation=school)
    response = client.post(f"/account/members/{member.pk}/roles/", {"role": Role.TEAM_MEMBER, "team": team.pk})
    assert response.status_code == 302 and RoleGrant.objects.filter(user=member, team=team).exists()


def test_giving_a_role_someone_holds_says_so_on_the_form(client, school):
    admin = make_role_user("system_admin", organisation=school)
    member = make_role_user("trainer", organisation=school)
    client.force_login(admin)

    response = client.post(f"/account/members/{member.pk}/roles/", {"role": Role.TRAINER})

    assert 'href="#id_role' in text_of(response) and "already holds the role Trainer" in text_of(response)


# --- Organisations and teams ------------------------------------------------------------------


def test_a_system_admin_adds_an_organisation_and_a_team(client):
    admin = make_role_user("system_admin")
    client.force_login(admin)

    added = client.post(
        "/account/organisations/new/", {"name": "York Youth Action", "sector": Sector.VOLUNTARY, "is_active": "on"}
    )
    organisation = Organisation.objects.get(name="York Youth Action")
    assert added["Location"] == f"/account/organisations/{organisation.pk}/"
    team_added = client.post(
        f"/account/organisations/{organisation.pk}/teams/new/",
        {"name": "Detached youth work", "slug": "detached-youth-work", "inbox_email": "detached@yya.example.org"},
        follow=True,
    )

    page = text_of(team_added)
    assert "Detached youth work" in page and "detached@yya.example.org" in page
    assert AuditEntry.objects.filter(object_type="accounts.team", action=AuditAction.CREATE).exists()


def test_an_organisation_name_already_used_is_refused_keeping_what_was_typed(client, school):
    client.force_login(make_role_user("system_admin"))

    response = client.post(
        "/account/organisations/new/", {"name": "clifton green primary school", "sector": "education"}
    )

    page = text_of(response)
    assert '<a href="#id_name">There is already an organisation called clifton green primary school</a>' in page
    assert 'value="clifton green primary school"' in page
    assert 'value="education" checked' in page.replace('checked value="education"', 'value="education" checked')


def test_a_team_short_name_must_suit_a_web_address(client, school):
    client.force_login(make_role_user("system_admin"))

    response = client.post(
        f"/account/organisations/{school.pk}/teams/new/", {"name": "Safeguarding team", "slug": "Safe Guarding!"}
    )

    page = text_of(response)
    assert "Use only lower-case letters, numbers and hyphens in the short name" in page
    assert 'value="Safe Guarding!"' in page and 'value="Safeguarding team"' in page


def test_system_admins_manage_organisations_in_djangos_admin_too_with_audit_entries(client):
    admin = make_role_user("system_admin")
    admin.is_staff = True
    admin.save()
    client.force_login(admin)

    assert client.get("/django-admin/accounts/organisation/").status_code == 200
    response = client.post(
        "/django-admin/accounts/organisation/add/", {"name": "Other Agency", "sector": "other", "is_active": "on"}
    )

    assert response.status_code == 302
    organisation = Organisation.objects.get(name="Other Agency")
    assert AuditEntry.objects.filter(
        object_type="accounts.organisation", object_id=str(organisation.pk), action=AuditAction.CREATE
    ).exists()


def test_staff_without_the_system_admin_role_cannot_use_the_accounts_admin(client, school):
    business_unit = make_role_user("business_unit", organisation=school)
    business_unit.is_staff = True
    business_unit.save()
    client.force_login(business_unit)

    assert client.get("/django-admin/accounts/organisation/").status_code == 403


DASHBOARD_LINKS = {
    # Everyone who works for an organisation may send a partner form, whatever else they do.
    "Send a form to the police or the council": {
        "practitioner",
        "trainer",
        "business_unit",
        "team_member",
        "organisation_admin",
        "system_admin",
    },
    "Your team's queue": {"team_member"},
    "Routing rules": {"system_admin"},
    "API tokens for partner systems": {"system_admin", "organisation_admin"},
    "Record linkage: import extracts, run linkage, review the queue": {"system_admin"},
}


@pytest.mark.parametrize(
    "role", ["practitioner", "trainer", "business_unit", "team_member", "organisation_admin", "system_admin"]
)
def test_your_account_links_to_what_the_role_may_use_and_nothing_else(client, role):
    user = make_role_user(role)
    client.force_login(user)
    page = html.unescape(client.get("/account/").content.decode())
    for label, roles in DASHBOARD_LINKS.items():
        assert (label in page) == (role in roles), f"{role}: {label!r} {'missing' if role in roles else 'shown'}"


def test_the_supporting_families_team_finds_record_linkage_from_your_account(client):
    user = make_role_user("team_member", team=TeamFactory(slug="supporting-families", name="Supporting Families"))
    client.force_login(user)
    page = client.get("/account/").content.decode()
    assert 'href="/linkage/"' in page
    assert 'href="/forms/teams/"' in page
