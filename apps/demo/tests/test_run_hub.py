"""`make run` as a newcomer meets it: the hub's own error pages (debug pages only with DEBUG=1), static
files still served, and links in e-mails that point where the hub actually listens."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import textwrap
from unittest import mock

import pytest
from django.conf import settings
from django.core.management import call_command

from apps.demo.management.commands import run_hub
from apps.demo.management.commands.run_hub import base_url_for, environment_for


@pytest.mark.parametrize(
    ("addrport", "base_url"),
    [
        ("127.0.0.1:8000", "http://127.0.0.1:8000"),
        ("8123", "http://127.0.0.1:8123"),
        ("localhost:9000", "http://localhost:9000"),
        ("0.0.0.0:8001", "http://localhost:8001"),
        ("[::1]:8002", "http://[::1]:8002"),
    ],
)
def test_the_base_address_is_where_run_hub_listens(addrport, base_url):
    assert base_url_for(addrport) == base_url


def test_hub_base_url_when_set_wins_and_the_listening_host_is_allowed():
    assert environment_for("8123", {"HUB_BASE_URL": "https://hub.example.org"})["HUB_BASE_URL"] == (
        "https://hub.example.org"
    )
    allowed = environment_for("hub.test:8123", {})["ALLOWED_HOSTS"].split(",")
    assert "hub.test" in allowed and "127.0.0.1" in allowed
    assert environment_for("8123", {"ALLOWED_HOSTS": "only.example"})["ALLOWED_HOSTS"] == "only.example"


def test_the_web_server_worker_and_scheduler_all_get_the_address(monkeypatch):
    monkeypatch.delenv("HUB_BASE_URL", raising=False)
    started = []

    def popen(command, env):
        started.append(env["HUB_BASE_URL"])
        return mock.Mock(poll=mock.Mock(return_value=0), returncode=0)

    out = io.StringIO()
    with mock.patch.object(run_hub.subprocess, "Popen", popen), mock.patch.object(run_hub.signal, "signal"):
        call_command("run_hub", addrport="127.0.0.1:8123", stdout=out, stderr=out)
    assert started == ["http://127.0.0.1:8123"] * 3
    assert "The hub is running at http://127.0.0.1:8123/" in out.getvalue()


def local_settings_environment(tmp_path, **extra) -> dict[str, str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "HUB_BASE_URL", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL"}
    }
    environment = environment_for("127.0.0.1:8123", environment)
    environment.update(
        DJANGO_SETTINGS_MODULE="hub.settings.local",
        DATABASE_URL=f"sqlite:///{tmp_path / 'hub.sqlite3'}",
        MEDIA_ROOT=str(tmp_path / "media"),
        PROTECTED_MEDIA_ROOT=str(tmp_path / "protected"),
        **extra,
    )
    return environment


def run_in_local_settings(tmp_path, script: str, **extra) -> dict:
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", textwrap.dedent(script)],
        cwd=settings.BASE_DIR,
        env=local_settings_environment(tmp_path, **extra),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_debug_pages_only_when_a_developer_asks(tmp_path):
    script = """
        import json, django
        django.setup()
        from django.conf import settings
        print(json.dumps({"debug": settings.DEBUG, "demo": settings.HUB_DEMO_ALLOWED}))
    """
    assert run_in_local_settings(tmp_path, script) == {"debug": False, "demo": True}  # make run loads its demo
    assert run_in_local_settings(tmp_path, script, DEBUG="1") == {"debug": True, "demo": True}


def test_make_run_shows_the_hubs_own_error_pages_serves_static_files_and_links_to_its_own_address(tmp_path):
    script = """
        import json, django
        django.setup()
        from django.core.management import call_command
        call_command("migrate", verbosity=0)
        call_command("createcachetable", verbosity=0)
        from django.test import Client
        from apps.accounts.models import AccountStatus, Role, RoleGrant, User
        from apps.accounts import services
        from apps.notifications.models import OutboxMessage

        client = Client(HTTP_HOST="127.0.0.1:8123", raise_request_exception=False)
        missing = client.get("/training/sessions/99999/")
        static = client.get("/static/hub/init.mjs")
        from django.conf import settings
        settings.MEDIA_ROOT.mkdir(parents=True, exist_ok=True)
        (settings.MEDIA_ROOT / "photo.txt").write_text("an upload")
        media = client.get("/media/photo.txt")
        twelve_mb = b" " * (12 * 1024 * 1024)
        big = [
            client.post("/api/v1/submissions/", data=b"{" + twelve_mb + b"}", content_type="application/json",
                        HTTP_AUTHORIZATION="Bearer nope"),
            client.post("/accounts/login/", data=b"login=" + twelve_mb,
                        content_type="application/x-www-form-urlencoded"),
        ]
        admin = User.objects.create_user(email="admin@example.org", password="x-long-password-1")
        admin.status = AccountStatus.ACTIVE
        admin.save()
        RoleGrant.objects.create(user=admin, role=Role.SYSTEM_ADMIN)
        member = User.objects.create_user(email="new@example.org", password="x-long-password-2")
        member.status = AccountStatus.PENDING
        member.save()
        services.approve_member(member=member, by=User.objects.get(pk=admin.pk))
        services.suspend_member(member=member, by=User.objects.get(pk=admin.pk), reason="Left the school")
        services.reinstate_member(member=member, by=User.objects.get(pk=admin.pk))
        print(json.dumps({
            "missing": [missing.status_code, missing.content.decode()],
            "static": static.status_code,
            "media": media.status_code,
            "big": [[response.status_code, response.content.decode(errors="replace")] for response in big],
            "mail": [m.body_text for m in OutboxMessage.objects.filter(to="new@example.org")],
        }))
    """
    seen = run_in_local_settings(tmp_path, script)

    status, page = seen["missing"]
    assert status == 404 and "Page not found" in page and "govuk-template" in page
    assert "URLconf" not in page and "Traceback" not in page
    assert seen["static"] == 200 and seen["media"] == 200
    for status, body in seen["big"]:
        assert 400 <= status < 500
        assert "Traceback" not in body and "SECRET_KEY" not in body and str(settings.BASE_DIR) not in body
    links = [text for text in seen["mail"] if "/accounts/login/" in text]
    assert len(links) == 2  # "approved" and "active again"
    assert all("http://127.0.0.1:8123/accounts/login/" in text for text in links)
