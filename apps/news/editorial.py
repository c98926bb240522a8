"""Who may write and who may publish news: Wagtail groups and a moderation workflow.

Editors write and submit; nothing they write goes live until the business unit approves it.
The business unit's approvers may also edit and publish the rest of the site (the home page,
the accessibility statement, the privacy notice), which has no workflow of its own.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from wagtail.models import GroupApprovalTask, GroupPagePermission, Page, Workflow, WorkflowPage, WorkflowTask

from apps.accounts.wagtail_groups import BUSINESS_UNIT_APPROVERS, NEWS_EDITORS

# Granting the business unit role puts its holder in APPROVERS (apps/accounts/wagtail_groups.py);
# EDITORS is given in Wagtail's user admin (and to the demo's news editor).
EDITORS = NEWS_EDITORS
APPROVERS = BUSINESS_UNIT_APPROVERS
WORKFLOW = "News approval by the business unit"


def set_up_editorial_workflow(news_index: Page) -> tuple[Group, Group]:
    access_admin = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    editors, _ = Group.objects.get_or_create(name=EDITORS)
    approvers, _ = Group.objects.get_or_create(name=APPROVERS)
    for group in (editors, approvers):
        group.permissions.add(access_admin)
    page_permissions = [
        (editors, news_index, ["add_page", "change_page"]),
        (approvers, news_index.get_parent(), ["add_page", "change_page", "publish_page", "unlock_page"]),
    ]
    for group, page, codenames in page_permissions:
        for codename in codenames:
            permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
            GroupPagePermission.objects.get_or_create(group=group, page=page, permission=permission)
    snippet_permissions = Permission.objects.filter(content_type__app_label="news", content_type__model="newstopic")
    approvers.permissions.add(*snippet_permissions)
    task, _ = GroupApprovalTask.objects.get_or_create(name="Business unit approval")
    task.groups.add(approvers)
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW)
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.get_or_create(page=news_index, defaults={"workflow": workflow})
    return editors, approvers
