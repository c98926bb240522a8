"""The demo accounts as someone trying the hub meets them: the printed logins, signing in with them,
the news editor's submission that the business unit approves, and recovery codes for every authenticator."""

from __future__ import annotations

import html
import io
import re

import pytest
from allauth.mfa.models import Authenticator
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import WorkflowState

from apps.accounts.models import User
from apps.accounts.tests.factories import current_totp_code
from apps.core.tests.fixtures import ROLES
from apps.demo import accounts
from apps.demo.accounts import ACCOUNTS, DEMO_PASSWORD, DEMO_TOTP_SECRET
from apps.news.models import NewsArticlePage, NewsIndexPage, NewsTopic
from apps.pages.tests.site import build_public_site

pytestmark = pytest.mark.django_db

NEWS_EDITOR = "news.editor@example.org"
BUSINESS_UNIT = "business.unit@example.org"


def text_of(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


def sign_in(client, email: str) -> None:
    """Sign in as the printed logins say: the demo password, then the authenticator code if asked."""
    response = client.post("/accounts/login/", {"login": email, "password": DEMO_PASSWORD})
    assert response.status_code == 302, text_of(response)[:500]
    if response["Location"] == "/accounts/2fa/authenticate/":
        response = client.post("/accounts/2fa/authenticate/", {"code": current_totp_code(DEMO_TOTP_SECRET)})
    assert response["Location"] == "/account/"


def article(action: str, title: str = "Multi-agency audit findings", slug: str = "audit-findings") -> dict:
    from wagtail.test.utils.form_data import nested_form_data, rich_text

    return nested_form_data(
        {
            "title": title,
            "slug": slug,
            "published_on": "2026-11-20",
            "summary": "What the multi-agency audit found.",
            "body": rich_text("<p>Findings.</p>"),
            "topics": [NewsTopic.objects.first().pk],
            action: "on",
        }
    )


def test_the_printed_logins_name_every_demo_account_with_the_password():
    printed = accounts.describe_logins()

    assert f"password for each: {DEMO_PASSWORD}" in printed
    for account in ACCOUNTS:
        (line,) = [line for line in printed.splitlines() if f" {account.email} " in line]
        assert account.role_label in line
        assert ("[authenticator code]" in line) == account.needs_mfa
    assert re.search(r"news\.editor@example\.org +News editor \(writes news in /cms/", printed)
    assert DEMO_TOTP_SECRET in printed and "/accounts/2fa/recovery-codes/" in printed


def test_load_demo_refuses_settings_that_do_not_allow_the_demo(settings, monkeypatch):
    from django.core.management.base import CommandError

    settings.DEBUG, settings.HUB_DEMO_ALLOWED = False, False  # production's settings
    monkeypatch.setattr("apps.demo.management.commands.load_demo.LOADERS", ["apps.demo.accounts.load"])
    with pytest.raises(CommandError, match="published passwords"):
        call_command("load_demo", stdout=io.StringIO())


def test_load_demo_runs_in_make_run_s_settings_with_debug_off(settings, monkeypatch):
    """`make run` shows the hub's own error pages (DEBUG off), and must still load its demo."""
    settings.DEBUG, settings.HUB_DEMO_ALLOWED = False, True  # as hub.settings.local sets them
    monkeypatch.setattr("apps.demo.management.commands.load_demo.LOADERS", ["apps.demo.accounts.load"])
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert "Demo content loaded." in out.getvalue()


def test_load_demo_prints_the_logins_once_it_has_loaded(settings, monkeypatch):
    settings.DEBUG = True
    monkeypatch.setattr("apps.demo.management.commands.load_demo.LOADERS", ["apps.demo.accounts.load"])
    out = io.StringIO()

    call_command("load_demo", stdout=out)

    assert "Demo content loaded." in out.getvalue()
    for account in ACCOUNTS:
        assert account.email in out.getvalue()


def test_every_demo_account_is_one_of_the_roles_of_the_permission_table():
    # A Wagtail group (the news editor's) gives no hub permissions: its account is a practitioner there.
    for account in ACCOUNTS:
        assert (account.role or "practitioner") in ROLES, account.email


def test_every_demo_account_signs_in_with_the_printed_password(client):
    accounts.load()
    for account in ACCOUNTS:
        client.logout()
        sign_in(client, account.email)
        assert account.email in text_of(client.get("/account/"))


def test_the_demo_news_editor_submits_news_that_waits_for_the_demo_business_unit(client):
    accounts.load()
    build_public_site()
    index = NewsIndexPage.objects.get()
    editor = User.objects.get(email=NEWS_EDITOR)
    sign_in(client, NEWS_EDITOR)
    assert client.get(reverse("wagtailadmin_home")).status_code == 200

    # Publishing is not the editor's to do: the page stays a draft.
    client.post(
        reverse("wagtailadmin_pages:add", args=("news", "newsarticlepage", index.pk)), article("action-publish")
    )
    draft = NewsArticlePage.objects.get(slug="audit-findings")
    assert not draft.live
    assert not draft.permissions_for_user(editor).can_publish()

    response = client.post(reverse("wagtailadmin_pages:edit", args=(draft.pk,)), article("action-submit"))
    assert response.status_code == 302
    state = WorkflowState.objects.get(base_content_type__model="page", object_id=str(draft.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    client.logout()
    assert client.get("/news/audit-findings/").status_code == 404

    sign_in(client, BUSINESS_UNIT)
    dashboard = text_of(client.get(reverse("wagtailadmin_home")))
    assert "Awaiting your review" in dashboard and "Multi-agency audit findings" in dashboard
    approved = client.post(
        reverse("wagtailadmin_pages:workflow_action", args=(draft.pk, "approve", state.current_task_state.pk)),
        {"comment": "Checked."},
    )
    assert approved.status_code == 302
    client.logout()
    assert client.get("/news/audit-findings/").status_code == 200


def test_every_demo_account_with_an_authenticator_can_see_its_recovery_codes(client):
    accounts.load()
    for account in ACCOUNTS:
        client.logout()
        sign_in(client, account.email)
        response = client.get("/accounts/2fa/recovery-codes/")
        if not account.needs_mfa:
            assert response.status_code == 404, account.email
            continue
        assert response.status_code == 200, account.email
        page = text_of(response)
        assert "You have 10 of 10 codes left" in page
        codes = re.findall(r"<li>(\d{8})</li>", response.content.decode())
        assert len(codes) == 10


def test_loading_again_changes_nothing_and_gives_codes_to_authenticators_set_up_without_them():
    accounts.load()
    codes_before = {a.user_id: a.data["seed"] for a in Authenticator.objects.filter(type="recovery_codes")}
    memberships = sorted(User.objects.values_list("email", "groups__name"), key=str)
    assert codes_before

    accounts.load()
    assert {a.user_id: a.data["seed"] for a in Authenticator.objects.filter(type="recovery_codes")} == codes_before
    assert sorted(User.objects.values_list("email", "groups__name"), key=str) == memberships
    assert User.objects.count() == len(ACCOUNTS)

    # A database made by the loader before recovery codes: authenticator apps, but no codes.
    Authenticator.objects.filter(type="recovery_codes").delete()
    accounts.load()
    with_app = set(Authenticator.objects.filter(type="totp").values_list("user_id", flat=True))
    with_codes = set(Authenticator.objects.filter(type="recovery_codes").values_list("user_id", flat=True))
    assert with_app == with_codes == set(codes_before)
