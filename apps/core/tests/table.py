"""The permission table: every URL x every role -> the expected answer.

Each app declares its rows in `apps/<app>/tests/permission_table.py` as `ROWS = [...]`.
`test_permission_table.py` runs every row for every role, and fails if a named URL of
the hub has no row. `test_accessibility.py` visits, in a real browser, every page a
row says some role can see, and scans it with axe-core.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

OK = 200
LOGIN = "login"  # redirected to the sign-in page
FORBIDDEN = 403
NOT_FOUND = 404
REDIRECT = "redirect"  # any other redirect (e.g. after a successful POST)

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


@dataclass
class Row:
    """One URL. `expect` maps a role (or "*" for every other role) to an answer above or a status code.

    `setup(users)` may create objects the URL needs and returns the URL's kwargs (or a
    dict with "path" to give a full path); `users` maps each role to its user (None for anonymous).
    """

    name: str = ""
    path: str = ""
    expect: dict[str, Any] = field(default_factory=dict)
    setup: Callable[[dict], dict] | None = None
    method: str = "get"
    data: dict | Callable[[dict], dict] | None = None
    browse: bool = True  # visit in the accessibility sweep (HTML pages only)

    def expected_for(self, role: str) -> Any:
        if role in self.expect:
            return self.expect[role]
        if "*" in self.expect:
            return self.expect["*"]
        raise KeyError(f"{self.label}: no expectation for role {role!r} and no '*'")

    @property
    def label(self) -> str:
        return self.name or self.path

    def resolve(self, users: dict) -> str:
        kwargs = self.setup(users) if self.setup else {}
        if "path" in kwargs:
            return kwargs["path"]
        if self.path:
            return self.path
        return reverse(self.name, kwargs=kwargs or None)

    def payload(self, users: dict) -> dict | None:
        return self.data(users) if callable(self.data) else self.data


def all_rows() -> list[Row]:
    from importlib import import_module

    from django.apps import apps

    rows: list[Row] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("apps."):
            continue
        try:
            module = import_module(f"{config.name}.tests.permission_table")
        except ModuleNotFoundError:
            continue
        rows.extend(getattr(module, "ROWS", []))
    return rows
