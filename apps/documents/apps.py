from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "apps.documents"
    label = "documents"
    verbose_name = "Document library"

    def ready(self) -> None:
        from apps.core.page_cache import invalidate_on

        from .models import Document, DocumentVersion

        invalidate_on(Document, DocumentVersion)
