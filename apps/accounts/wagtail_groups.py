"""The Wagtail groups that come with a hub role, kept in step with the role by grant_role and revoke_role.

Wagtail decides who may edit, publish and approve pages by Django groups (apps/news/editorial.py gives
the groups their page permissions and the news workflow). A role that needs a group joins it when it
is granted and leaves it when it is revoked, so nobody has to remember to do both. A group that holds
no role of its own (such as "News editors") is given and taken away in Wagtail's user admin.
"""

from __future__ import annotations

from django.contrib.auth.models import Group

from .models import Role, RoleGrant, User

BUSINESS_UNIT_APPROVERS = "Business unit approvers"
NEWS_EDITORS = "News editors"

ROLE_GROUPS: dict[str, tuple[str, ...]] = {
    Role.BUSINESS_UNIT: (BUSINESS_UNIT_APPROVERS,),
}


def keep_groups_in_step(user: User, role: str) -> None:
    """Put `user` in the groups of `role` if they hold it, and take them out if they do not.

    Only the groups that go with `role` are touched: someone added to a group by hand keeps it.
    A group the editorial set-up has not made yet is made here (empty of permissions until it is).
    """
    names = ROLE_GROUPS.get(role, ())
    if not names:
        return
    groups = [Group.objects.get_or_create(name=name)[0] for name in names]
    if RoleGrant.objects.filter(user=user, role=role).exists():
        user.groups.add(*groups)
    else:
        user.groups.remove(*groups)
    for cache in ("_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        if hasattr(user, cache):
            delattr(user, cache)
