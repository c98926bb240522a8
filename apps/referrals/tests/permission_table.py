"""Every partner forms URL x every role. All role users work for one organisation; the rows that need
another organisation or another team make them in `setup`."""

from __future__ import annotations

from apps.core.tests.table import FORBIDDEN, LOGIN, OK, REDIRECT, Row

SIGNED_OUT = {"anonymous": LOGIN, "pending": LOGIN, "suspended": LOGIN}
EVERYONE = {"*": OK}
ANY_MEMBER = {**SIGNED_OUT, "*": OK}
SENDER_ONLY = {**SIGNED_OUT, "practitioner": OK, "*": FORBIDDEN}
SENDER_OR_ORG_ADMIN = {**SENDER_ONLY, "organisation_admin": OK}
TEAM_ONLY = {**SIGNED_OUT, "team_member": OK, "*": FORBIDDEN}
NOBODY = {**SIGNED_OUT, "*": FORBIDDEN}
SYSTEM_ADMIN = {**SIGNED_OUT, "system_admin": OK, "*": FORBIDDEN}
TOKEN_ADMINS = {**SYSTEM_ADMIN, "organisation_admin": OK}
API_ONLY = {"*": 401}


def _team_of(users):
    return users["team_member"].role_grants.get().team


def _submission(users, form_type=None, *, sender=None, team=None):
    from apps.referrals.models import FormType
    from apps.referrals.tests.factories import submit_sample

    return submit_sample(
        form_type or FormType.WELFARE_CHECK,
        by=sender or users["practitioner"],
        team=team or _team_of(users),
    )


def _draft(users, *, complete=False):
    from apps.referrals import services
    from apps.referrals.models import FormType
    from apps.referrals.questions import definition_of
    from apps.referrals.samples import sample_answers

    definition = definition_of(FormType.WELFARE_CHECK)
    answers = sample_answers(FormType.WELFARE_CHECK) if complete else {}
    return services.start_draft(definition=definition, owner=users["practitioner"], answers=answers)


def draft(users):
    return {"draft": _draft(users).pk}


def draft_step(users):
    return {"draft": _draft(users).pk, "step": "person"}


def complete_draft(users):
    return {"draft": _draft(users, complete=True).pk}


def practitioners_submission(users):
    return {"reference": _submission(users).reference}


def another_organisations_submission(users):
    from apps.accounts.tests.factories import UserFactory

    return {"reference": _submission(users, sender=UserFactory()).reference}


def question(users):
    from apps.referrals import services

    submission = _submission(users)
    asked = services.ask_for_information(submission=submission, question="Is there a dog?", by=None)
    return {"reference": submission.reference, "pk": asked.pk}


def attachment(users):
    from apps.referrals import services
    from apps.referrals.models import FormType
    from apps.referrals.questions import definition_of
    from apps.referrals.samples import sample_answers
    from apps.referrals.tests.factories import route
    from apps.referrals.uploads import CheckedUpload

    route(FormType.MISSING_PERSON, _team_of(users))
    definition = definition_of(FormType.MISSING_PERSON)
    made = services.start_draft(
        definition=definition, owner=users["practitioner"], answers=sample_answers(FormType.MISSING_PERSON)
    )
    photo = CheckedUpload("photo.png", "image/png", "png", b"\x89PNG\r\n\x1a\n-made-up")
    services.save_step(draft=made, step="photo", answers={}, uploads={"photo": photo}, by=users["practitioner"])
    services.submit_draft(draft=made, by=users["practitioner"])
    made.refresh_from_db()
    return {"pk": made.submission.attachments.get().pk}


def draft_attachment(users):
    from apps.referrals import services
    from apps.referrals.uploads import CheckedUpload

    made = _draft(users)
    photo = CheckedUpload("photo.png", "image/png", "png", b"\x89PNG\r\n\x1a\n-made-up")
    services.save_step(draft=made, step="photo", answers={}, uploads={"photo": photo}, by=users["practitioner"])
    return {"pk": made.attachments.get().pk}


def teams_queue(users):
    return {"slug": _team_of(users).slug}


def another_teams_queue(users):
    from apps.referrals.tests.factories import receiving_team

    return {"slug": receiving_team("another-receiving-team").slug}


def item(users, form_type=None):
    submission = _submission(users, form_type)
    return {"slug": submission.team.slug, "reference": submission.reference}


def intelligence_item(users):
    from apps.referrals.models import FormType

    return item(users, FormType.COMMUNITY_INTELLIGENCE)


def another_teams_item(users):
    """An item of another team, opened through the team member's own team and through the other team."""
    from apps.referrals.tests.factories import receiving_team

    other = receiving_team("another-receiving-team")
    submission = _submission(users, team=other)
    return {"slug": other.slug, "reference": submission.reference}


def another_teams_item_through_own_queue(users):
    from apps.referrals.tests.factories import receiving_team

    submission = _submission(users, team=receiving_team("another-receiving-team"))
    return {"slug": _team_of(users).slug, "reference": submission.reference}


def rule(users):
    from apps.referrals.models import FormType
    from apps.referrals.tests.factories import route

    return {"pk": route(FormType.WELFARE_CHECK, _team_of(users)).pk}


def token(users, organisation=None):
    from apps.referrals import services

    made, _ = services.issue_api_token(
        organisation=organisation or users["practitioner"].organisation,
        name="Case management",
        contact_email="cases@example.org",
        by=None,
    )
    return {"pk": made.pk}


def another_organisations_token(users):
    from apps.accounts.tests.factories import OrganisationFactory

    return token(users, OrganisationFactory())


