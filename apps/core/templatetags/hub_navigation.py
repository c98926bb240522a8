from django import template

register = template.Library()


@register.inclusion_tag("core/includes/nav_item.html", takes_context=True)
def nav_item(context, href: str, label: str):
    request = context.get("request")
    path = request.path if request else ""
    return {"href": href, "label": label, "active": path == href or (href != "/" and path.startswith(href))}
