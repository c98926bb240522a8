"""Demo content loaders, in the order they run. Each is idempotent: running twice changes nothing."""

LOADERS = [
    "apps.demo.accounts.load",
    "apps.accounts.demo.load",
    "apps.pages.demo.load",
    "apps.news.demo.load",
    "apps.awareness.demo.load",
    "apps.documents.demo.load",
    "apps.training.demo.load",
    "apps.referrals.demo.load",
    "apps.linkage.demo.load",
    "apps.earlyhelp.demo.load",  # after linkage: its demo family's match needs the trained model
    "apps.attendance.demo.load",  # after early help: five pupils are its demo children
    "apps.localoffer.demo.load",
    "apps.practicetools.demo.load",  # after early help: its saved result is on a demo family
]
