from django.apps import AppConfig


class AwarenessConfig(AppConfig):
    name = "apps.awareness"
    label = "awareness"
    verbose_name = "Awareness calendar"
