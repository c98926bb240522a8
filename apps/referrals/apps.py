from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "apps.referrals"
    label = "referrals"
    verbose_name = "Partner forms and triage"

    def ready(self) -> None:
        # The people named in partner forms reach record linkage through its registry of sources.
        from apps.linkage import sources

        from .sources import PartnerFormSubjects

        sources.register(PartnerFormSubjects())
