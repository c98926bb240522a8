from django.apps import AppConfig


class AttendanceConfig(AppConfig):
    name = "apps.attendance"
    verbose_name = "School attendance"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import rules  # noqa: F401 - registers the permissions
