"""What a partner form is called in a sentence: {{ draft.form_type|form_noun }} gives
"report that a missing person has returned" where the form type's label would read "missing person returned"."""

from __future__ import annotations

from django import template

from ..questions import definition_of

register = template.Library()


@register.filter
def form_noun(form_type: str) -> str:
    return definition_of(form_type).noun
