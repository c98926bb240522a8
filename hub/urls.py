from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls

from apps.core import views as core_views
from apps.referrals import api as referrals_api

handler404 = "apps.core.views.page_not_found"
handler500 = "apps.core.views.server_error"
handler403 = "apps.core.views.permission_denied"

urlpatterns = [
    path("accounts/", include("allauth.urls")),
    path("account/", include("apps.accounts.urls")),
    path("audit/", include("apps.audit.urls")),
    path("mailbox/", include("apps.notifications.urls")),
    path("awareness/", include("apps.awareness.urls")),
    path("documents/", include("apps.documents.urls")),
    path("news/feeds/", include("apps.news.urls")),
    path("search/", include("apps.pages.urls")),
    path("training/", include("apps.training.urls")),
    path("forms/", include("apps.referrals.urls")),
    path("api/v1/", include("apps.referrals.api_urls")),
    re_path(r"^api/", referrals_api.no_such_address),
    path("linkage/", include("apps.linkage.urls")),
    path("early-help/", include("apps.earlyhelp.urls")),
    path("attendance/", include("apps.attendance.urls")),
    path("local-offer/", include("apps.localoffer.urls")),
    path("practice-tools/", include("apps.practicetools.urls")),
    path("django-admin/", admin.site.urls),
    path("cms/", include(wagtailadmin_urls)),
    path("healthz", core_views.health, name="health"),
]

if settings.DEBUG or settings.HUB_SERVE_MEDIA:
    from django.views.static import serve

    urlpatterns += [
        re_path(rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})
    ]

# Wagtail serves every other path from the page tree, so it comes last.
urlpatterns += [path("", include(wagtail_urls))]
