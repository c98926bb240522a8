"""How the library describes a file: its kind and its size, as GOV.UK attachments do ("PDF, 245KB")."""

from django import template

from apps.documents.uploads import KINDS

register = template.Library()


@register.filter
def file_kind(content_type: str) -> str:
    kind = KINDS.get(content_type)
    return kind.description if kind else "File"


@register.filter
def file_size(size: int | None) -> str:
    if size is None:
        return ""
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{round(size / 1024)}KB"
    return f"{size / (1024 * 1024):.1f}MB"
