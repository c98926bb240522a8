from django.apps import AppConfig


class LinkageConfig(AppConfig):
    name = "apps.linkage"
    label = "linkage"
    verbose_name = "Record linkage"
