import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings.production")
application = get_wsgi_application()

# Each worker builds record linkage's online matching index as it starts, not on the first triage page
# a practitioner opens (HUB_LINKAGE_WARM_UP=0 turns this off).
if os.environ.get("HUB_LINKAGE_WARM_UP", "1") != "0":
    from apps.linkage.online import warm_up

    warm_up()
