"""Demo partner forms: routing rules, sample submissions by the demo practitioner in the Force Control Room,
Intelligence Unit and Targeted Intervention Service queues, and an API token for a demo partner system.

Idempotent: the rules are kept by their condition, the samples by how many of each form the practitioner
has sent, and the token by its name; running it twice changes nothing.
"""

from __future__ import annotations

from apps.accounts.models import Organisation, Team, User

from . import services
from .models import ApiToken, FormType, RoutingRule, Submission
from .questions import definition_of
from .samples import sample_answers

RULES = [
    (FormType.MISSING_PERSON, "force-control-room"),
    (FormType.MHA_ASSESSMENT, "force-control-room"),
    (FormType.WELFARE_CHECK, "force-control-room"),
    (FormType.COMMUNITY_INTELLIGENCE, "intelligence-unit"),
    (FormType.TARGETED_INTERVENTION, "targeted-intervention-service"),
]
SAMPLES = [
    (FormType.MISSING_PERSON, 0),
    (FormType.MISSING_PERSON, 1),
    (FormType.MHA_ASSESSMENT, 0),
    (FormType.WELFARE_CHECK, 0),
    (FormType.WELFARE_CHECK, 1),
    (FormType.COMMUNITY_INTELLIGENCE, 0),
    (FormType.COMMUNITY_INTELLIGENCE, 1),
    (FormType.TARGETED_INTERVENTION, 0),
    (FormType.TARGETED_INTERVENTION, 1),
]
DEMO_SYSTEM = "Demo case management system"


def load(stdout=None) -> None:
    teams = {team.slug: team for team in Team.objects.filter(slug__in={slug for _, slug in RULES})}
    if len(teams) < len({slug for _, slug in RULES}):
        return  # the demo accounts loader makes the teams; without them there is nowhere to route to
    for form_type, slug in RULES:
        if not RoutingRule.objects.filter(form_type=form_type, answer_key="", answer_value="").exists():
            services.save_routing_rule(form_type=form_type, team=teams[slug], by=None)
    practitioner = User.objects.filter(email="practitioner@example.org").first()
    if practitioner is None or practitioner.organisation is None:
        return
    made = 0
    for form_type in dict(SAMPLES):
        variants = [variant for kind, variant in SAMPLES if kind == form_type]
        already = Submission.objects.filter(submitted_by=practitioner, form_type=form_type).count()
        for variant in variants[already:]:
            services.submit(
                definition=definition_of(form_type),
                answers=sample_answers(form_type, variant=variant),
                organisation=practitioner.organisation,
                receipt_email=practitioner.email,
                submitter=practitioner,
            )
            made += 1
    first_report = (
        Submission.objects.filter(submitted_by=practitioner, form_type=FormType.MISSING_PERSON)
        .order_by("submitted_at")
        .first()
    )
    if first_report is not None and not first_report.follow_ups.exists():
        services.submit(
            definition=definition_of(FormType.MISSING_PERSON_UPDATE),
            answers=sample_answers(FormType.MISSING_PERSON_UPDATE, original=first_report.reference),
            organisation=practitioner.organisation,
            receipt_email=practitioner.email,
            submitter=practitioner,
        )
        made += 1
    organisation = Organisation.objects.filter(name="York Youth Action").first()
    if organisation is not None and not ApiToken.objects.filter(organisation=organisation, name=DEMO_SYSTEM).exists():
        _, secret = services.issue_api_token(
            organisation=organisation, name=DEMO_SYSTEM, contact_email="cases@yorkyouthaction.example.org", by=None
        )
        if stdout is not None:
            stdout.write(
                f"Partner forms API token for York Youth Action (shown once): {secret}\n"
                "  Send it as 'Authorization: Bearer <token>' to /api/v1/submissions/; the schema is /api/v1/schema/\n"
            )
    if stdout is not None and made:
        stdout.write(f"Partner forms: {made} sample submissions in the receiving teams' queues\n")
