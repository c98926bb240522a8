"""Approving, suspending and reinstating members, roles, organisations and teams, as the people involved meet them."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied

from apps.accounts import services
from apps.accounts.models import AccountStatus, Organisation, Role, RoleGrant, Sector, Team
from apps.accounts.permissions import can, needs_mfa, roles_of
from apps.accounts.tests.factories import OrganisationFactory, TeamFactory, UserFactory, make_role_user
from apps.accounts.wagtail_groups import BUSINESS_UNIT_APPROVERS, NEWS_EDITORS
from apps.audit.models import AuditAction, AuditEntry
from apps.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


def mail_to(person, purpose: str | None = None) -> list[OutboxMessage]:
    messages = OutboxMessage.objects.filter(to=person.email).order_by("pk")
    return list(messages.filter(purpose=purpose) if purpose else messages)


def audit_of(person) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(object_type="accounts.user", object_id=str(person.pk)).order_by("sequence"))


@pytest.fixture
def school():
    return OrganisationFactory(name="Clifton Green Primary School", sector=Sector.EDUCATION)


@pytest.fixture
def school_admin(school):
    return make_role_user("organisation_admin", organisation=school)


@pytest.fixture
def newcomer(school):
    return UserFactory(organisation=school, status=AccountStatus.PENDING, first_name="Nia", last_name="Okafor")


# --- Approval ---------------------------------------------------------------------------------


def test_an_organisation_admin_approves_a_newcomer_to_their_organisation(school_admin, newcomer):
    approved = services.approve_member(member=newcomer, by=school_admin)

    newcomer.refresh_from_db()
    assert approved.status == newcomer.status == AccountStatus.ACTIVE
    assert newcomer.is_active
    assert newcomer.status_changed_by == school_admin
    (entry,) = audit_of(newcomer)
    assert (entry.action, entry.actor_id, entry.detail) == (AuditAction.CHANGE, school_admin.pk, "Approved the account")
    (mail,) = mail_to(newcomer, "accounts:member_approved")
    assert "approved" in mail.subject and "/accounts/login/" in mail.body_text


def test_an_organisation_admin_cannot_approve_someone_from_another_organisation(school_admin):
    stranger = UserFactory(organisation=OrganisationFactory(name="Little Acorns Nursery"), status=AccountStatus.PENDING)

    with pytest.raises(PermissionDenied):
        services.approve_member(member=stranger, by=school_admin)

    stranger.refresh_from_db()
    assert stranger.status == AccountStatus.PENDING
    assert not audit_of(stranger) and not mail_to(stranger)


@pytest.mark.parametrize("role", ["business_unit", "system_admin"])
def test_the_business_unit_and_system_admins_approve_anyone(role, newcomer):
    decider = make_role_user(role, organisation=OrganisationFactory(name="The Partnership"))

    services.approve_member(member=newcomer, by=decider)

    newcomer.refresh_from_db()
    assert newcomer.status == AccountStatus.ACTIVE


@pytest.mark.parametrize("role", ["practitioner", "trainer", "team_member"])
def test_other_roles_approve_nobody(role, school, newcomer):
    with pytest.raises(PermissionDenied):
        services.approve_member(member=newcomer, by=make_role_user(role, organisation=school))


def test_approving_twice_approves_once_and_says_why(school_admin, newcomer):
    services.approve_member(member=newcomer, by=school_admin)

    with pytest.raises(services.NotWaitingForApproval):
        services.approve_member(member=newcomer, by=school_admin)
    assert len(mail_to(newcomer)) == 1


# --- Suspension -------------------------------------------------------------------------------


def test_suspending_keeps_the_reason_tells_the_member_and_audits_it(school_admin, school):
    member = UserFactory(organisation=school)

    services.suspend_member(member=member, by=school_admin, reason="Left the school in July")

    member.refresh_from_db()
    assert (member.status, member.is_active, member.status_reason) == (
        AccountStatus.SUSPENDED,
        False,
        "Left the school in July",
    )
    (entry,) = audit_of(member)
    assert entry.reason == "Left the school in July" and entry.detail == "Suspended the account"
    (mail,) = mail_to(member, "accounts:member_suspended")
    assert "Left the school in July" in mail.body_text


def test_a_suspension_needs_a_reason(school_admin, school):
    member = UserFactory(organisation=school)

    with pytest.raises(services.ReasonRequired):
        services.suspend_member(member=member, by=school_admin, reason="  ")
    member.refresh_from_db()
    assert member.status == AccountStatus.ACTIVE


def test_nobody_suspends_their_own_account(school_admin):
    with pytest.raises(PermissionDenied):
        services.suspend_member(member=school_admin, by=school_admin, reason="Testing")


def test_only_a_system_admin_suspends_a_system_admin(school, school_admin):
    admin_at_school = make_role_user("system_admin", organisation=school)
    business_unit = make_role_user("business_unit")

    for decider in (school_admin, business_unit):
        with pytest.raises(PermissionDenied):
            services.suspend_member(member=admin_at_school, by=decider, reason="Not allowed")
    services.suspend_member(member=admin_at_school, by=make_role_user("system_admin"), reason="Left")
    admin_at_school.refresh_from_db()
    assert admin_at_school.status == AccountStatus.SUSPENDED


def test_a_refused_newcomer_is_suspended_with_the_reason(school_admin, newcomer):
    services.suspend_member(member=newcomer, by=school_admin, reason="Does not work here")

    newcomer.refresh_from_db()
    assert newcomer.status == AccountStatus.SUSPENDED


def test_reinstating_makes_the_account_active_and_tells_the_member(school_admin, school):
    member = UserFactory(organisation=school)
    services.suspend_member(member=member, by=school_admin, reason="On long leave")

    services.reinstate_member(member=member, by=school_admin, reason="Back from leave")

    member.refresh_from_db()
    assert member.status == AccountStatus.ACTIVE and member.is_active
    assert [e.detail for e in audit_of(member)] == ["Suspended the account", "Reinstated the account"]
    assert [m.purpose for m in mail_to(member)] == ["accounts:member_suspended", "accounts:member_reinstated"]


def test_only_a_suspended_account_is_reinstated(school_admin, school):
    with pytest.raises(services.NotSuspended):
        services.reinstate_member(member=UserFactory(organisation=school), by=school_admin)


def test_a_suspended_member_holds_no_roles(school):
    trainer = make_role_user("trainer", organisation=school)
    assert can(trainer, "training.see_teaching")

    services.suspend_member(member=trainer, by=make_role_user("system_admin"), reason="Stopped training")

    trainer.refresh_from_db()
    assert roles_of(trainer).plain == frozenset()
    assert not can(trainer, "training.see_teaching")


# --- Roles ------------------------------------------------------------------------------------


def test_a_system_admin_gives_a_team_role_and_the_member_is_told_to_set_up_two_factor(school):
    admin = make_role_user("system_admin")
    member = UserFactory(organisation=school)
    team = TeamFactory(name="Force Control Room")

    granted = services.grant_role(user=member, role=Role.TEAM_MEMBER, team=team, by=admin, reason="Joined the FCR")

    assert granted.team == team and granted.granted_by == admin
    assert needs_mfa(member)
    (entry,) = audit_of(member)
    assert entry.detail.startswith("Granted the role Receiving team member: Force Control Room")
    assert entry.reason == "Joined the FCR"
    (mail,) = mail_to(member, "accounts:role_granted")
    assert "two-factor authentication" in mail.body_text


def test_a_trainer_role_needs_no_second_factor(school):
    member = UserFactory(organisation=school)
    services.grant_role(user=member, role=Role.TRAINER, by=make_role_user("system_admin"))

    assert not needs_mfa(member)
    (mail,) = mail_to(member, "accounts:role_granted")
    assert "two-factor" not in mail.body_text


@pytest.mark.parametrize("role", ["business_unit", "organisation_admin", "trainer"])
def test_only_system_admins_give_roles(role, school):
    with pytest.raises(PermissionDenied):
        services.grant_role(
            user=UserFactory(organisation=school), role=Role.TRAINER, by=make_role_user(role, organisation=school)
        )


def test_a_role_is_held_once(school):
    admin, member = make_role_user("system_admin"), UserFactory(organisation=school)
    services.grant_role(user=member, role=Role.ORGANISATION_ADMIN, organisation=school, by=admin)

    with pytest.raises(services.RoleAlreadyHeld):
        services.grant_role(user=member, role=Role.ORGANISATION_ADMIN, organisation=school, by=admin)
    assert RoleGrant.objects.filter(user=member).count() == 1


def test_a_team_role_names_its_team(school):
    with pytest.raises(services.RoleNeedsTeam):
        services.grant_role(
            user=UserFactory(organisation=school), role=Role.TEAM_MEMBER, by=make_role_user("system_admin")
        )


def test_removing_a_role_takes_it_away_at_once(school):
    admin, member = make_role_user("system_admin"), UserFactory(organisation=school)
    services.grant_role(user=member, role=Role.BUSINESS_UNIT, by=admin)
    assert can(member, "training.manage_courses")

    services.revoke_role(user=member, role=Role.BUSINESS_UNIT, by=admin, reason="Moved team")

    assert not can(member, "training.manage_courses")
    assert [e.detail for e in audit_of(member)][-1] == "Removed the role Business unit editor"
    assert mail_to(member, "accounts:role_revoked")
    with pytest.raises(services.RoleNotHeld):
        services.revoke_role(user=member, role=Role.BUSINESS_UNIT, by=admin)


def test_the_business_unit_role_brings_wagtails_approvers_group_and_takes_it_away_again(school):
    admin, member = make_role_user("system_admin"), UserFactory(organisation=school)
    member.groups.add(Group.objects.create(name=NEWS_EDITORS))  # given by hand in Wagtail's user admin

    services.grant_role(user=member, role=Role.BUSINESS_UNIT, by=admin)
    services.grant_role(user=member, role=Role.TRAINER, by=admin)
    assert set(member.groups.values_list("name", flat=True)) == {BUSINESS_UNIT_APPROVERS, NEWS_EDITORS}

    services.revoke_role(user=member, role=Role.TRAINER, by=admin)
    assert set(member.groups.values_list("name", flat=True)) == {BUSINESS_UNIT_APPROVERS, NEWS_EDITORS}
    services.revoke_role(user=member, role=Role.BUSINESS_UNIT, by=admin)
    assert set(member.groups.values_list("name", flat=True)) == {NEWS_EDITORS}


# --- Signing up -------------------------------------------------------------------------------


def test_a_newcomers_organisation_admins_are_told_with_only_a_name_and_organisation(school, school_admin, newcomer):
    newcomer.job_title = "Teaching assistant"
    newcomer.save()
    UserFactory(organisation=school, status=AccountStatus.SUSPENDED)  # not an admin: never told
    former_admin = make_role_user("organisation_admin", organisation=school)
    former_admin.status = AccountStatus.SUSPENDED
    former_admin.save()

    assert services.tell_admins_of_sign_up(member=newcomer) == 1

    (mail,) = mail_to(school_admin, "accounts:member_signed_up")
    assert "Nia Okafor" in mail.subject and "Clifton Green Primary School" in mail.body_text
    assert newcomer.email not in mail.body_text and "Teaching assistant" not in mail.body_text
    assert newcomer.get_absolute_url() in mail.body_text
    assert not mail_to(former_admin)


def test_without_organisation_admins_the_business_unit_is_told(school, newcomer):
    business_unit = make_role_user("business_unit", organisation=OrganisationFactory(name="The Partnership"))

    assert services.tell_admins_of_sign_up(member=newcomer) == 1
    assert mail_to(business_unit, "accounts:member_signed_up")


def test_a_sign_up_is_audited(newcomer):
    services.record_sign_up(member=newcomer)

    (entry,) = audit_of(newcomer)
    assert entry.action == AuditAction.CREATE and entry.actor_label == newcomer.email
    assert "Clifton Green Primary School" in entry.detail


# --- Organisations and teams ------------------------------------------------------------------


def test_a_system_admin_adds_and_changes_an_organisation_with_audit_entries():
    admin = make_role_user("system_admin")

    organisation = services.create_organisation(name=" York Youth Action ", sector=Sector.VOLUNTARY, by=admin)
    services.update_organisation(organisation=organisation, by=admin, is_active=False)

    organisation.refresh_from_db()
    assert (organisation.name, organisation.is_active) == ("York Youth Action", False)
    entries = AuditEntry.objects.filter(object_type="accounts.organisation", object_id=str(organisation.pk))
    assert sorted(entries.values_list("detail", flat=True)) == ["Added the organisation", "Changed is_active"]


def test_organisation_names_are_unique_whatever_their_case():
    admin = make_role_user("system_admin")
    services.create_organisation(name="York Youth Action", sector=Sector.VOLUNTARY, by=admin)

    with pytest.raises(services.NameTaken):
        services.create_organisation(name="york youth action", sector=Sector.VOLUNTARY, by=admin)
    assert Organisation.objects.filter(name__iexact="york youth action").count() == 1


@pytest.mark.parametrize("role", ["business_unit", "organisation_admin"])
def test_only_system_admins_manage_organisations(role):
    with pytest.raises(PermissionDenied):
        services.create_organisation(name="Anything", sector=Sector.OTHER, by=make_role_user(role))


def test_a_system_admin_adds_and_changes_a_team(school):
    admin = make_role_user("system_admin")

    team = services.create_team(
        organisation=school, name="Safeguarding team", slug="clifton-safeguarding", is_receiving_team=True, by=admin
    )
    services.update_team(team=team, by=admin, inbox_email="safeguarding@clifton.example.org")

    team.refresh_from_db()
    assert team.inbox_email == "safeguarding@clifton.example.org" and team.is_receiving_team
    entries = AuditEntry.objects.filter(object_type="accounts.team", object_id=str(team.pk))
    assert entries.count() == 2
    with pytest.raises(services.SlugTaken):
        services.create_team(organisation=school, name="Another", slug="clifton-safeguarding", by=admin)
    assert Team.objects.filter(slug="clifton-safeguarding").count() == 1
