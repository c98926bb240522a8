"""Links to the practice tools from other apps' pages (the PAMIC e-learning in training)."""

from __future__ import annotations

from django import template
from django.urls import reverse

register = template.Library()

# E-learning courses that teach a practice tool, by the course's slug (the demo's PAMIC course).
TOOL_FOR_COURSE = {"pamic-tool-training": ("practicetools:pamic", "Use the PAMIC tool")}


@register.inclusion_tag("practicetools/_tool_link.html")
def practice_tool_link(course_slug: str) -> dict:
    found = TOOL_FOR_COURSE.get(course_slug)
    return {"url": reverse(found[0]) if found else "", "label": found[1] if found else ""}
