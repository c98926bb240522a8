"""Every early help URL x every role. All role users work for one organisation ("Role Test Agency"); each
family's lead is another practitioner of that same organisation, so the table's practitioner is the colleague
who must be refused. The Supporting Families team, the Targeted Intervention Service, team members from other
agencies and break-glass are in test_permissions.py."""

from __future__ import annotations

from apps.core.tests.table import FORBIDDEN, LOGIN, NOT_FOUND, OK, Row

SIGNED_OUT = {"anonymous": LOGIN, "pending": LOGIN, "suspended": LOGIN}
ANY_MEMBER = {**SIGNED_OUT, "*": OK}
# Outside the need-to-know rule; receiving teams and organisation admins are offered break-glass (still a 403).
FAMILY = {**SIGNED_OUT, "system_admin": OK, "*": FORBIDDEN}
# Changes are for the lead and the team around the family: nobody in the table.
NOBODY = {**SIGNED_OUT, "*": FORBIDDEN}
SYSTEM_ADMIN = {**SIGNED_OUT, "system_admin": OK, "*": FORBIDDEN}


def _colleague(users):
    """A practitioner of the role users' own organisation who leads the family."""
    from apps.accounts.tests.factories import UserFactory

    return UserFactory(organisation=users["practitioner"].organisation)


def family(users):
    from .factories import open_family

    return {"pk": open_family(_colleague(users)).pk}


def draft_family(users):
    from .factories import start_family

    return {"pk": start_family(_colleague(users)).pk}


def family_member(users):
    from .factories import open_family

    found = open_family(_colleague(users))
    return {"pk": found.pk, "member": found.members.get().pk}


def subject_access(fmt):
    def setup(users):
        return {**family_member(users), "fmt": fmt}

    return setup


def consent(users):
    from .factories import open_family

    found = open_family(_colleague(users))
    return {"pk": found.pk, "consent": found.consents.get().pk}


def team_member(users):
    from apps.accounts.tests.factories import UserFactory

    from .. import services
    from .factories import open_family

    found = open_family(_colleague(users))
    joined = services.add_team_member(family=found, user=UserFactory(), role="School nurse", by=found.lead)
    return {"pk": found.pk, "member": joined.pk}


def outcome(users):
    from .factories import open_family

    found = open_family(_colleague(users))
    return {"pk": found.pk, "outcome": found.plan_outcomes.get().pk}


def assessment_section(users):
    return {**draft_family(users), "section": "story"}


def meeting_document(users):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from .. import services
    from .factories import open_family

    found = open_family(_colleague(users))
    pdf = SimpleUploadedFile("minutes.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "application/pdf")
    meeting = services.record_meeting(
        family=found, by=found.lead, held_on=timezone.localdate(), attended="Sam", discussed="School", files=[pdf]
    )
    return {"pk": found.pk, "document": meeting.documents.get().pk}


def break_glass(users):
    from apps.accounts.tests.factories import UserFactory

    from .. import services
    from .factories import open_family

    found = open_family(_colleague(users))
    access = services.break_glass(family=found, user=UserFactory(), reason="A police officer needs it urgently")
    return {"pk": access.pk}


ROWS = [
    Row("earlyhelp:index", expect=ANY_MEMBER),
    Row("earlyhelp:start", expect=ANY_MEMBER),
    Row("earlyhelp:central_record", expect=SYSTEM_ADMIN),
    Row("earlyhelp:overdue", expect=SYSTEM_ADMIN),
    Row("earlyhelp:known_elsewhere", expect=SYSTEM_ADMIN),
    Row("earlyhelp:figures", expect=SYSTEM_ADMIN),
    Row("earlyhelp:figures_csv", expect=SYSTEM_ADMIN, browse=False),
    Row("earlyhelp:break_glass_list", expect=SYSTEM_ADMIN),
    Row("earlyhelp:review_break_glass", expect=SYSTEM_ADMIN, setup=break_glass),
    Row("earlyhelp:retention_list", expect=SYSTEM_ADMIN),
    Row("earlyhelp:family", expect=FAMILY, setup=family),
    Row("earlyhelp:add_member", expect=NOBODY, setup=family),
    Row("earlyhelp:member", expect=FAMILY, setup=family_member),
    Row("earlyhelp:change_member", expect=NOBODY, setup=family_member),
    Row("earlyhelp:matches", expect=NOBODY, setup=family_member),
    Row("earlyhelp:subject_access", expect=SYSTEM_ADMIN, setup=subject_access("json"), browse=False),
    Row(
        "earlyhelp:subject_access",
        path="pdf",
        expect=SYSTEM_ADMIN,
        setup=lambda users: {"path": _subject_access_path(users, "pdf")},
        browse=False,
    ),
    Row(
        path="txt",
        expect={**SIGNED_OUT, "*": NOT_FOUND},
        setup=lambda users: {"path": _subject_access_path(users, "txt")},
        browse=False,
    ),
    Row("earlyhelp:add_relationship", expect=NOBODY, setup=family),
    Row("earlyhelp:add_consent", expect=NOBODY, setup=family),
    Row("earlyhelp:withdraw_consent", expect=NOBODY, setup=consent),
    Row("earlyhelp:assessment", expect=FAMILY, setup=draft_family),
    Row("earlyhelp:sign_off", expect=NOBODY, setup=draft_family),
    Row("earlyhelp:assessment_pdf", expect=FAMILY, setup=family, browse=False),
    Row("earlyhelp:assessment_section", expect=NOBODY, setup=assessment_section),
    Row("earlyhelp:add_team_member", expect=NOBODY, setup=family),
    Row("earlyhelp:remove_team_member", expect=NOBODY, setup=team_member),
    Row("earlyhelp:transfer_lead", expect=NOBODY, setup=family),
    Row("earlyhelp:add_meeting", expect=NOBODY, setup=family),
    Row("earlyhelp:meeting_document", expect=FAMILY, setup=meeting_document, browse=False),
    Row("earlyhelp:add_outcome", expect=NOBODY, setup=family),
    Row("earlyhelp:add_action", expect=NOBODY, setup=outcome),
    Row("earlyhelp:add_review", expect=NOBODY, setup=family),
    Row("earlyhelp:step_up", expect=NOBODY, setup=family),
    Row("earlyhelp:step_down", expect=NOBODY, setup=family),
    Row("earlyhelp:close", expect=NOBODY, setup=family),
    Row("earlyhelp:attach_submission", expect=NOBODY, setup=family),
    Row("earlyhelp:chronology", expect=FAMILY, setup=family),
    Row("earlyhelp:add_event", expect=NOBODY, setup=family),
    Row("earlyhelp:chronology_pdf", expect=FAMILY, setup=family, browse=False),
    Row("earlyhelp:who_looked", expect=SYSTEM_ADMIN, setup=family),
    Row("earlyhelp:decide_retention", expect=SYSTEM_ADMIN, setup=family),
]


def _subject_access_path(users, fmt):
    from django.urls import reverse

    return reverse("earlyhelp:subject_access", kwargs=subject_access(fmt)(users))
