"""Submissions made the way partners make them: through the services, with the sample answers."""

from __future__ import annotations

from apps.accounts.models import Organisation, Role, Team
from apps.accounts.tests.factories import OrganisationFactory, TeamFactory, UserFactory, grant
from apps.referrals import services
from apps.referrals.models import FormType, RoutingRule, Submission
from apps.referrals.questions import definition_of
from apps.referrals.samples import sample_answers


def receiving_team(slug: str, name: str = "", organisation: Organisation | None = None) -> Team:
    return TeamFactory(
        slug=slug,
        name=name or slug.replace("-", " ").title(),
        organisation=organisation or OrganisationFactory(name="North Yorkshire Police"),
    )


def route(form_type: str, team: Team) -> RoutingRule:
    rule, _ = RoutingRule.objects.update_or_create(
        form_type=form_type, answer_key="", answer_value="", defaults={"team": team}
    )
    return rule


def team_member(team: Team, **kwargs):
    user = UserFactory(organisation=team.organisation, **kwargs)
    return grant(user, Role.TEAM_MEMBER, team=team)


def submit_sample(
    form_type: str = FormType.WELFARE_CHECK,
    *,
    by=None,
    team: Team | None = None,
    variant: int = 0,
    original: str = "",
    answers: dict | None = None,
) -> Submission:
    by = by or UserFactory()
    definition = definition_of(form_type)
    if definition.follows is None and (
        team is not None or not RoutingRule.objects.filter(form_type=form_type).exists()
    ):
        route(form_type, team or receiving_team("force-control-room", "Force Control Room"))
    return services.submit(
        definition=definition,
        answers=answers or sample_answers(form_type, original=original, variant=variant),
        organisation=by.organisation,
        receipt_email=by.email,
        submitter=by,
    )
