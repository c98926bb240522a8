from django.conf import settings


def hub(request):
    return {"hub_site_name": settings.HUB_SITE_NAME}
