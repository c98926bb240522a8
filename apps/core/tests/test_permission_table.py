"""Every URL of the hub x every role -> the expected answer (see permission_table.py)."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from apps.core.tests.table import LOGIN, REDIRECT, ROLES, all_rows

# Namespaces whose views belong to libraries and are tested there; the hub's own
# rows still cover the pages of them that users reach (sign-in, sign-up, MFA).
LIBRARY_NAMESPACES = {"admin", "wagtailadmin", "wagtaildocs", "wagtailimages", "wagtailsnippets", "wagtailusers"}


def named_urls() -> set[str]:
    names: set[str] = set()

    def walk(patterns, prefix: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                namespace = pattern.namespace
                if namespace in LIBRARY_NAMESPACES or str(pattern.pattern).startswith(("cms/", "django-admin/")):
                    continue
                walk(pattern.url_patterns, f"{prefix}{namespace}:" if namespace else prefix)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(prefix + pattern.name)

    walk(get_resolver().url_patterns, "")
    return names


def test_every_named_url_of_the_hub_has_a_row():
    covered = {row.name for row in all_rows() if row.name}
    hub_names = {
        name
        for name in named_urls()
        if not name.startswith(("account_", "mfa_", "socialaccount", "wagtail", "django-admin"))
        and name not in {"wagtail_serve", "wagtail_serve_preview"}
    }
    missing = sorted(hub_names - covered)
    assert not missing, f"These URLs have no row in any app's permission table: {missing}"


ROWS = all_rows()


@pytest.mark.django_db
@pytest.mark.parametrize("row", ROWS, ids=[row.label for row in ROWS])
def test_permission_table(row, role_users, client):
    failures = []
    for role in ROLES:
        client.logout()
        user = role_users[role]
        if user is not None:
            client.force_login(user)
        url = row.resolve(role_users)
        response = getattr(client, row.method)(url, row.payload(role_users) or {})
        expected = row.expected_for(role)
        got = response.status_code
        location = response.headers.get("Location", "")
        if expected == LOGIN:
            ok = got == 302 and "/accounts/login/" in location
        elif expected == REDIRECT:
            ok = got in (301, 302, 303) and "/accounts/login/" not in location
        else:
            ok = got == expected
        if not ok:
            failures.append(f"{role}: expected {expected}, got {got} {location}".rstrip())
    assert not failures, f"{row.method.upper()} {row.label}:\n" + "\n".join(failures)
