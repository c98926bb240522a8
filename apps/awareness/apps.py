from django.apps import AppConfig


class AwarenessConfig(AppConfig):
    name = "apps.awareness"
    label = "awareness"
    verbose_name = "Awareness calendar"

    def ready(self) -> None:
        from apps.core.page_cache import invalidate_on

        from .models import AwarenessEvent

        invalidate_on(AwarenessEvent)
