"""Who may do what in the document library. Reading published documents and subscribing are open to everyone."""

import rules

from apps.accounts.permissions import is_business_unit

rules.add_perm("documents.see_unpublished", is_business_unit)
rules.add_perm("documents.create_document", is_business_unit)
rules.add_perm("documents.publish_version", is_business_unit)
# Django's model permissions, as Wagtail's snippet views ask for them. Documents are created
# in the hub (with their first file) and never deleted: their versions are the record.
rules.add_perm("documents.view_document", is_business_unit)
rules.add_perm("documents.change_document", is_business_unit)
