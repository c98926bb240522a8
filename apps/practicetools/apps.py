from django.apps import AppConfig


class PracticeToolsConfig(AppConfig):
    name = "apps.practicetools"
    label = "practicetools"
    verbose_name = "Practice tools"
