from django.apps import AppConfig


class LocalOfferConfig(AppConfig):
    name = "apps.localoffer"
    label = "localoffer"
    verbose_name = "Local offer"