def api_submission(users):
    return {"reference": _submission(users).reference}


def api_question(users):
    asked = question(users)
    return {"reference": asked["reference"], "id": asked["pk"]}


def an_answer(users):
    return {"answer": "Yes, there is a dog."}


def start(slug):
    return lambda users: {"path": f"/forms/start/{slug}/"}


def note(users):
    return {"text": "Called the school back."}


ROWS = [
    Row("referrals:index", expect=EVERYONE),
    Row("referrals:your_submissions", expect=ANY_MEMBER),
    Row("referrals:start", expect=EVERYONE, setup=lambda users: {"form": "missing-person"}),
    *[
        Row(path=f"/forms/start/{slug}/", expect=EVERYONE, setup=start(slug))
        for slug in (
            "missing-person-returned",
            "missing-person-further-information",
            "mental-health-act-assessment",
            "welfare-check",
            "community-partner-intelligence",
            "targeted-intervention-support",
        )
    ],
    Row(
        "referrals:begin",
        method="post",
        expect={**SIGNED_OUT, "*": REDIRECT},
        setup=lambda users: {"form": "welfare-check"},
    ),
    Row("referrals:resume", expect={**NOBODY, "practitioner": REDIRECT}, setup=draft),
    Row("referrals:step", expect=SENDER_ONLY, setup=draft_step),
    Row(
        "referrals:step",
        expect=SENDER_ONLY,
        setup=lambda users: {"path": f"/forms/drafts/{_draft(users).pk}/concern/"},
    ),
    Row("referrals:draft_saved", expect=SENDER_ONLY, setup=draft),
    Row("referrals:check_answers", expect=SENDER_ONLY, setup=complete_draft),
    Row("referrals:delete_draft", expect=SENDER_ONLY, setup=draft),
    Row("referrals:submission", expect=SENDER_OR_ORG_ADMIN, setup=practitioners_submission),
    # A partner of another organisation (and that organisation's admin) cannot see it.
    Row("referrals:submission", expect=NOBODY, setup=another_organisations_submission),
    Row("referrals:confirmation", expect=SENDER_OR_ORG_ADMIN, setup=practitioners_submission),
    Row("referrals:confirmation", expect=NOBODY, setup=another_organisations_submission),
    Row("referrals:answer_question", expect=SENDER_OR_ORG_ADMIN, setup=question),
    Row(
        "referrals:attachment",
        expect={**SENDER_OR_ORG_ADMIN, "team_member": OK},
        setup=attachment,
        browse=False,
    ),
    Row("referrals:attachment", expect=SENDER_ONLY, setup=draft_attachment, browse=False),
    Row("referrals:queues", expect={**NOBODY, "team_member": REDIRECT}),
    Row("referrals:queue", expect=TEAM_ONLY, setup=teams_queue),
    Row(
        "referrals:queue",
        expect=TEAM_ONLY,
        setup=lambda users: {"path": f"/forms/teams/{_team_of(users).slug}/?status=all&urgency=urgent"},
    ),
    # One team cannot see another team's queue, nor its items.
    Row("referrals:queue", expect=NOBODY, setup=another_teams_queue),
    Row("referrals:item", expect=TEAM_ONLY, setup=item),
    Row("referrals:item", expect=TEAM_ONLY, setup=intelligence_item),
    Row("referrals:item", expect=NOBODY, setup=another_teams_item),
    Row("referrals:item", expect=NOBODY, setup=another_teams_item_through_own_queue),
    Row("referrals:claim", method="post", expect={**NOBODY, "team_member": REDIRECT}, setup=item),
    Row("referrals:claim", method="post", expect=NOBODY, setup=another_teams_item),
    Row("referrals:assign", expect=TEAM_ONLY, setup=item),
    Row("referrals:change_status", expect=TEAM_ONLY, setup=item),
    Row("referrals:change_status", expect=NOBODY, setup=another_teams_item),
    Row("referrals:add_note", method="post", expect={**NOBODY, "team_member": REDIRECT}, setup=item, data=note),
    Row("referrals:ask", expect=TEAM_ONLY, setup=item),
    Row("referrals:grade", expect=TEAM_ONLY, setup=intelligence_item),
    Row("referrals:routing_rules", expect=SYSTEM_ADMIN),
    Row("referrals:add_routing_rule", expect=SYSTEM_ADMIN),
    Row("referrals:edit_routing_rule", expect=SYSTEM_ADMIN, setup=rule),
    Row("referrals:delete_routing_rule", expect=SYSTEM_ADMIN, setup=rule),
    Row("referrals:api_tokens", expect=TOKEN_ADMINS),
    Row("referrals:issue_api_token", expect=TOKEN_ADMINS),
    Row("referrals:revoke_api_token", expect=TOKEN_ADMINS, setup=token),
    Row("referrals:revoke_api_token", expect=SYSTEM_ADMIN, setup=another_organisations_token),
    # The API takes organisation tokens only: a signed-in session is not enough.
    Row("referrals_api:submissions", expect=API_ONLY, browse=False),
    Row("referrals_api:submissions", method="post", expect=API_ONLY, browse=False),
    Row("referrals_api:submission", expect=API_ONLY, setup=api_submission, browse=False),
    Row(
        "referrals_api:answer_question",
        method="post",
        expect=API_ONLY,
        setup=api_question,
        data=an_answer,
        browse=False,
    ),
    Row("referrals_api:forms", expect=API_ONLY, browse=False),
    Row("referrals_api:schema", expect=EVERYONE, browse=False),
]
