"""Who may do what with the local offer: anyone may read the listed services; the business unit manages them."""

from __future__ import annotations

import rules

from apps.accounts.permissions import is_business_unit

rules.add_perm("localoffer.manage_services", is_business_unit)
