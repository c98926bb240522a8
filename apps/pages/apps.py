from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "apps.pages"
    label = "pages"
    verbose_name = "Site pages"

    def ready(self) -> None:
        from django.db.models.signals import post_delete
        from wagtail.models import Page
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from apps.core.page_cache import bump_version, invalidate_on
        from apps.news.models import NewsTopic

        for name, signal in (
            ("published", page_published),
            ("unpublished", page_unpublished),
            ("moved", post_page_move),
        ):
            signal.connect(bump_version, weak=False, dispatch_uid=f"page-cache-page-{name}")
        post_delete.connect(bump_version, sender=Page, weak=False, dispatch_uid="page-cache-page-deleted")
        invalidate_on(NewsTopic)
