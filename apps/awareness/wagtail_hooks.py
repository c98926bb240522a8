"""The business unit edits awareness days and weeks as Wagtail snippets at /cms/."""

from __future__ import annotations

from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from apps.audit.models import AuditAction
from apps.audit.services import record

from .models import AwarenessEvent


class AwarenessEventViewSet(SnippetViewSet):
    model = AwarenessEvent
    icon = "date"
    menu_label = "Awareness calendar"
    menu_name = "awareness"
    add_to_admin_menu = True
    menu_order = 310
    list_display = ["title", "start_date", "end_date", "recurs_yearly", "published"]
    list_filter = ["published", "recurs_yearly"]
    search_fields = ["title", "organiser"]
    search_backend_name = None
    ordering = ["-start_date"]
    panels = [
        FieldPanel("title"),
        FieldPanel("slug"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
                FieldPanel("recurs_yearly"),
                FieldPanel("dates_note"),
            ],
            heading="Dates",
        ),
        FieldPanel("organiser"),
        FieldPanel("link"),
        FieldPanel("description"),
        FieldPanel("published"),
    ]


register_snippet(AwarenessEventViewSet)


@hooks.register("after_create_snippet")
def audit_created_event(request, instance):
    if isinstance(instance, AwarenessEvent):
        record(action=AuditAction.CREATE, obj=instance, request=request)


@hooks.register("after_edit_snippet")
def audit_changed_event(request, instance):
    if isinstance(instance, AwarenessEvent):
        record(action=AuditAction.CHANGE, obj=instance, request=request)


@hooks.register("before_delete_snippet")
def remember_events_to_delete(request, instances):
    # Django clears the primary key when it deletes a row; keep it for the audit entry.
    for instance in instances:
        instance.audit_pk = instance.pk


@hooks.register("after_delete_snippet")
def audit_deleted_events(request, instances):
    for instance in instances:
        if isinstance(instance, AwarenessEvent):
            record(
                action=AuditAction.DELETE,
                object_type=instance._meta.label_lower,
                object_id=str(getattr(instance, "audit_pk", "")),
                object_label=instance.audit_label(),
                request=request,
            )
