"""Who may use the practice tools. Any practitioner may use the PAMIC tool without a record; saving a result on
a family's record is for those who may work on it (early help's `earlyhelp.contribute`), and reading one for
those who may see the family. The business unit keeps the tool's configuration."""

from __future__ import annotations

import rules

from apps.accounts.permissions import is_business_unit, is_practitioner

rules.add_perm("practicetools.use_pamic", is_practitioner)
rules.add_perm("practicetools.configure_pamic", is_business_unit)
