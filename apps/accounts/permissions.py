"""The one place that answers "may this user do this to this object?".

Every view, the API and the services ask through `can()` or `require()` (or
Django's `user.has_perm`, which reaches the same rules). Rules are `rules`
predicates so that object-level checks read like sentences. Later apps add their
own rules in their `rules.py`, built from the predicates here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import rules
from django.core.exceptions import PermissionDenied

from .models import AccountStatus, Role

if TYPE_CHECKING:
    from .models import Organisation, Team, User


@dataclass(frozen=True)
class Roles:
    """What one user holds, read once per request."""

    plain: frozenset[str] = frozenset()
    team_ids: frozenset[int] = frozenset()
    admin_of_organisation_ids: frozenset[int] = frozenset()
    team_slugs: frozenset[str] = field(default_factory=frozenset)


def roles_of(user: Any) -> Roles:
    if not getattr(user, "is_authenticated", False) or getattr(user, "status", None) != AccountStatus.ACTIVE:
        return Roles()
    cached = getattr(user, "_hub_roles", None)
    if cached is not None:
        return cached
    plain, teams, orgs, slugs = set(), set(), set(), set()
    for grant in user.role_grants.select_related("team").all():
        if grant.role == Role.TEAM_MEMBER:
            teams.add(grant.team_id)
            slugs.add(grant.team.slug)
        elif grant.role == Role.ORGANISATION_ADMIN:
            orgs.add(grant.organisation_id)
        else:
            plain.add(grant.role)
    if user.is_superuser:
        plain.add(Role.SYSTEM_ADMIN)
    result = Roles(frozenset(plain), frozenset(teams), frozenset(orgs), frozenset(slugs))
    user._hub_roles = result
    return result


def forget_roles(user: Any) -> None:
    """Call after changing a user's grants so the next check reads them afresh."""
    if hasattr(user, "_hub_roles"):
        del user._hub_roles


# --- Predicates -----------------------------------------------------------------------------


@rules.predicate
def is_active_account(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.status == AccountStatus.ACTIVE


@rules.predicate
def is_practitioner(user) -> bool:
    """An approved member of a partner organisation."""
    return is_active_account(user) and user.organisation_id is not None


@rules.predicate
def is_system_admin(user) -> bool:
    return Role.SYSTEM_ADMIN in roles_of(user).plain


@rules.predicate
def is_business_unit(user) -> bool:
    return Role.BUSINESS_UNIT in roles_of(user).plain


@rules.predicate
def is_trainer(user) -> bool:
    return Role.TRAINER in roles_of(user).plain


@rules.predicate
def is_organisation_admin(user) -> bool:
    return bool(roles_of(user).admin_of_organisation_ids)


@rules.predicate
def is_team_member(user) -> bool:
    return bool(roles_of(user).team_ids)


@rules.predicate
def administers_member(user, member: User | None) -> bool:
    """An organisation admin administers the accounts of their own organisation."""
    if member is None:
        return False
    return member.organisation_id in roles_of(user).admin_of_organisation_ids


def member_of_team(user: Any, team: Team) -> bool:
    return team.pk in roles_of(user).team_ids


def administers_organisation(user: Any, organisation: Organisation) -> bool:
    return organisation.pk in roles_of(user).admin_of_organisation_ids or is_system_admin(user)


def needs_mfa(user: Any) -> bool:
    """Every role that can see protected records must use a second factor."""
    held = roles_of(user)
    return bool(held.team_ids or held.admin_of_organisation_ids or held.plain & {Role.BUSINESS_UNIT, Role.SYSTEM_ADMIN})


@rules.predicate
def is_own_account(user, member: User | None) -> bool:
    return member is not None and member.pk == user.pk


@rules.predicate
def member_is_system_admin(user, member: User | None) -> bool:
    """Only system admins decide about a system admin's account (an organisation admin may not lock one out)."""
    return member is not None and is_system_admin(member)


can_manage_members = is_system_admin | is_business_unit | is_organisation_admin
can_see_member = is_system_admin | is_business_unit | administers_member
can_decide_member = ~is_own_account & (
    is_system_admin | ((is_business_unit | administers_member) & ~member_is_system_admin)
)

rules.add_perm("accounts.view_own_account", is_active_account)
rules.add_perm("accounts.manage_members", can_manage_members)
rules.add_perm("accounts.view_member", can_see_member)
rules.add_perm("accounts.approve_member", can_decide_member)
rules.add_perm("accounts.suspend_member", can_decide_member)
rules.add_perm("accounts.reinstate_member", can_decide_member)
rules.add_perm("accounts.grant_role", is_system_admin)
rules.add_perm("accounts.manage_organisations", is_system_admin)
rules.add_perm("audit.search_audit", is_system_admin)
rules.add_perm("notifications.read_mailbox", is_system_admin)


# --- Asking -----------------------------------------------------------------------------------


def can(user: Any, permission: str, obj: Any = None) -> bool:
    """Any backend may grant it (Django's `has_perm`). The hub's rules are asked first: they answer from
    the roles read once per request, where Django's model permissions cost two queries a request."""
    if not is_active_account(user):
        return False
    return bool(rules.has_perm(permission, user, obj) or user.has_perm(permission, obj))


def require(user: Any, permission: str, obj: Any = None) -> None:
    """Raise PermissionDenied (audited by the 403 handler) unless the user may."""
    if not can(user, permission, obj):
        raise PermissionDenied(permission)
