"""The error summary's links, as GOV.UK asks: each goes to the field it names, and for a date to its first box."""

from __future__ import annotations

from django import template
from django.forms import BoundField, CheckboxSelectMultiple, RadioSelect

register = template.Library()


@register.filter
def summary_errors(bound_field: BoundField) -> list[tuple[str, str]]:
    """(the id to link to, the message) for each error of the field.

    crispy-forms-gds links an error of a whole day-month-year field to the group around the boxes,
    which cannot take the focus; GOV.UK links it to the day box, so a click puts the cursor there.
    An error of one box (the month, say) still links to that box. Radios and checkboxes link to the
    first option, which is where GOV.UK puts the focus too."""
    links: list[tuple[str, str]] = []
    seen: set[str] = set()
    parts = getattr(bound_field.field, "fields", None)
    if parts:
        for index, part in enumerate(parts):
            for error in getattr(part.widget, "errors", []):
                links.append((f"{bound_field.auto_id}_{index}", error))
                seen.add(error)
    if parts:
        first = f"{bound_field.auto_id}_0"
    elif isinstance(bound_field.field.widget, RadioSelect | CheckboxSelectMultiple):
        first = f"id_{bound_field.html_name}_1"  # crispy-forms-gds numbers the options from 1
    else:
        first = bound_field.auto_id
    links.extend((first, error) for error in bound_field.errors if error not in seen)
    return links
