"""The PAMIC tool as practitioners use it: on a family's record (saved, in the chronology, audited, as a PDF) and
without one (nothing saved)."""

from __future__ import annotations

import itertools

import pytest
from django.urls import reverse

from apps.accounts.tests.factories import UserFactory, make_role_user
from apps.audit.models import AuditAction, AuditEntry
from apps.earlyhelp import selectors as earlyhelp_selectors
from apps.earlyhelp import services as earlyhelp
from apps.earlyhelp.models import ChronologyEntry, EntryKind

from .. import demo, forms, pamic, services
from ..models import PamicResult
from .factories import family_with_parent, saved_result

pytestmark = pytest.mark.django_db

ANSWERS = {
    "mental_health": "Bipolar disorder; a recent manic episode.",
    "likelihood": "4",
    "severity": "3",
    "protective_factors": ["0", "2"],
    "protective_notes": "Aunt nearby.",
}


def judgement_url(response) -> str:
    assert response.status_code == 302, response.content.decode()[:2000]
    return response.headers["Location"]


def test_without_a_record_the_tool_gives_a_result_and_saves_nothing(client):
    client.force_login(make_role_user("practitioner"))
    before = AuditEntry.objects.count()
    start = client.get(reverse("practicetools:pamic_assess")).content.decode()
    assert "nothing you enter is saved on any record" in start
    answers = {**ANSWERS, "adult": "Mum", "child": "J, 7"}
    url = judgement_url(client.post(reverse("practicetools:pamic_assess"), answers))
    page = client.get(url).content.decode()
    assert "your answers fall on <strong>Level 3: high impact</strong>" in page
    response = client.post(url, {"final_level": "2", "reason": ""})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Not saved." in body and "Suggested response: Referral to children&#x27;s social care" in body
    assert "Protective factors for the child: Another protective adult" in body
    assert PamicResult.objects.count() == 0 and ChronologyEntry.objects.count() == 0
    assert AuditEntry.objects.count() == before
    assert client.get(url).status_code == 404  # the answers are forgotten once the result is shown


def test_the_lead_saves_a_result_on_the_record_its_chronology_and_the_audit_trail(client):
    family = family_with_parent()
    adult, child = family.members.get(role="parent_carer"), family.members.get(role="child")
    client.force_login(family.lead)
    url = judgement_url(
        client.post(
            reverse("practicetools:pamic_family_assess", kwargs={"pk": family.pk}),
            {**ANSWERS, "adult": adult.pk, "child": child.pk},
        )
    )
    response = client.post(url, {"final_level": "1", "reason": "Aunt has moved in and the GP has acted."})
    saved = PamicResult.objects.get()
    assert response.headers["Location"] == reverse("practicetools:pamic_result", kwargs={"pk": saved.pk})
    assert (saved.grid_level, saved.final_level, saved.version.number) == (2, 1, 1)
    entry = ChronologyEntry.objects.get(family=family, kind=EntryKind.PRACTICE_TOOL)
    assert entry.member == child and "Level 2: moderate impact" in entry.summary and "moved it down" in entry.summary
    assert AuditEntry.objects.filter(action=AuditAction.CREATE, object_type="practicetools.pamicresult").count() == 1
    page = client.get(response.headers["Location"]).content.decode()
    assert "Moved the result down to Level 2: moderate impact: Aunt has moved in" in page
    assert "Version 1" in page and "Not saved" not in page


def test_moving_the_result_without_a_reason_is_refused_and_keeps_the_choice(client):
    family = family_with_parent()
    client.force_login(family.lead)
    url = judgement_url(
        client.post(
            reverse("practicetools:pamic_family_assess", kwargs={"pk": family.pk}),
            {
                **ANSWERS,
                "adult": family.members.get(role="parent_carer").pk,
                "child": family.members.get(role="child").pk,
            },
        )
    )
    response = client.post(url, {"final_level": "0", "reason": " "})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Explain why your professional judgement moves the result from Level 3: high impact to Level 1" in body
    assert response.context["form"]["final_level"].value() == "0"
    assert PamicResult.objects.count() == 0


def test_a_team_member_may_save_but_a_colleague_outside_the_team_may_neither_save_nor_read(client):
    family = family_with_parent()
    nurse = UserFactory()
    earlyhelp.add_team_member(family=family, user=nurse, role="School nurse", by=family.lead)
    client.force_login(nurse)
    assert client.get(reverse("practicetools:pamic_family_assess", kwargs={"pk": family.pk})).status_code == 200
    result = saved_result(family)
    colleague = UserFactory(organisation=family.lead_organisation)
    client.force_login(colleague)
    for name in ("pamic_family_assess", "pamic_family", "pamic_result", "pamic_result_pdf"):
        pk = result.pk if name.startswith("pamic_result") else family.pk
        assert client.get(reverse(f"practicetools:{name}", kwargs={"pk": pk})).status_code == 403, name
    with pytest.raises(Exception, match=r"earlyhelp\.contribute"):
        saved_result_by(family, colleague)


def saved_result_by(family, user):
    version = services.current_version()
    return services.save_result(
        family=family,
        adult=family.members.get(role="parent_carer"),
        child=family.members.get(role="child"),
        version=version,
        mental_health="x",
        outcome=pamic.weigh(version.config, likelihood=1, severity=1),
        factors=[],
        notes="",
        by=user,
    )


