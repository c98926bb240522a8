"""Editors write news in /cms/; nothing they write goes live until the business unit approves it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time
from wagtail.models import WorkflowState
from wagtail.test.utils.form_data import nested_form_data, rich_text

from apps.accounts import services
from apps.accounts.models import Role
from apps.accounts.tests.factories import UserFactory, make_role_user, with_totp
from apps.news.editorial import APPROVERS, EDITORS
from apps.news.models import NewsArticlePage, NewsIndexPage, NewsTopic
from apps.pages.models import StandardPage
from apps.pages.tasks import publish_scheduled_pages
from apps.pages.tests.site import build_public_site


def news_editor():
    editor = UserFactory()
    editor.groups.add(Group.objects.get(name=EDITORS))
    return editor


def business_unit_approver():
    approver = make_role_user("business_unit")
    approver.groups.add(Group.objects.get(name=APPROVERS))
    return approver


def article_form(*, title: str, slug: str, action: str, **extra) -> dict:
    return nested_form_data(
        {
            "title": title,
            "slug": slug,
            "published_on": "2026-11-20",
            "summary": "What the multi-agency audit found.",
            "body": rich_text("<p>Findings.</p><ul><li>One</li><li>Two</li></ul>"),
            "topics": [NewsTopic.objects.get(slug="learning-from-reviews").pk],
            action: "on",
            **extra,
        }
    )


@pytest.mark.django_db
def test_an_editors_submission_waits_in_moderation_until_the_business_unit_approves_it(
    client, django_capture_on_commit_callbacks
):
    build_public_site()
    index = NewsIndexPage.objects.get()
    client.force_login(news_editor())

    response = client.post(
        reverse("wagtailadmin_pages:add", args=("news", "newsarticlepage", index.pk)),
        article_form(title="Multi-agency audit findings", slug="audit-findings", action="action-submit"),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    draft = NewsArticlePage.objects.get(slug="audit-findings")
    assert not draft.live
    workflow_state = WorkflowState.objects.get(base_content_type__model="page", object_id=str(draft.pk))
    assert workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    assert workflow_state.current_task_state.task.name == "Business unit approval"

    client.logout()
    assert client.get("/news/audit-findings/").status_code == 404
    assert "Multi-agency audit findings" not in client.get("/news/").content.decode()

    client.force_login(business_unit_approver())
    assert client.get(reverse("wagtailadmin_home")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):  # the kept public pages are renewed on commit
        response = client.post(
            reverse(
                "wagtailadmin_pages:workflow_action",
                args=(draft.pk, "approve", workflow_state.current_task_state.pk),
            ),
            {"comment": "Checked with the audit lead."},
        )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.live

    client.logout()
    assert client.get("/news/audit-findings/").status_code == 200
    assert "Multi-agency audit findings" in client.get("/news/").content.decode()


def submit_for_approval(client, editor, *, title: str, slug: str) -> tuple[NewsArticlePage, WorkflowState]:
    client.force_login(editor)
    index = NewsIndexPage.objects.get()
    response = client.post(
        reverse("wagtailadmin_pages:add", args=("news", "newsarticlepage", index.pk)),
        article_form(title=title, slug=slug, action="action-submit"),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    draft = NewsArticlePage.objects.get(slug=slug)
    return draft, WorkflowState.objects.get(base_content_type__model="page", object_id=str(draft.pk))


def approve(client, approver, draft, workflow_state):
    client.force_login(approver)
    return client.post(
        reverse("wagtailadmin_pages:workflow_action", args=(draft.pk, "approve", workflow_state.current_task_state.pk)),
        {"comment": "Approved."},
    )


@pytest.mark.django_db
def test_someone_given_the_business_unit_role_approves_news_in_the_cms_and_loses_it_with_the_role(client):
    build_public_site()
    admin = make_role_user("system_admin")
    officer = with_totp(UserFactory())
    services.grant_role(user=officer, role=Role.BUSINESS_UNIT, by=admin)  # nothing done in Wagtail's user admin

    draft, workflow_state = submit_for_approval(client, news_editor(), title="Audit findings", slug="audit-findings")
    client.force_login(officer)
    dashboard = client.get(reverse("wagtailadmin_home"))
    assert dashboard.status_code == 200
    assert "Awaiting your review" in dashboard.content.decode() and "Audit findings" in dashboard.content.decode()
    assert approve(client, officer, draft, workflow_state).status_code == 302
    draft.refresh_from_db()
    assert draft.live
    client.logout()
    assert client.get("/news/audit-findings/").status_code == 200

    services.revoke_role(user=officer, role=Role.BUSINESS_UNIT, by=admin)

    assert not officer.groups.filter(name=APPROVERS).exists()
    second, second_state = submit_for_approval(client, news_editor(), title="Second article", slug="second-article")
    client.force_login(officer)
    assert client.get(reverse("wagtailadmin_home")).status_code in (302, 403)
    approve(client, officer, second, second_state)
    second.refresh_from_db()
    assert not second.live
    second_state.refresh_from_db()
    assert second_state.status == WorkflowState.STATUS_IN_PROGRESS


@pytest.mark.django_db
def test_a_news_editor_cannot_publish_and_keeps_a_draft_with_its_revisions(client):
    build_public_site()
    index = NewsIndexPage.objects.get()
    editor = news_editor()
    client.force_login(editor)

    client.post(
        reverse("wagtailadmin_pages:add", args=("news", "newsarticlepage", index.pk)),
        article_form(title="Draft news", slug="draft-news", action="action-publish"),
    )
    draft = NewsArticlePage.objects.get(slug="draft-news")
    assert not draft.live
    assert not draft.permissions_for_user(editor).can_publish()

    client.post(
        reverse("wagtailadmin_pages:edit", args=(draft.pk,)),
        article_form(title="Draft news, second go", slug="draft-news", action="action-save"),
    )
    draft.refresh_from_db()
    assert draft.revisions.count() == 2
    assert draft.get_latest_revision_as_object().title == "Draft news, second go"
    assert client.get("/news/draft-news/").status_code == 404


@pytest.mark.django_db
def test_the_business_unit_may_edit_the_statutory_pages_and_news_editors_may_not():
    build_public_site()
    statement = StandardPage.objects.get(slug="accessibility-statement")
    assert statement.permissions_for_user(business_unit_approver()).can_publish()
    assert not statement.permissions_for_user(news_editor()).can_edit()


@pytest.mark.django_db
def test_a_scheduled_article_goes_live_when_the_scheduler_runs_after_its_time(client):
    build_public_site()
    index = NewsIndexPage.objects.get()
    page = NewsArticlePage(
        title="Embargoed", slug="embargoed", published_on="2026-12-01", summary="s", body="<p>b</p>", live=False
    )
    index.add_child(instance=page)
    go_live = timezone.now() + dt.timedelta(hours=2)
    page.go_live_at = go_live
    page.save_revision().publish()
    page.refresh_from_db()
    assert not page.live
    publish_scheduled_pages.call()
    assert client.get("/news/embargoed/").status_code == 404
    with freeze_time(go_live + dt.timedelta(minutes=1)):
        publish_scheduled_pages.call()
    assert client.get("/news/embargoed/").status_code == 200
