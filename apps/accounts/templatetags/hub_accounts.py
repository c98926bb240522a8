"""Template tags for the sign-in pages: allauth's forms in GOV.UK markup, and who must use two factors."""

from __future__ import annotations

from crispy_forms.utils import render_crispy_form
from django import template
from django.utils.safestring import mark_safe

from apps.accounts import permissions
from apps.accounts.account_forms import gds_helper

register = template.Library()


@register.simple_tag(takes_context=True)
def govuk_fields(context, form) -> str:
    """The form's fields in crispy-forms-gds markup (labels, hints, errors), without a <form> tag."""
    if not hasattr(form, "visible_fields"):
        return ""
    if not form.visible_fields():
        # A form that is only a button: its errors are in the error summary above the heading.
        return mark_safe("".join(str(field) for field in form.hidden_fields()))  # noqa: S308 - Django's own widgets
    helper = getattr(form, "helper", None) or gds_helper()
    return render_crispy_form(form, helper, context)


@register.inclusion_tag("accounts/includes/error_summary.html")
def govuk_error_summary(form):
    """GOV.UK's error summary for any form: each error links to its field (form-wide errors to the first)."""
    if not getattr(form, "errors", None):
        return {"errors": []}
    visible = form.visible_fields()
    first_id = visible[0].auto_id if visible else ""
    errors = [(first_id, error) for error in form.non_field_errors()]
    for field in visible:
        errors.extend((field.auto_id, error) for error in field.errors)
    return {"errors": errors}


@register.filter
def needs_mfa(user) -> bool:
    return permissions.needs_mfa(user)
