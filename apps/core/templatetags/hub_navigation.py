from django import template
from django.http import QueryDict

register = template.Library()


@register.inclusion_tag("core/includes/nav_item.html", takes_context=True)
def nav_item(context, href: str, label: str):
    request = context.get("request")
    path = request.path if request else ""
    return {"href": href, "label": label, "active": path == href or (href != "/" and path.startswith(href))}


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters replaced (for pagination and filters)."""
    request = context.get("request")
    params = request.GET.copy() if request else QueryDict(mutable=True)
    for key, value in changes.items():
        params[key] = value
    return params.urlencode()


@register.filter
def page_window(paginator, current: int) -> list[int | None]:
    """Page numbers to show: the first, the last, and two either side of the current one."""
    pages: list[int | None] = []
    for number in paginator.page_range:
        if number in (1, paginator.num_pages) or abs(number - current) <= 2:
            pages.append(number)
        elif pages and pages[-1] is not None:
            pages.append(None)
    return pages
