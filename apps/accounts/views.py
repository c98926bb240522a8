"""Your account, the members area (approval, suspension, roles) and organisations and teams.

Each view parses, checks permission through apps/accounts/permissions.py, calls one service or
selector, and renders. Domain errors from the services become a GOV.UK error summary.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from . import selectors, services
from .forms import GrantRoleForm, MemberFilterForm, OrganisationForm, SuspendForm, TeamForm
from .models import AccountStatus, Organisation, RoleGrant, Team, User
from .permissions import can, needs_mfa, require, roles_of

GET_POST = require_http_methods(["GET", "HEAD", "POST"])
MEMBERS_PER_PAGE = 50


def _data(request):
    """What was posted, so that a form posted empty is still validated (and shows its errors)."""
    return request.POST if request.method == "POST" else None


def _error(form, error: services.MembershipError) -> None:
    form.add_error(error.field if error.field in form.fields else None, str(error))


# --- Your account -----------------------------------------------------------------------------


@require_safe
@login_required
def dashboard(request):
    user = request.user
    grants = (
        RoleGrant.objects.filter(user=user)
        .select_related("team__organisation", "organisation")
        .order_by("role", "team__name", "organisation__name")
    )
    roles = [services.describe_role(g.role, team=g.team, organisation=g.organisation) for g in grants]
    if user.is_superuser and "system_admin" not in {g.role for g in grants}:
        roles.append("System administrator (superuser)")
    may_manage_members = can(user, "accounts.manage_members")
    return render(
        request,
        "accounts/dashboard.html",
        {
            "roles": roles,
            "needs_mfa": needs_mfa(user),
            "is_practitioner": can(user, "training.book_place"),
            "may_manage_members": may_manage_members,
            "waiting": selectors.waiting_count_for(user) if may_manage_members else 0,
            "may_manage_organisations": can(user, "accounts.manage_organisations"),
            "may_search_audit": can(user, "audit.search_audit"),
            "may_read_mailbox": can(user, "notifications.read_mailbox"),
            "may_teach": can(user, "training.see_teaching"),
            "may_manage_training": can(user, "training.manage_courses"),
            "may_see_organisation_records": can(user, "training.see_organisation_records"),
            "teams": roles_of(user).team_slugs,
            "may_triage": can(user, "referrals.see_queues"),
            "may_route": can(user, "referrals.manage_routing"),
            "may_issue_tokens": can(user, "referrals.manage_api_tokens"),
            "may_use_linkage": can(user, "linkage.use_linkage"),
        },
    )


# --- Members ----------------------------------------------------------------------------------


@require_safe
@login_required
def members(request):
    require(request.user, "accounts.manage_members")
    organisations = selectors.organisations_visible_to(request.user)
    form = MemberFilterForm(request.GET or None, organisations=organisations)
    filters = form.filters() if request.GET else selectors.MemberFilters()
    page_obj = Paginator(selectors.members_visible_to(request.user, filters), MEMBERS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "accounts/members.html",
        {
            "filter_form": form,
            "page_obj": page_obj,
            "several_organisations": organisations.count() > 1,
            "waiting": selectors.waiting_count_for(request.user),
        },
    )


def _member(request, pk: int, permission: str = "accounts.view_member") -> User:
    member = get_object_or_404(User.objects.select_related("organisation", "status_changed_by"), pk=pk)
    require(request.user, permission, member)
    return member


def _member_page(request, member: User, *, action_error: str = "", grant_form=None, status: int = 200):
    grants = member.role_grants.select_related("team__organisation", "organisation").order_by("role")
    return render(
        request,
        "accounts/member.html",
        {
            "member": member,
            "grants": [
                (grant, services.describe_role(grant.role, team=grant.team, organisation=grant.organisation))
                for grant in grants
            ],
            "email_confirmed": member.emailaddress_set.filter(email__iexact=member.email, verified=True).exists(),
            "may_approve": member.status == AccountStatus.PENDING
            and can(request.user, "accounts.approve_member", member),
            "may_suspend": member.status != AccountStatus.SUSPENDED
            and can(request.user, "accounts.suspend_member", member),
            "may_reinstate": member.status == AccountStatus.SUSPENDED
            and can(request.user, "accounts.reinstate_member", member),
            "may_grant": can(request.user, "accounts.grant_role", member),
            "action_error": action_error,
        },
        status=status,
    )


@require_safe
@login_required
def member(request, pk: int):
    return _member_page(request, _member(request, pk))


@require_POST
@login_required
def approve_member(request, pk: int):
    member = _member(request, pk, "accounts.approve_member")
    try:
        member = services.approve_member(member=member, by=request.user)
    except services.MembershipError as error:
        return _member_page(request, member, action_error=str(error), status=409)
    messages.success(request, f"{member}'s account is approved. We have emailed them to say so.")
    return redirect("accounts:member", pk=member.pk)


@GET_POST
@login_required
def suspend_member(request, pk: int):
    member = _member(request, pk, "accounts.suspend_member")
    form = SuspendForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            member = services.suspend_member(member=member, by=request.user, reason=form.cleaned_data["reason"])
        except services.MembershipError as error:
            _error(form, error)
        else:
            messages.success(request, f"{member}'s account is suspended. We have emailed them the reason.")
            return redirect("accounts:member", pk=member.pk)
    return render(request, "accounts/suspend_member.html", {"member": member, "form": form})


@require_POST
@login_required
def reinstate_member(request, pk: int):
    member = _member(request, pk, "accounts.reinstate_member")
    try:
        member = services.reinstate_member(member=member, by=request.user)
    except services.MembershipError as error:
        return _member_page(request, member, action_error=str(error), status=409)
    messages.success(request, f"{member}'s account is active again. We have emailed them to say so.")
    return redirect("accounts:member", pk=member.pk)


def _other_organisation(member: User, organisation: Organisation | None) -> Organisation | None:
    return organisation if organisation is not None and organisation.pk != member.organisation_id else None


def _role_description(data: dict) -> str:
    return services.describe_role(data["role"], team=data["team"], organisation=data["organisation"])


@GET_POST
@login_required
def grant_role(request, pk: int):
    member = _member(request, pk, "accounts.grant_role")
    form = GrantRoleForm(_data(request), initial={"organisation": member.organisation_id})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        elsewhere = _other_organisation(member, data["team"].organisation if data["team"] else data["organisation"])
        if elsewhere and request.POST.get("confirm_other_organisation") != "yes":
            # A person given a team or an organisation of another organisation sees its records: ask first.
            return render(
                request,
                "accounts/grant_role_confirm.html",
                {"member": member, "form": form, "description": _role_description(data), "elsewhere": elsewhere},
            )
        try:
            services.grant_role(
                user=member,
                role=data["role"],
                team=data["team"],
                organisation=data["organisation"],
                by=request.user,
                reason=data["reason"],
            )
        except services.MembershipError as error:
            _error(form, error)
        else:
            messages.success(request, f"{member} has the new role. We have emailed them to say so.")
            return redirect("accounts:member", pk=member.pk)
    return render(request, "accounts/grant_role.html", {"member": member, "form": form})


@GET_POST
@login_required
def revoke_role(request, pk: int, grant_pk: int):
    """A page that asks "Are you sure?"; the role goes only when its button is pressed."""
    member = _member(request, pk, "accounts.grant_role")
    grant = get_object_or_404(
        RoleGrant.objects.select_related("team__organisation", "organisation"), pk=grant_pk, user=member
    )
    if request.method != "POST":
        description = services.describe_role(grant.role, team=grant.team, organisation=grant.organisation)
        return render(
            request, "accounts/revoke_role.html", {"member": member, "grant": grant, "description": description}
        )
    try:
        services.revoke_role(
            user=member, role=grant.role, team=grant.team, organisation=grant.organisation, by=request.user
        )
    except services.MembershipError as error:
        return _member_page(request, member, action_error=str(error), status=409)
    messages.success(request, f"The role is removed from {member}. We have emailed them to say so.")
    return redirect("accounts:member", pk=member.pk)


# --- Organisations and teams ------------------------------------------------------------------


@require_safe
@login_required
def organisations(request):
    require(request.user, "accounts.manage_organisations")
    return render(request, "accounts/organisations.html", {"organisations": selectors.organisations_with_counts()})


@require_safe
@login_required
def organisation(request, pk: int):
    require(request.user, "accounts.manage_organisations")
    organisation = get_object_or_404(Organisation, pk=pk)
    return render(
        request,
        "accounts/organisation.html",
        {
            "organisation": organisation,
            "teams": organisation.teams.order_by("name"),
            "member_count": organisation.members.count(),
        },
    )


@GET_POST
@login_required
def organisation_form(request, pk: int | None = None):
    require(request.user, "accounts.manage_organisations")
    organisation = get_object_or_404(Organisation, pk=pk) if pk is not None else None
    initial = (
        {"name": organisation.name, "sector": organisation.sector, "is_active": organisation.is_active}
        if organisation
        else None
    )
    form = OrganisationForm(
        _data(request), initial=initial, button="Save changes" if organisation else "Add organisation"
    )
    if request.method == "POST" and form.is_valid():
        try:
            if organisation is None:
                organisation = services.create_organisation(**form.cleaned_data, by=request.user)
                messages.success(request, f"{organisation} is added.")
            else:
                organisation = services.update_organisation(
                    organisation=organisation, by=request.user, **form.cleaned_data
                )
                messages.success(request, f"{organisation} is saved.")
        except services.MembershipError as error:
            _error(form, error)
        else:
            return redirect(organisation)
    return render(request, "accounts/organisation_form.html", {"organisation": organisation, "form": form})


@GET_POST
@login_required
def team_form(request, pk: int, team_pk: int | None = None):
    require(request.user, "accounts.manage_organisations")
    organisation = get_object_or_404(Organisation, pk=pk)
    team = get_object_or_404(Team, pk=team_pk, organisation=organisation) if team_pk is not None else None
    initial = None
    if team is not None:
        initial = {name: getattr(team, name) for name in TeamForm.base_fields}
    form = TeamForm(_data(request), initial=initial, button="Save changes" if team else "Add team")
    if request.method == "POST" and form.is_valid():
        try:
            if team is None:
                team = services.create_team(organisation=organisation, **form.cleaned_data, by=request.user)
                messages.success(request, f"{team.name} is added to {organisation}.")
            else:
                team = services.update_team(team=team, by=request.user, **form.cleaned_data)
                messages.success(request, f"{team.name} is saved.")
        except services.MembershipError as error:
            _error(form, error)
        else:
            return redirect(organisation)
    return render(request, "accounts/team_form.html", {"organisation": organisation, "team": team, "form": form})
