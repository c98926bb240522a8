"""Who may do what with training. The catalogue is public; places need an approved practitioner."""

from __future__ import annotations

import rules

from apps.accounts.permissions import (
    administers_member,
    is_business_unit,
    is_organisation_admin,
    is_practitioner,
    is_system_admin,
    is_trainer,
)


@rules.predicate
def trains_session(user, session) -> bool:
    """A trainer named on this session (holding the trainer role now)."""
    if session is None:
        return False
    return session.trainers.filter(pk=user.pk).exists()


@rules.predicate
def owns(user, obj) -> bool:
    """The booking, waiting list entry, request or record is the user's own."""
    return obj is not None and getattr(obj, "person_id", None) == user.pk


@rules.predicate
def is_self(user, person) -> bool:
    return person is not None and person.pk == user.pk


@rules.predicate
def administers_person_of(user, obj) -> bool:
    """An organisation admin of the organisation the record's person works for."""
    return obj is not None and administers_member(user, obj.person)


organiser = is_business_unit | is_system_admin

rules.add_perm("training.book_place", is_practitioner)
rules.add_perm("training.view_booking", owns | organiser)
rules.add_perm("training.cancel_booking", owns | organiser)
rules.add_perm("training.answer_offer", owns)
rules.add_perm("training.evaluate", owns)
rules.add_perm("training.mark_register", organiser | (is_trainer & trains_session))
rules.add_perm("training.view_register", organiser | (is_trainer & trains_session))
rules.add_perm("training.see_teaching", is_trainer)
rules.add_perm("training.manage_courses", organiser)
rules.add_perm("training.decide_request", organiser)
rules.add_perm("training.view_learning_record", is_self | organiser | administers_member)
rules.add_perm("training.view_evidence", owns | organiser | administers_person_of)
rules.add_perm("training.keep_learning_record", is_practitioner)
rules.add_perm("training.see_organisation_records", is_organisation_admin | organiser)
rules.add_perm("training.take_elearning", is_practitioner)
rules.add_perm("training.use_calendar_feed", is_practitioner)
rules.add_perm("training.email_session", organiser | (is_trainer & trains_session))
rules.add_perm("training.manage_charges", organiser)
rules.add_perm("training.see_training_reports", organiser | is_organisation_admin)
