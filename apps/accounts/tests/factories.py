from __future__ import annotations

import time

import factory
from allauth.account.models import EmailAddress
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value

from apps.accounts.models import AccountStatus, Organisation, Role, RoleGrant, Sector, Team, User

PASSWORD = "correct-horse-battery-staple"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Partner Agency {n}")
    sector = Sector.HEALTH


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ("slug",)

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Team {n}")
    slug = factory.Sequence(lambda n: f"team-{n}")
    is_receiving_team = True
    inbox_email = factory.LazyAttribute(lambda t: f"{t.slug}@teams.example.org")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    organisation = factory.SubFactory(OrganisationFactory)
    status = AccountStatus.ACTIVE

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or PASSWORD)
        if create:
            self.save()
            EmailAddress.objects.get_or_create(
                user=self, email=self.email, defaults={"verified": True, "primary": True}
            )


def grant(user: User, role: str, *, team: Team | None = None, organisation: Organisation | None = None) -> User:
    RoleGrant.objects.create(user=user, role=role, team=team, organisation=organisation)
    if hasattr(user, "_hub_roles"):
        del user._hub_roles
    return user


def with_totp(user: User) -> User:
    TOTP.activate(user, TOTP_SECRET)
    return user


def current_totp_code(secret: str = TOTP_SECRET) -> str:
    """The code an authenticator app shows now. allauth accepts only the current period's code, so this
    waits out a period's last seconds rather than hand over a code that expires on the way."""
    left = mfa_settings.TOTP_PERIOD - time.time() % mfa_settings.TOTP_PERIOD
    if left < 3:
        time.sleep(left + 0.1)
    return format_hotp_value(hotp_value(secret, int(time.time()) // mfa_settings.TOTP_PERIOD))


def make_role_user(role: str, **kwargs) -> User:
    """A user holding one role, with MFA already set up where the role requires it."""
    if role == "anonymous":
        raise ValueError("anonymous is not a user")
    if role in {"pending", "suspended"}:
        return UserFactory(status=AccountStatus.PENDING if role == "pending" else AccountStatus.SUSPENDED, **kwargs)
    team = kwargs.pop("team", None)
    user = UserFactory(**kwargs)
    if role == "practitioner":
        return user
    if role == "team_member":
        grant(user, Role.TEAM_MEMBER, team=team or TeamFactory())
    elif role == "organisation_admin":
        grant(user, Role.ORGANISATION_ADMIN, organisation=user.organisation)
    else:
        grant(user, role)
    if role != Role.TRAINER:
        with_totp(user)
    return user
