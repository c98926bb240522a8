"""Every change to accounts, roles, organisations and teams.

Each function checks that `by` may make the change (through apps/accounts/permissions.py), writes in
one transaction, audits it, and queues the e-mail about it through the outbox in that same
transaction. A member's row is locked while their standing changes, so two admins pressing
"Approve" at once approve once and send one e-mail.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.audit.models import AuditAction
from apps.audit.services import record
from apps.notifications.services import queue_templated_email

from .models import AccountStatus, Organisation, Role, RoleGrant, Team, User
from .permissions import forget_roles, needs_mfa, require
from .selectors import admins_to_tell_of_sign_up
from .wagtail_groups import keep_groups_in_step


class MembershipError(Exception):
    """Something a user asked for that the account's standing or roles do not allow."""

    field: str | None = None


class ReasonRequired(MembershipError):
    field = "reason"


class NotWaitingForApproval(MembershipError):
    pass


class NotActive(MembershipError):
    pass


class NotSuspended(MembershipError):
    pass


class RoleAlreadyHeld(MembershipError):
    field = "role"


class RoleNotHeld(MembershipError):
    pass


class RoleNeedsTeam(MembershipError):
    field = "team"


class RoleNeedsOrganisation(MembershipError):
    field = "organisation"


class NameTaken(MembershipError):
    field = "name"


class SlugTaken(MembershipError):
    field = "slug"


def _locked(member: User) -> User:
    return User.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=member.pk)


def _tell_member(member: User, template: str, **context: Any) -> None:
    queue_templated_email(
        to=member.email,
        template=f"accounts/email/{template}",
        context={"member": member, **context},
        purpose=f"accounts:{template}",
    )


def _set_standing(member: User, status: str, *, by: User, reason: str) -> None:
    member.status = status
    member.status_reason = reason
    member.status_changed_at = timezone.now()
    member.status_changed_by = by
    member.save(update_fields=["status", "is_active", "status_reason", "status_changed_at", "status_changed_by"])
    forget_roles(member)


# --- Joining ----------------------------------------------------------------------------------


def record_sign_up(*, member: User, request: Any = None) -> None:
    """A practitioner has asked for an account (allauth's sign-up calls this once the account exists)."""
    record(
        action=AuditAction.CREATE,
        obj=member,
        request=request,
        actor_label=member.email,
        detail=f"Signed up; waiting for approval by {member.organisation or 'an administrator'}",
    )


def tell_admins_of_sign_up(*, member: User) -> int:
    """E-mail whoever approves the new member once they have confirmed their address.

    The organisation's admins are told; if it has none, the business unit is. The e-mail names the
    person and their organisation and nothing else about them. Returns how many were told.
    """
    admins = admins_to_tell_of_sign_up(member)
    with transaction.atomic():
        for admin in admins:
            queue_templated_email(
                to=admin.email,
                template="accounts/email/member_signed_up",
                context={
                    "member": member,
                    "admin": admin,
                    "review_url": settings.HUB_BASE_URL + member.get_absolute_url(),
                },
                purpose="accounts:member_signed_up",
            )
    return len(admins)


# --- Standing: approve, suspend, reinstate ---------------------------------------------------


def approve_member(*, member: User, by: User, reason: str = "") -> User:
    require(by, "accounts.approve_member", member)
    with transaction.atomic():
        member = _locked(member)
        if member.status != AccountStatus.PENDING:
            raise NotWaitingForApproval(f"{member} is not waiting for approval")
        _set_standing(member, AccountStatus.ACTIVE, by=by, reason=reason)
        record(action=AuditAction.CHANGE, actor=by, obj=member, reason=reason, detail="Approved the account")
        _tell_member(member, "member_approved", sign_in_url=settings.HUB_BASE_URL + "/accounts/login/")
    return member


def suspend_member(*, member: User, by: User, reason: str) -> User:
    require(by, "accounts.suspend_member", member)
    reason = reason.strip()
    if not reason:
        raise ReasonRequired("Enter why you are suspending the account")
    with transaction.atomic():
        member = _locked(member)
        if member.status == AccountStatus.SUSPENDED:
            raise NotActive(f"{member}'s account is already suspended")
        _set_standing(member, AccountStatus.SUSPENDED, by=by, reason=reason)
        record(action=AuditAction.CHANGE, actor=by, obj=member, reason=reason, detail="Suspended the account")
        _tell_member(member, "member_suspended", reason=reason)
    return member


def reinstate_member(*, member: User, by: User, reason: str = "") -> User:
    require(by, "accounts.reinstate_member", member)
    with transaction.atomic():
        member = _locked(member)
        if member.status != AccountStatus.SUSPENDED:
            raise NotSuspended(f"{member}'s account is not suspended")
        _set_standing(member, AccountStatus.ACTIVE, by=by, reason=reason)
        record(action=AuditAction.CHANGE, actor=by, obj=member, reason=reason, detail="Reinstated the account")
        _tell_member(member, "member_reinstated", sign_in_url=settings.HUB_BASE_URL + "/accounts/login/")
    return member


# --- Roles ------------------------------------------------------------------------------------


def describe_role(role: str, *, team: Team | None = None, organisation: Organisation | None = None) -> str:
    label = Role(role).label
    if team is not None:
        return f"{label}: {team.name} ({team.organisation.name})"
    if organisation is not None:
        return f"{label} of {organisation.name}"
    return label


def _role_scope(
    role: str, team: Team | None, organisation: Organisation | None
) -> tuple[Team | None, Organisation | None]:
    if role not in Role.values:
        raise MembershipError(f"There is no role called {role}")
    if role == Role.TEAM_MEMBER:
        if team is None:
            raise RoleNeedsTeam("Choose the team")
        return team, None
    if role == Role.ORGANISATION_ADMIN:
        if organisation is None:
            raise RoleNeedsOrganisation("Choose the organisation")
        return None, organisation
    return None, None