def test_every_view_of_a_saved_result_and_its_pdf_is_audited(client):
    result = saved_result()
    client.force_login(result.family.lead)
    url = reverse("practicetools:pamic_result", kwargs={"pk": result.pk})
    client.get(url)
    client.get(url)
    pdf = client.get(reverse("practicetools:pamic_result_pdf", kwargs={"pk": result.pk}))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    entries = AuditEntry.objects.filter(object_type="practicetools.pamicresult", object_id=str(result.pk))
    assert entries.filter(action=AuditAction.VIEW).count() == 3
    assert entries.filter(action=AuditAction.EXPORT).count() == 1


def test_the_result_is_in_the_subject_access_export_of_the_adult_and_the_child():
    result = saved_result(likelihood=1, severity=1)
    for member in (result.adult, result.child):
        [row] = earlyhelp_selectors.subject_access(member)["practice_tools"]
        assert row["level"] == "Level 1: lower impact" and row["version"] == 1


def test_the_family_page_and_the_pamic_e_learning_link_to_the_tool(client):
    from apps.training.tests.factories import ELearningItemFactory

    family = family_with_parent()
    client.force_login(family.lead)
    page = client.get(reverse("earlyhelp:family", kwargs={"pk": family.pk})).content.decode()
    assert reverse("practicetools:pamic_family_assess", kwargs={"pk": family.pk}) in page
    assert reverse("practicetools:pamic_family", kwargs={"pk": family.pk}) in page
    item = ELearningItemFactory(course__slug="pamic-tool-training")
    page = client.get(reverse("training:elearning", kwargs={"slug": item.course.slug})).content.decode()
    assert f'href="{reverse("practicetools:pamic")}">Use the PAMIC tool</a>' in page


def test_the_business_unit_makes_a_new_version_from_the_current_one(client):
    client.force_login(make_role_user("business_unit"))
    form = client.get(reverse("practicetools:pamic_new_version")).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data.update(grid_1_1="2", level_3_label="Level 3: refer today", change_note="Stricter bottom corner")
    response = client.post(reverse("practicetools:pamic_new_version"), data)
    assert response.headers["Location"] == reverse("practicetools:pamic_version", kwargs={"number": 2})
    version = services.current_version()
    assert version.number == 2 and version.config["grid"][0][0] == 2
    assert pamic.weigh(version.config, likelihood=1, severity=1).level["label"] == "Level 3: refer today"
    response = client.post(reverse("practicetools:pamic_new_version"), {**data, "change_note": ""})
    assert response.status_code == 400 and "Enter what has changed in this version" in response.content.decode()


def test_the_demo_saves_one_result_on_the_quillfeathers_once(client):
    from apps.earlyhelp.tests.factories import add_child, open_family

    lead = make_role_user("practitioner", email=demo.LEAD)
    family = open_family(lead, name=demo.FAMILY)
    add_child(family, role="parent_carer", first_name="Ottoline")
    family.members.filter(role="child").update(first_name="Barnaby")
    demo.load()
    demo.load()
    [result] = PamicResult.objects.filter(family=family)
    assert result.outcome.response == "Early help"


DJANGO_DEFAULTS = ["This field is required", "Ensure this value", "Enter a valid", "Select a valid choice",
                   "Enter a whole number", "Enter a list of values"]  # fmt: skip


def test_every_pamic_form_answers_bad_input_with_messages_naming_the_field():
    config = services.current_version().config
    family = family_with_parent()
    shown = []
    bad = {"adult": "99999", "child": "x" * 300, "mental_health": "", "likelihood": "9", "severity": "zzz",
           "protective_factors": ["99"], "final_level": "7", "grid_1_1": "9", "level_1_response": "zzz",
           "likelihood_1_label": "x" * 300}  # fmt: skip
    for data in ({}, bad):
        for form in (
            forms.AssessForm(data, config=config),
            forms.AssessForm(
                data, config=config, adults=family.members.filter(role="parent_carer"), children=family.members.all()
            ),
            forms.JudgementForm(data, config=config, grid_level=1),
            forms.VersionForm(data, config=config),
        ):
            form.is_valid()
            shown += [str(message) for message in itertools.chain.from_iterable(form.errors.values())]
    assert [message for message in shown if any(text in message for text in DJANGO_DEFAULTS)] == []
    assert "Choose how likely it is that the adult's mental ill health will affect the child" in shown
    assert "Choose an adult in this family" in shown
    assert len(shown) > 40


def test_the_start_page_offers_the_practitioner_s_own_open_records_only_and_the_list_is_audited(client):
    mine = family_with_parent()
    theirs = family_with_parent()
    client.force_login(mine.lead)
    page = client.get(reverse("practicetools:pamic")).content.decode()
    assert reverse("practicetools:pamic_family_assess", kwargs={"pk": mine.pk}) in page
    assert reverse("practicetools:pamic_family_assess", kwargs={"pk": theirs.pk}) not in page
    assert AuditEntry.objects.filter(
        action=AuditAction.SEARCH, actor_id=mine.lead.pk, detail="PAMIC tool: your families"
    ).exists()
