"""Links into the local offer from other apps' pages, e.g. the early help plan."""

from __future__ import annotations

from django import template
from django.urls import reverse

from ..models import FamilyIssue

register = template.Library()

# Headline outcomes of the early help plan (Supporting Families) that map cleanly onto a family issue of the
# local offer. The others have no single issue: their plan links to the whole local offer.
ISSUE_FOR_OUTCOME = {
    "housing": FamilyIssue.HOUSING,
    "financial": FamilyIssue.FINANCIAL,
    "education": FamilyIssue.ATTENDANCE,
}


@register.simple_tag
def local_offer_url(outcome: str = "") -> str:
    """The local offer, filtered to the issue behind a plan's headline outcome where there is one."""
    issue = ISSUE_FOR_OUTCOME.get(outcome)
    url = reverse("localoffer:index")
    return f"{url}?issue={issue.value}" if issue else url


@register.simple_tag
def local_offer_issue(outcome: str = "") -> str:
    issue = ISSUE_FOR_OUTCOME.get(outcome)
    return issue.label.lower() if issue else ""