def grant_role(
    *,
    user: User,
    role: str,
    team: Team | None = None,
    organisation: Organisation | None = None,
    by: User,
    reason: str = "",
) -> RoleGrant:
    require(by, "accounts.grant_role", user)
    team, organisation = _role_scope(role, team, organisation)
    described = describe_role(role, team=team, organisation=organisation)
    already_held = RoleAlreadyHeld(f"{user} already holds the role {described}")
    with transaction.atomic():
        if RoleGrant.objects.filter(user=user, role=role, team=team, organisation=organisation).exists():
            raise already_held
        try:
            with transaction.atomic():  # a savepoint: the unique constraints settle a race with another grant
                grant = RoleGrant.objects.create(
                    user=user, role=role, team=team, organisation=organisation, granted_by=by
                )
        except IntegrityError:
            raise already_held from None
        keep_groups_in_step(user, role)
        record(action=AuditAction.CHANGE, actor=by, obj=user, reason=reason, detail=f"Granted the role {described}")
        forget_roles(user)
        _tell_member(user, "role_granted", role=described, needs_mfa=needs_mfa(user))
    return grant


def revoke_role(
    *,
    user: User,
    role: str,
    team: Team | None = None,
    organisation: Organisation | None = None,
    by: User,
    reason: str = "",
) -> None:
    require(by, "accounts.grant_role", user)
    team, organisation = _role_scope(role, team, organisation)
    described = describe_role(role, team=team, organisation=organisation)
    with transaction.atomic():
        deleted, _ = RoleGrant.objects.filter(user=user, role=role, team=team, organisation=organisation).delete()
        if not deleted:
            raise RoleNotHeld(f"{user} does not hold the role {described}")
        keep_groups_in_step(user, role)
        record(action=AuditAction.CHANGE, actor=by, obj=user, reason=reason, detail=f"Removed the role {described}")
        forget_roles(user)
        _tell_member(user, "role_revoked", role=described)


# --- Organisations and teams -----------------------------------------------------------------


def _changed(instance: Any, changes: dict[str, Any]) -> list[str]:
    names = []
    for name, value in changes.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            names.append(name)
    return names


def _check_organisation_name(name: str, *, exclude: Organisation | None = None) -> None:
    taken = Organisation.objects.filter(name__iexact=name)
    if exclude is not None:
        taken = taken.exclude(pk=exclude.pk)
    if taken.exists():
        raise NameTaken(f"There is already an organisation called {name}")


def create_organisation(*, name: str, sector: str, is_active: bool = True, by: User) -> Organisation:
    require(by, "accounts.manage_organisations")
    name = name.strip()
    _check_organisation_name(name)
    with transaction.atomic():
        organisation = Organisation.objects.create(name=name, sector=sector, is_active=is_active)
        record(action=AuditAction.CREATE, actor=by, obj=organisation, detail="Added the organisation")
    return organisation


def update_organisation(*, organisation: Organisation, by: User, **changes: Any) -> Organisation:
    require(by, "accounts.manage_organisations", organisation)
    allowed = {"name", "sector", "is_active"}
    if unknown := set(changes) - allowed:
        raise TypeError(f"cannot change {', '.join(sorted(unknown))}")
    if "name" in changes:
        changes["name"] = changes["name"].strip()
        _check_organisation_name(changes["name"], exclude=organisation)
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
        changed = _changed(organisation, changes)
        if changed:
            organisation.save(update_fields=changed)
            record(action=AuditAction.CHANGE, actor=by, obj=organisation, detail=f"Changed {', '.join(changed)}")
    return organisation


def _check_team(organisation: Organisation, name: str, slug: str, *, exclude: Team | None = None) -> None:
    teams = Team.objects.exclude(pk=exclude.pk) if exclude is not None else Team.objects.all()
    if teams.filter(organisation=organisation, name__iexact=name).exists():
        raise NameTaken(f"{organisation} already has a team called {name}")
    if teams.filter(slug=slug).exists():
        raise SlugTaken(f"Another team already uses the short name {slug}")


def create_team(
    *,
    organisation: Organisation,
    name: str,
    slug: str,
    inbox_email: str = "",
    is_receiving_team: bool = False,
    description: str = "",
    by: User,
) -> Team:
    require(by, "accounts.manage_organisations", organisation)
    name = name.strip()
    _check_team(organisation, name, slug)
    with transaction.atomic():
        team = Team.objects.create(
            organisation=organisation,
            name=name,
            slug=slug,
            inbox_email=inbox_email,
            is_receiving_team=is_receiving_team,
            description=description,
        )
        record(action=AuditAction.CREATE, actor=by, obj=team, detail=f"Added the team to {organisation}")
    return team


def update_team(*, team: Team, by: User, **changes: Any) -> Team:
    require(by, "accounts.manage_organisations", team.organisation)
    allowed = {"name", "slug", "inbox_email", "is_receiving_team", "description"}
    if unknown := set(changes) - allowed:
        raise TypeError(f"cannot change {', '.join(sorted(unknown))}")
    if "name" in changes:
        changes["name"] = changes["name"].strip()
    _check_team(team.organisation, changes.get("name", team.name), changes.get("slug", team.slug), exclude=team)
    with transaction.atomic():
        team = Team.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=team.pk)
        changed = _changed(team, changes)
        if changed:
            team.save(update_fields=changed)
            record(action=AuditAction.CHANGE, actor=by, obj=team, detail=f"Changed {', '.join(changed)}")
    return team
