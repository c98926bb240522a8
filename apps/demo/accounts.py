"""Demo organisations, teams and one account per role (and a news editor). Only `load_demo` creates these."""

from __future__ import annotations

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.models import Group

from apps.accounts.models import AccountStatus, Organisation, Role, RoleGrant, Sector, Team, User
from apps.accounts.wagtail_groups import NEWS_EDITORS, keep_groups_in_step

DEMO_PASSWORD = "partnership-demo-2024"  # noqa: S105 - printed by make run; demo accounts exist only in the demo
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105 - printed by make run, like the password

ORGANISATIONS = [
    ("North Yorkshire Police", Sector.POLICE),
    ("City of York Council", Sector.CHILDRENS_SERVICES),
    ("City of York Safeguarding Children Partnership", Sector.OTHER),
    ("York and Scarborough Teaching Hospitals NHS Foundation Trust", Sector.HEALTH),
    ("Clifton Green Primary School", Sector.EDUCATION),
    ("Fulford Vale Academy", Sector.EDUCATION),
    ("Little Acorns Nursery", Sector.EARLY_YEARS),
    ("York Adult Social Care", Sector.ADULT_SOCIAL_CARE),
    ("York Youth Action", Sector.VOLUNTARY),
    ("Other partner organisation", Sector.OTHER),
]

TEAMS = [
    ("North Yorkshire Police", "Force Control Room", "force-control-room", True),
    ("North Yorkshire Police", "Intelligence Unit", "intelligence-unit", True),
    ("City of York Council", "Targeted Intervention Service", "targeted-intervention-service", True),
    ("City of York Council", "Supporting Families team", "supporting-families", True),
    ("City of York Council", "School attendance team", "attendance-team", False),
    ("City of York Safeguarding Children Partnership", "Partnership business unit", "business-unit", False),
]


@dataclass(frozen=True)
class DemoAccount:
    email: str
    first_name: str
    last_name: str
    organisation: str
    role_label: str
    role: str | None = None
    team: str | None = None
    job_title: str = ""
    # Wagtail groups that come with no role (a role's own groups follow the role: apps/accounts/wagtail_groups.py).
    groups: tuple[str, ...] = ()

    @property
    def needs_mfa(self) -> bool:
        return self.role not in {None, Role.TRAINER}


