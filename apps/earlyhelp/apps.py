from django.apps import AppConfig


class EarlyHelpConfig(AppConfig):
    name = "apps.earlyhelp"
    label = "earlyhelp"
    verbose_name = "Early help record"

    def ready(self) -> None:
        # The people of the early help record reach record linkage through its registry of sources,
        # and hear back from it when the Supporting Families team confirms a link.
        from apps.linkage import sources

        from .linkage_source import EarlyHelpPeople

        sources.register(EarlyHelpPeople())
