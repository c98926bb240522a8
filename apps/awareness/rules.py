"""Who may do what with the awareness calendar. Reading it is public; the business unit edits it in /cms/."""

import rules

from apps.accounts.permissions import is_business_unit

# Django's model permissions, as Wagtail's snippet views ask for them.
rules.add_perm("awareness.view_awarenessevent", is_business_unit)
rules.add_perm("awareness.add_awarenessevent", is_business_unit)
rules.add_perm("awareness.change_awarenessevent", is_business_unit)
rules.add_perm("awareness.delete_awarenessevent", is_business_unit)
rules.add_perm("awareness.preview_event", is_business_unit)

# The door to /cms/ itself. The CMS is shared with the news and pages editors, so whichever
# app's rules load first opens it (INSTALLED_APPS order); the business unit holds it either way.
if not rules.perm_exists("wagtailadmin.access_admin"):
    rules.add_perm("wagtailadmin.access_admin", is_business_unit)