ACCOUNTS = [
    DemoAccount(
        "practitioner@example.org",
        "Priya",
        "Shah",
        "Clifton Green Primary School",
        "Practitioner (designated safeguarding lead)",
        job_title="Designated safeguarding lead",
    ),
    DemoAccount(
        "health.visitor@example.org",
        "Hana",
        "Webb",
        "York and Scarborough Teaching Hospitals NHS Foundation Trust",
        "Practitioner (health visitor; in the team around early help families, leads one)",
        job_title="Health visitor",
    ),
    DemoAccount(
        "colleague@example.org",
        "Chris",
        "Lowe",
        "Clifton Green Primary School",
        "Practitioner at the lead's school, in no family's team (refused the early help records)",
        job_title="Class teacher",
    ),
    DemoAccount(
        "trainer@example.org",
        "Tom",
        "Hughes",
        "City of York Safeguarding Children Partnership",
        "Trainer",
        role=Role.TRAINER,
        job_title="Multi-agency trainer",
    ),
    DemoAccount(
        "business.unit@example.org",
        "Bea",
        "Lawson",
        "City of York Safeguarding Children Partnership",
        "Business unit editor (approves the news editor's news in /cms/)",
        role=Role.BUSINESS_UNIT,
        job_title="Business support officer",
    ),
    DemoAccount(
        "news.editor@example.org",
        "Nadia",
        "Brooks",
        "City of York Safeguarding Children Partnership",
        "News editor (writes news in /cms/ and submits it for approval; cannot publish)",
        job_title="Communications officer",
        groups=(NEWS_EDITORS,),
    ),
    DemoAccount(
        "force.control@example.org",
        "Frank",
        "Carter",
        "North Yorkshire Police",
        "Receiving team: Force Control Room",
        role=Role.TEAM_MEMBER,
        team="force-control-room",
    ),
    DemoAccount(
        "intelligence@example.org",
        "Isla",
        "Grant",
        "North Yorkshire Police",
        "Receiving team: Intelligence Unit",
        role=Role.TEAM_MEMBER,
        team="intelligence-unit",
    ),
    DemoAccount(
        "tis@example.org",
        "Tariq",
        "Iqbal",
        "City of York Council",
        "Receiving team: Targeted Intervention Service",
        role=Role.TEAM_MEMBER,
        team="targeted-intervention-service",
    ),
    DemoAccount(
        "supporting.families@example.org",
        "Sam",
        "Fletcher",
        "City of York Council",
        "Receiving team: Supporting Families team",
        role=Role.TEAM_MEMBER,
        team="supporting-families",
    ),
    DemoAccount(
        "attendance.team@example.org",
        "Ada",
        "Kirkby",
        "City of York Council",
        "The council's school attendance team (every school's attendance; uploads for any school)",
        role=Role.TEAM_MEMBER,
        team="attendance-team",
    ),
    DemoAccount(
        "attendance.officer@example.org",
        "Owen",
        "Pickering",
        "Fulford Vale Academy",
        "School attendance officer (uploads and sees Fulford Vale Academy's attendance)",
        job_title="Attendance officer",
    ),
    DemoAccount(
        "org.admin@example.org",
        "Olivia",
        "Adams",
        "Clifton Green Primary School",
        "Organisation administrator (Clifton Green Primary School)",
        role=Role.ORGANISATION_ADMIN,
    ),
    DemoAccount(
        "admin@example.org",
        "Alex",
        "Morgan",
        "City of York Safeguarding Children Partnership",
        "System administrator",
        role=Role.SYSTEM_ADMIN,
    ),
]


def load(stdout=None) -> None:
    organisations = {}
    for name, sector in ORGANISATIONS:
        organisations[name], _ = Organisation.objects.get_or_create(name=name, defaults={"sector": sector})
    teams = {}
    for org_name, name, slug, receiving in TEAMS:
        teams[slug], _ = Team.objects.get_or_create(
            slug=slug,
            defaults={
                "organisation": organisations[org_name],
                "name": name,
                "is_receiving_team": receiving,
                "inbox_email": f"{slug}@example.org",
            },
        )
    for account in ACCOUNTS:
        user, created = User.objects.get_or_create(
            email=account.email,
            defaults={
                "first_name": account.first_name,
                "last_name": account.last_name,
                "organisation": organisations[account.organisation],
                "job_title": account.job_title,
                "status": AccountStatus.ACTIVE,
                "is_staff": account.role == Role.SYSTEM_ADMIN,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        EmailAddress.objects.get_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
        if account.role is not None:
            RoleGrant.objects.get_or_create(
                user=user,
                role=account.role,
                team=teams.get(account.team) if account.team else None,
                organisation=organisations[account.organisation] if account.role == Role.ORGANISATION_ADMIN else None,
            )
            keep_groups_in_step(user, account.role)
        for name in account.groups:
            user.groups.add(Group.objects.get_or_create(name=name)[0])
        if account.needs_mfa:
            if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
                TOTP.activate(user, DEMO_TOTP_SECRET)
            RecoveryCodes.activate(user)  # as allauth does on setting up an authenticator; keeps codes it has


def describe_logins() -> str:
    width = max(len(a.email) for a in ACCOUNTS)
    lines = [f"Demo accounts (password for each: {DEMO_PASSWORD}):"]
    for account in ACCOUNTS:
        mfa = "  [authenticator code]" if account.needs_mfa else ""
        lines.append(f"  {account.email:<{width}}  {account.role_label}{mfa}")
    lines.append(
        f"Accounts marked [authenticator code] use two-factor sign-in: add the secret {DEMO_TOTP_SECRET} "
        "to an authenticator app, or run `.venv/bin/python manage.py demo_code` for the current code. "
        "Their recovery codes are at /accounts/2fa/recovery-codes/ once signed in."
    )
    return "\n".join(lines)
