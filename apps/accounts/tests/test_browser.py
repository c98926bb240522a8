"""Signing up, waiting for approval, approval, and signing in with two factors, in a real browser,
with axe-core on every page passed."""

from __future__ import annotations

import re

import pytest
from allauth.mfa.models import Authenticator

from apps.accounts.models import AccountStatus, Sector, User
from apps.accounts.tests.factories import (
    PASSWORD,
    OrganisationFactory,
    UserFactory,
    current_totp_code,
    grant,
    make_role_user,
)
from apps.core.tests.fixtures import assert_accessible, sign_in
from apps.notifications.models import OutboxMessage

NEW_PASSWORD = "kettle-orchard-lantern-92"


def body_of(message) -> str:
    return message.get_body(("plain",)).get_content()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_sign_up_confirm_the_address_wait_for_approval_and_sign_in_once_approved(
    page, browser, live_server, smtp_server
):
    school = OrganisationFactory(name="Clifton Green Primary School", sector=Sector.EDUCATION)
    school_admin = make_role_user("organisation_admin", organisation=school, first_name="Olivia", last_name="Adams")

    page.goto("/accounts/login/")
    page.get_by_role("link", name="ask for an account").click()
    page.get_by_role("heading", name="Ask for an account").wait_for()
    assert_accessible(page)
    page.get_by_label("First name").fill("Nia")
    page.get_by_label("Email address").fill("nia.okafor@clifton.example.org")
    page.get_by_label("Organisation you work for").select_option(label="Clifton Green Primary School")
    page.get_by_label("Create a password").fill(NEW_PASSWORD)
    page.get_by_label("Confirm your password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Ask for an account").click()

    # A mistake: the error summary lists it, links to the field, and what was typed is kept.
    summary = page.locator(".govuk-error-summary")
    summary.get_by_role("link", name="Enter your last name").wait_for()
    assert page.title().startswith("Error: ")
    assert_accessible(page, context="sign-up with an error")
    assert page.get_by_label("First name").input_value() == "Nia"
    assert page.get_by_label("Email address").input_value() == "nia.okafor@clifton.example.org"
    summary.get_by_role("link", name="Enter your last name").click()
    page.get_by_label("Last name").fill("Okafor")
    page.get_by_label("Create a password").fill(NEW_PASSWORD)
    page.get_by_label("Confirm your password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Ask for an account").click()

    page.get_by_role("heading", name="Check your email").wait_for()
    assert_accessible(page)
    newcomer = User.objects.get(email="nia.okafor@clifton.example.org")
    assert newcomer.status == AccountStatus.PENDING
    assert OutboxMessage.objects.filter(to=newcomer.email, subject__contains="Confirm your email address").exists()
    confirmation = next(m for m in smtp_server.messages if m["To"] == newcomer.email)
    link = re.search(r"http://\S+/accounts/confirm-email/\S+/", body_of(confirmation)).group(0)

    page.goto(link)
    page.get_by_role("heading", name="Confirm your email address").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Confirm email address").click()
    page.get_by_role("heading", name="Sign in").wait_for()
    assert page.get_by_text("You have confirmed nia.okafor@clifton.example.org").is_visible()
    notice = next(m for m in smtp_server.messages if m["To"] == school_admin.email)
    assert "Nia Okafor has asked for an account" in notice["Subject"]

    # Signing in before approval: the waiting page names who approves.
    sign_in(page, newcomer, password=NEW_PASSWORD, totp=False)
    page.get_by_role("heading", name="Your account is waiting for approval").wait_for()
    assert page.get_by_text(
        "Your account is waiting for approval by Clifton Green Primary School's administrator"
    ).is_visible()
    assert_accessible(page)

    # The school's administrator approves, in their own browser, after signing in with their authenticator.
    admin_context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    admin_page = admin_context.new_page()
    try:
        sign_in(admin_page, school_admin)
        admin_page.get_by_role("heading", name="Your account", exact=True).wait_for()
        admin_page.get_by_role("link", name="Members").first.click()
        admin_page.get_by_role("heading", name="Members", exact=True).wait_for()
        assert_accessible(admin_page)
        admin_page.get_by_role("link", name="Nia Okafor").click()
        admin_page.get_by_role("heading", name="Nia Okafor", exact=True).wait_for()
        assert_accessible(admin_page)
        admin_page.get_by_role("button", name="Approve account").click()
        admin_page.get_by_text("Nia Okafor's account is approved").wait_for()
        assert_accessible(admin_page, context="member page after approval")
    finally:
        admin_context.close()
    approved = next(m for m in smtp_server.messages if m["To"] == newcomer.email and "approved" in m["Subject"])
    assert "/accounts/login/" in body_of(approved)

    sign_in(page, newcomer, password=NEW_PASSWORD, totp=False)
    page.get_by_role("heading", name="Your account", exact=True).wait_for()
    assert page.get_by_text("Clifton Green Primary School").first.is_visible()
    assert_accessible(page)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_receiving_team_member_signs_in_with_their_authenticator_code(page):
    member = make_role_user("team_member", first_name="Frank", last_name="Carter")

    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(member.email)
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    page.locator(".govuk-error-summary").get_by_role(
        "link", name="Enter a correct email address and password"
    ).wait_for()
    assert page.get_by_label("Email").input_value() == member.email
    assert page.get_by_label("Password").input_value() == ""
    assert_accessible(page, context="sign-in with a wrong password")

    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Enter your authenticator code").wait_for()
    assert_accessible(page)
    page.get_by_label("Authenticator code").fill("000000")
    page.get_by_role("button", name="Sign in").click()
    page.locator(".govuk-error-summary").get_by_role("link", name=re.compile("The code is not right")).wait_for()
    assert_accessible(page, context="authenticator step with a wrong code")

    page.get_by_label("Authenticator code").fill(current_totp_code())
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Your account", exact=True).wait_for()
    assert page.get_by_text("Receiving team member").is_visible()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_new_business_unit_editor_must_set_up_an_authenticator_app_before_anything_else(page):
    editor = UserFactory(first_name="Bea", last_name="Lawson")
    grant(editor, "business_unit")

    sign_in(page, editor, totp=False)
    page.get_by_role("heading", name="Set up an authenticator app").wait_for()
    assert page.get_by_text("Your role gives you access to protected records").is_visible()
    assert page.get_by_role("img", name="QR code to scan with your authenticator app").is_visible()
    assert_accessible(page)
    page.goto("/training/manage/")
    page.get_by_role("heading", name="Set up an authenticator app").wait_for()

    page.get_by_role("button", name="Turn on two-factor authentication").click()
    page.locator(".govuk-error-summary").get_by_role(
        "link", name="Enter the code from your authenticator app"
    ).wait_for()
    assert_accessible(page, context="authenticator set-up with no code")
    secret = page.locator("#authenticator-secret").inner_text().strip()
    page.get_by_label("Authenticator code").fill(current_totp_code(secret))
    page.get_by_role("button", name="Turn on two-factor authentication").click()

    page.get_by_role("heading", name="Your recovery codes").wait_for()
    assert_accessible(page)
    assert Authenticator.objects.filter(user=editor, type=Authenticator.Type.TOTP).exists()
    assert page.locator("ul[aria-label='Unused recovery codes'] li").count() > 0

    page.goto("/accounts/2fa/")
    page.get_by_role("heading", name="Two-factor authentication").wait_for()
    assert page.get_by_role("button", name="Turn off two-factor authentication").count() == 0
    assert_accessible(page)
    page.get_by_role("link", name="Get new recovery codes").click()
    page.get_by_role("heading", name="Get new recovery codes").wait_for()
    assert_accessible(page)

    page.goto("/account/")
    page.get_by_role("heading", name="Your account", exact=True).wait_for()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_practitioner_resets_a_forgotten_password(page, smtp_server):
    practitioner = UserFactory(first_name="Priya", last_name="Shah")

    page.goto("/accounts/login/")
    page.get_by_role("link", name="Forgotten your password?").click()
    page.get_by_role("heading", name="Reset your password").wait_for()
    assert_accessible(page)
    page.get_by_label("Email address").fill(practitioner.email)
    page.get_by_role("button", name="Send the link").click()
    page.get_by_role("heading", name="Check your email").wait_for()
    assert_accessible(page)
    mail = next(m for m in smtp_server.messages if m["To"] == practitioner.email)
    assert "Reset your password" in mail["Subject"]
    link = re.search(r"http://\S+/accounts/password/reset/key/\S+/", body_of(mail)).group(0)

    page.goto(link)
    page.get_by_role("heading", name="Choose a new password").wait_for()
    assert_accessible(page)
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Confirm new password").fill("something-else-entirely")
    page.get_by_role("button", name="Change password").click()
    page.locator(".govuk-error-summary").wait_for()
    assert page.title().startswith("Error: ")
    assert_accessible(page, context="new password that does not match")
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Confirm new password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change password").click()
    page.get_by_role("heading", name="Your password is changed").wait_for()
    assert_accessible(page)

    sign_in(page, practitioner, password=NEW_PASSWORD)
    page.get_by_role("heading", name="Your account", exact=True).wait_for()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_practitioner_changes_their_password_and_turns_two_factor_off(page):
    from apps.accounts.tests.factories import with_totp

    practitioner = with_totp(UserFactory())

    sign_in(page, practitioner)
    page.get_by_role("heading", name="Your account", exact=True).wait_for()
    page.get_by_role("link", name="Change your password").click()
    page.get_by_role("heading", name="Change your password").wait_for()
    page.get_by_label("Current password").fill("not-my-password")
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Confirm new password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change password").click()
    page.locator(".govuk-error-summary").get_by_role("link", name="The current password is not right").wait_for()
    assert_accessible(page, context="change password with a wrong current password")
    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Confirm new password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change password").click()
    page.get_by_text("Your password is changed.").wait_for()

    page.goto("/accounts/2fa/")
    page.get_by_role("button", name="Turn off two-factor authentication").click()
    page.get_by_role("heading", name="Turn off two-factor authentication").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Turn off two-factor authentication").click()
    page.get_by_role("heading", name="Two-factor authentication").wait_for()
    page.get_by_role("button", name="Set up an authenticator app").wait_for()
    assert not Authenticator.objects.filter(user=practitioner, type=Authenticator.Type.TOTP).exists()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_members_list_fits_a_375_pixel_screen(browser, live_server, client):
    from apps.core.tests.fixtures import use_session_of

    school = OrganisationFactory(name="Clifton Green Primary School", sector=Sector.EDUCATION)
    police = OrganisationFactory(name="North Yorkshire Police", sector=Sector.POLICE)
    for number, organisation in enumerate([school, police, school]):
        UserFactory(
            organisation=organisation,
            first_name="Alexandra",
            last_name=f"Montgomery-Fitzwilliam{number}",
            email=f"alexandra.montgomery-fitzwilliam{number}@{organisation.pk}.partnership.example.org",
        )
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(15_000)
    phone = context.new_page()
    try:
        use_session_of(phone, client, live_server, make_role_user("system_admin"))
        phone.goto("/account/members/")
        assert phone.get_by_role("heading", level=1, name="Members").is_visible()
        assert phone.evaluate("document.documentElement.scrollWidth") <= 375
        assert phone.get_by_role("region", name="Members").get_attribute("tabindex") == "0"
        assert_accessible(phone, context="members at 375 px")
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_system_admin_is_warned_before_a_team_of_another_organisation_and_asked_before_removing_it(
    page, live_server, client
):
    from apps.accounts.tests.factories import TeamFactory
    from apps.core.tests.fixtures import use_session_of

    school = OrganisationFactory(name="Clifton Green Primary School", sector=Sector.EDUCATION)
    police = OrganisationFactory(name="North Yorkshire Police", sector=Sector.POLICE)
    TeamFactory(name="Intelligence Unit", organisation=police)
    teacher = UserFactory(organisation=school, first_name="Sam", last_name="Lee")
    use_session_of(page, client, live_server, make_role_user("system_admin"))

    page.goto(f"/account/members/{teacher.pk}/roles/")
    page.get_by_label("Receiving team member").check()
    page.get_by_label("Team", exact=True).select_option(label="Intelligence Unit (North Yorkshire Police)")
    page.get_by_role("button", name="Give role").click()
    assert page.get_by_text("Sam Lee is from Clifton Green Primary School, not North Yorkshire Police.").is_visible()
    assert_accessible(page, context="warning: a team of another organisation")
    page.get_by_role("button", name="Give the role").click()

    page.get_by_role("link", name="Remove the role Receiving team member: Intelligence Unit").click()
    assert page.get_by_role("heading", level=1, name="Are you sure you want to remove this role?").is_visible()
    assert_accessible(page, context="remove a role")
    page.get_by_role("button", name="Remove role").click()
    assert page.get_by_text("The role is removed from").is_visible()
    assert not teacher.role_grants.exists()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_locked_account_is_told_what_to_do(page):
    member = UserFactory()
    for _ in range(6):
        page.goto("/accounts/login/")
        page.get_by_label("Email").fill(member.email)
        page.get_by_label("Password").fill("not-my-password")
        page.get_by_role("button", name="Sign in").click()
    assert page.get_by_text("Your account is locked for a few minutes").is_visible()
    assert page.get_by_role("link", name="reset your password", exact=True).is_visible()
    assert_accessible(page, context="sign in, locked")
