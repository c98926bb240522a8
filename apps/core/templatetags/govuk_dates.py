from django import template

from apps.core import dates

register = template.Library()


@register.filter
def govuk_date(value, weekday: str = ""):
    return dates.format_date(value, weekday=bool(weekday)) if value else ""


@register.filter
def govuk_datetime(value):
    return dates.format_datetime(value) if value else ""


@register.filter
def govuk_time(value):
    return dates.format_time(value) if value else ""


@register.simple_tag
def govuk_range(start, end):
    return dates.format_range(start, end)


@register.simple_tag
def govuk_date_range(start, end=None):
    return dates.format_date_range(start, end)


@register.filter
def govuk_month(value):
    return dates.format_month(value) if value else ""


@register.simple_tag
def govuk_yearly_dates(start, end=None):
    return dates.format_yearly_dates(start, end)
