"""Accounts in Django's admin, for system admins only.

Organisations and teams can be added and changed here too; the changes go through services.py, so
they are audited like the hub's own pages. Accounts and roles are read-only here: approving,
suspending and giving roles happen on the hub's members pages, which audit them and tell the member.
"""

from __future__ import annotations

from django.contrib import admin
from django.utils.html import format_html

from . import services
from .models import Organisation, RoleGrant, Team, User
from .permissions import is_system_admin


class SystemAdminOnly(admin.ModelAdmin):
    def has_module_permission(self, request) -> bool:
        return is_system_admin(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return is_system_admin(request.user)

    def has_add_permission(self, request) -> bool:
        return is_system_admin(request.user)

    def has_change_permission(self, request, obj=None) -> bool:
        return is_system_admin(request.user)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # organisations and teams are kept: people, records and the audit trail name them


class ReadOnly(SystemAdminOnly):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class TeamInline(admin.TabularInline):
    model = Team
    fields = ["name", "slug", "inbox_email", "is_receiving_team"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Organisation)
class OrganisationAdmin(SystemAdminOnly):
    list_display = ["name", "sector", "is_active"]
    list_filter = ["sector", "is_active"]
    search_fields = ["name"]
    fields = ["name", "sector", "is_active"]
    inlines = [TeamInline]

    def save_model(self, request, obj, form, change) -> None:
        data = {name: form.cleaned_data[name] for name in self.fields}
        if change:
            saved = services.update_organisation(organisation=obj, by=request.user, **data)
        else:
            saved = services.create_organisation(**data, by=request.user)
        obj.pk = saved.pk

    def save_related(self, request, form, formsets, change) -> None:
        """The teams inline is read-only; teams are saved through their own page."""


@admin.register(Team)
class TeamAdmin(SystemAdminOnly):
    list_display = ["name", "organisation", "slug", "is_receiving_team", "inbox_email"]
    list_filter = ["is_receiving_team", "organisation"]
    search_fields = ["name", "slug", "organisation__name"]
    fields = ["organisation", "name", "slug", "description", "inbox_email", "is_receiving_team"]

    def get_readonly_fields(self, request, obj=None):
        return ["organisation"] if obj is not None else []

    def save_model(self, request, obj, form, change) -> None:
        data = {name: form.cleaned_data[name] for name in self.fields if name != "organisation"}
        if change:
            saved = services.update_team(team=obj, by=request.user, **data)
        else:
            saved = services.create_team(organisation=form.cleaned_data["organisation"], **data, by=request.user)
        obj.pk = saved.pk


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    fk_name = "user"
    fields = ["role", "team", "organisation", "granted_at", "granted_by"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(User)
class UserAdmin(ReadOnly):
    list_display = ["email", "first_name", "last_name", "organisation", "status", "last_login"]
    list_filter = ["status", "organisation"]
    search_fields = ["email", "first_name", "last_name"]
    fields = [
        "hub_page",
        "email",
        "first_name",
        "last_name",
        "job_title",
        "organisation",
        "status",
        "status_reason",
        "status_changed_at",
        "status_changed_by",
        "date_joined",
        "last_login",
    ]
    readonly_fields = fields
    inlines = [RoleGrantInline]

    @admin.display(description="Approve, suspend or give roles")
    def hub_page(self, obj: User) -> str:
        return format_html('<a href="{}">On the member\'s page in the hub</a>', obj.get_absolute_url())


@admin.register(RoleGrant)
class RoleGrantAdmin(ReadOnly):
    list_display = ["user", "role", "team", "organisation", "granted_at", "granted_by"]
    list_filter = ["role"]
    search_fields = ["user__email"]
