"""Editors write news; nothing goes live until the business unit approves it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from apps.accounts.tests.factories import UserFactory
from apps.news.editorial import APPROVERS, EDITORS
from apps.news.models import NewsArticlePage, NewsIndexPage
from apps.pages.tests.site import build_public_site


@pytest.mark.django_db
def test_an_editors_article_waits_for_the_business_unit_to_approve_it(client):
    build_public_site()
    editor, approver = UserFactory(), UserFactory()
    editor.groups.add(Group.objects.get(name=EDITORS))
    approver.groups.add(Group.objects.get(name=APPROVERS))
    index = NewsIndexPage.objects.get()
    draft = NewsArticlePage(
        title="Multi-agency audit findings",
        slug="audit-findings",
        published_on="2026-11-20",
        summary="What the audit found.",
        body="<p>Findings.</p>",
        live=False,
    )
    index.add_child(instance=draft)
    draft.save_revision(user=editor)

    assert not draft.permissions_for_user(editor).can_publish()
    assert draft.permissions_for_user(approver).can_publish()

    workflow_state = draft.get_workflow().start(draft, editor)
    draft.refresh_from_db()
    assert not draft.live
    assert client.get("/news/audit-findings/").status_code == 404

    task_state = workflow_state.current_task_state
    task_state.task.specific.on_action(task_state, approver, "approve")
    draft.refresh_from_db()
    assert draft.live
    assert "Multi-agency audit findings" in client.get("/news/").content.decode()


@pytest.mark.django_db
def test_a_scheduled_article_goes_live_when_the_scheduler_runs_after_its_time(client):
    import datetime as dt

    from django.utils import timezone
    from freezegun import freeze_time

    from apps.pages.tasks import publish_scheduled_pages

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
