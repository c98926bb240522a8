"""Who may see and send school attendance.

- The council's attendance team is a team (slug `attendance-team`) whose members hold the receiving-team
  member role, as the Supporting Families team does: it sees every school and pupil and may upload for any
  school. A team rather than a new role, because `permissions.roles_of` already reads team slugs once per
  request, team members must use a second factor, and the team can be granted and removed in the same place.
- A school is an organisation with a `School` row (its DfE URN); its members upload their own school's
  terms and see the pupils the school last sent.
- Anyone who may see an early help family (`earlyhelp.view_family`: its lead, its team around the family, the
  Supporting Families team) sees the attendance of the children on it whose UPN is on the record.
"""

from __future__ import annotations

from typing import Any

import rules

from apps.accounts.permissions import is_practitioner, is_system_admin, roles_of

ATTENDANCE_TEAM = "attendance-team"


@rules.predicate
def is_attendance_team(user) -> bool:
    return ATTENDANCE_TEAM in roles_of(user).team_slugs


def school_of(user: Any):
    """The school the user works for, if their organisation is one (read once per request)."""
    if not getattr(user, "is_authenticated", False) or not user.organisation_id:
        return None
    if not hasattr(user, "_hub_school"):
        from .models import School

        user._hub_school = (
            School.objects.select_related("organisation").filter(organisation_id=user.organisation_id).first()
        )
    return user._hub_school


@rules.predicate
def works_for_a_school(user) -> bool:
    return school_of(user) is not None


@rules.predicate
def pupil_at_their_school(user, pupil) -> bool:
    school = school_of(user)
    return pupil is not None and school is not None and pupil.school_id == school.pk


@rules.predicate
def pupil_in_their_family(user, pupil) -> bool:
    if pupil is None:
        return False
    from apps.accounts.permissions import can
    from apps.earlyhelp.models import Family

    families = Family.objects.filter(members__pupil_number=pupil.upn).distinct()
    return any(can(user, "earlyhelp.view_family", family) for family in families)


sees_every_school = is_attendance_team | is_system_admin
may_send = is_practitioner & (is_attendance_team | works_for_a_school)

rules.add_perm("attendance.use", is_practitioner | is_system_admin)
rules.add_perm("attendance.upload", may_send)
rules.add_perm(
    "attendance.see_figures", (is_practitioner & (is_attendance_team | works_for_a_school)) | is_system_admin
)
rules.add_perm(
    "attendance.view_pupil",
    (is_practitioner & (is_attendance_team | pupil_at_their_school | pupil_in_their_family)) | is_system_admin,
)
rules.add_perm(
    "attendance.record_barriers",
    is_practitioner & (is_attendance_team | pupil_at_their_school | pupil_in_their_family),
)
rules.add_perm("attendance.see_mapping", is_practitioner | is_system_admin)
