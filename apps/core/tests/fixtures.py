"""Shared pytest fixtures (loaded from the root conftest)."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

ROLES = [
    "anonymous",
    "pending",
    "suspended",
    "practitioner",
    "trainer",
    "business_unit",
    "team_member",
    "organisation_admin",
    "system_admin",
]


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: cached pages and rate-limit counters never leak between tests."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def role_users(db):
    """One user for every role (None for anonymous), all of one organisation."""
    from apps.accounts.tests.factories import OrganisationFactory, make_role_user

    organisation = OrganisationFactory(name="Role Test Agency")
    return {role: None if role == "anonymous" else make_role_user(role, organisation=organisation) for role in ROLES}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class SmtpSink:
    """A real SMTP server on localhost that keeps what it receives."""

    port: int
    messages: list = field(default_factory=list)
    controller: object | None = None

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        sink = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                from email import message_from_bytes, policy

                sink.messages.append(message_from_bytes(envelope.content, policy=policy.default))
                return "250 Message accepted for delivery"

        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp_server(settings) -> Iterator[SmtpSink]:
    sink = SmtpSink(port=free_port())
    settings.HUB_EMAIL_TRANSPORT = "smtp"
    # pytest-django swaps in the in-memory backend for every test; this fixture is about real SMTP.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = sink.port
    settings.EMAIL_TIMEOUT = 5
    sink.start()
    yield sink
    sink.stop()


# --- The browser -------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    from conftest import chromium_path

    path = chromium_path()
    if path is None:
        message = "No Chromium found at $CHROMIUM or /usr/bin/chromium (apt-get install chromium)"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"REQUIRE_BROWSER=1 but: {message}")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    launched = playwright.chromium.launch(
        executable_path=path,
        headless=True,
        args=[
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    )
    yield launched
    launched.close()
    playwright.stop()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def phone_page(browser, live_server):
    """A phone-sized screen (320 CSS pixels wide, as WCAG's reflow criterion asks)."""
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 320, "height": 640}, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    context.close()


def assert_accessible(page, *, context: str = "") -> None:
    """Run axe-core on the page once it has loaded; fail with every violation listed.

    On a loaded machine a scan can otherwise start while the next page is still arriving (an empty document with
    no main landmark or heading), or be cut short when a navigation replaces the page: it waits, or scans again."""
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import Error as PlaywrightError

    def scan():
        page.wait_for_load_state("load")
        page.locator("main").first.wait_for(state="attached")  # every page of the hub has one
        return Axe().run(page)

    try:
        results = scan()
    except PlaywrightError as error:
        if "context was destroyed" not in str(error) and "navigat" not in str(error):
            raise
        results = scan()  # the page changed under the scan: scan the page that arrived
    violations = results.response.get("violations", [])
    if violations:
        lines = [f"axe-core found {len(violations)} violation(s) on {context or page.url}:"]
        for violation in violations:
            targets = ", ".join(str(node.get("target")) for node in violation.get("nodes", [])[:5])
            lines.append(f"- {violation['id']} ({violation.get('impact')}): {violation['help']} at {targets}")
        pytest.fail("\n".join(lines))


def sign_in(page, user, *, password: str | None = None, totp: bool | None = None) -> None:
    """Sign in through the real sign-in page (and the authenticator step if the user has one)."""
    from allauth.mfa.models import Authenticator

    from apps.accounts.tests.factories import PASSWORD, current_totp_code

    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(password or PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    if totp is None:
        totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    if totp:
        page.get_by_label("Authenticator code").fill(current_totp_code())
        page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def use_session_of(page, client, live_server, user) -> None:
    """Give the browser a signed-in session for `user` without walking the sign-in pages.

    Journeys that are about signing in use `sign_in()`; the rest start signed in with this.
    """
    from django.conf import settings

    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


@pytest.fixture
def shared_database(transactional_db, tmp_path):
    """The real test database, reachable from other threads (for concurrency tests).

    PostgreSQL's test database already is. SQLite's test database lives in memory, where
    other connections share one cache with table locks instead of SQLite's file locking, so
    this copies it (already migrated) to a file and points every new connection there.
    """
    import sqlite3

    from django.db import connection

    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        yield
        return
    connection.ensure_connection()
    path = tmp_path / "concurrency.sqlite3"
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()
    in_memory, name = connection.connection, connection.settings_dict["NAME"]
    connection.connection = None
    connection.settings_dict["NAME"] = str(path)
    try:
        yield
    finally:
        if connection.connection is not None:
            connection.connection.close()
        connection.connection = in_memory
        connection.settings_dict["NAME"] = name


def all_at_once(work, inputs, *, connections_at_once: int = 30) -> list:
    """Run `work(item)` for every input on its own thread, all released together, and return the results
    in input order. At most `connections_at_once` hold a database connection at a time (PostgreSQL here
    allows 100 for everyone); each closes its connection when done. Any error fails the caller's test."""
    import threading

    from django.db import connections

    inputs = list(inputs)
    start = threading.Barrier(len(inputs))
    gate = threading.BoundedSemaphore(connections_at_once)
    results: list = [None] * len(inputs)
    errors: list[BaseException] = []

    def run(index: int, item) -> None:
        start.wait()
        with gate:
            try:
                results[index] = work(item)
            except BaseException as error:  # reported below, with the rest
                errors.append(error)
            finally:
                connections.close_all()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(inputs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors[:3]
    return results
