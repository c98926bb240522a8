"""Who may do what with partner forms.

A partner sees their own submissions (and an organisation admin those of their organisation);
a receiving team sees only what is routed to it. System admins set the routing and the API's
tokens, but do not read what partners sent.
"""

from __future__ import annotations

import rules

from apps.accounts.permissions import (
    is_organisation_admin,
    is_practitioner,
    is_system_admin,
    is_team_member,
    member_of_team,
    roles_of,
)


@rules.predicate
def sent_it(user, submission) -> bool:
    return submission is not None and submission.submitted_by_id == user.pk


@rules.predicate
def administers_its_organisation(user, submission) -> bool:
    """An organisation admin of the sending organisation (a system admin is not, by that alone)."""
    return submission is not None and submission.organisation_id in roles_of(user).admin_of_organisation_ids


@rules.predicate
def in_its_team(user, submission) -> bool:
    return submission is not None and member_of_team(user, submission.team)


@rules.predicate
def in_team(user, team) -> bool:
    return team is not None and member_of_team(user, team)


@rules.predicate
def owns_draft(user, draft) -> bool:
    return draft is not None and draft.owner_id == user.pk


@rules.predicate
def may_issue_for(user, organisation) -> bool:
    return organisation is None or organisation.pk in roles_of(user).admin_of_organisation_ids


rules.add_perm("referrals.submit", is_practitioner)
rules.add_perm("referrals.edit_draft", is_practitioner & owns_draft)
rules.add_perm("referrals.view_submission", sent_it | administers_its_organisation)
rules.add_perm("referrals.answer_for_submission", sent_it | administers_its_organisation)
rules.add_perm("referrals.see_queues", is_team_member)
rules.add_perm("referrals.view_queue", in_team)
rules.add_perm("referrals.triage", in_its_team)
rules.add_perm("referrals.manage_routing", is_system_admin)
rules.add_perm("referrals.manage_api_tokens", is_system_admin | (is_organisation_admin & may_issue_for))
