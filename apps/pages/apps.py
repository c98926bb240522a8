from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "apps.pages"
    label = "pages"
    verbose_name = "Site pages"

    def ready(self) -> None:
        from .page_cache import connect_signals

        connect_signals()
