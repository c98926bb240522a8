"""Reads about accounts that carry who may see what."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When

from .models import AccountStatus, Organisation, Role, User
from .permissions import is_business_unit, is_system_admin, roles_of

STANDING_ORDER = Case(
    When(status=AccountStatus.PENDING, then=Value(0)),
    When(status=AccountStatus.ACTIVE, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


@dataclass(frozen=True)
class MemberFilters:
    status: str = ""
    organisation: Organisation | None = None
    search: str = ""


def sees_every_organisation(user: Any) -> bool:
    return is_system_admin(user) or is_business_unit(user)


def members_visible_to(user: Any, filters: MemberFilters | None = None) -> QuerySet[User]:
    """The accounts a user administers: everyone's for the business unit and system admins, their own
    organisation's for an organisation admin. Waiting for approval first, then active, then suspended."""
    filters = filters or MemberFilters()
    members = User.objects.select_related("organisation")
    if not sees_every_organisation(user):
        members = members.filter(organisation_id__in=roles_of(user).admin_of_organisation_ids)
    if filters.status:
        members = members.filter(status=filters.status)
    if filters.organisation is not None:
        members = members.filter(organisation=filters.organisation)
    for word in filters.search.split():
        members = members.filter(
            Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(email__icontains=word)
        )
    return members.annotate(standing=STANDING_ORDER).order_by("standing", "last_name", "first_name", "email")


def organisations_visible_to(user: Any) -> QuerySet[Organisation]:
    if sees_every_organisation(user):
        return Organisation.objects.all()
    return Organisation.objects.filter(pk__in=roles_of(user).admin_of_organisation_ids)


def organisations_with_counts() -> QuerySet[Organisation]:
    return Organisation.objects.annotate(
        member_count=Count("members", distinct=True), team_count=Count("teams", distinct=True)
    ).order_by("name")


def admins_to_tell_of_sign_up(member: User) -> list[User]:
    """Who approves a new member: their organisation's active admins, or else the business unit."""
    active = User.objects.filter(status=AccountStatus.ACTIVE).exclude(pk=member.pk).order_by("email")
    admins = []
    if member.organisation_id is not None:
        admins = list(
            active.filter(
                role_grants__role=Role.ORGANISATION_ADMIN, role_grants__organisation_id=member.organisation_id
            ).distinct()
        )
    return admins or list(active.filter(role_grants__role=Role.BUSINESS_UNIT).distinct())


def waiting_count_for(user: Any) -> int:
    return members_visible_to(user, MemberFilters(status=AccountStatus.PENDING)).count()
