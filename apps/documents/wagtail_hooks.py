"""The business unit can correct a document's title, summary, category and publication at /cms/.

New documents and new versions are published in the hub itself (/documents/new/ and
/documents/<slug>/versions/new/), where `publish_version` checks every file; the CMS
never takes a file.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, HelpPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from apps.audit.models import AuditAction
from apps.audit.services import record

from .models import Document


def publishing_help(instance: Document | None) -> str:
    if instance is None or not instance.pk:
        return format_html('Add documents in <a href="{}">the document library</a>.', reverse("documents:create"))
    return format_html(
        'To publish a new version, use <a href="{}">Publish a new version</a> in the document library.',
        reverse("documents:publish_version", kwargs={"slug": instance.slug}),
    )


class PublishingHelpPanel(HelpPanel):
    class BoundPanel(HelpPanel.BoundPanel):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.content = publishing_help(self.instance)


class DocumentViewSet(SnippetViewSet):
    model = Document
    icon = "doc-full"
    menu_label = "Document library"
    menu_name = "document-library"
    add_to_admin_menu = True
    menu_order = 320
    list_display = ["title", "category", "published", "updated_at"]
    list_filter = ["category", "published"]
    search_fields = ["title", "summary"]
    search_backend_name = None
    panels = [
        PublishingHelpPanel(),
        FieldPanel("title"),
        FieldPanel("slug", read_only=True, help_text="The document's addresses never change, so links keep working."),
        FieldPanel("category"),
        FieldPanel("summary"),
        FieldPanel("published"),
    ]


register_snippet(DocumentViewSet)


@hooks.register("after_edit_snippet")
def audit_changed_document(request, instance):
    if isinstance(instance, Document):
        record(action=AuditAction.CHANGE, obj=instance, request=request)
