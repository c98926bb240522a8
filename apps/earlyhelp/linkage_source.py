"""The people of the early help record, as a source of record linkage (registered in `apps.py`).

Each person is keyed `EH-000123:member-45`, which never changes, so syncing again finds the same record.
The agency is the lead practitioner's organisation. When the Supporting Families team confirms that one
of these people is someone another record also holds, `confirmed_link` writes it into the family's
chronology and tells the lead, as far as the recorded consent allows (`services.tell_of_link`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from apps.linkage.sources import SourcedPerson

SOURCE_KEY = "earlyhelp"
_REFERENCE = re.compile(r"^EH-(\d+):member-(\d+)$")


def sourced(member: Any) -> SourcedPerson:
    return SourcedPerson(
        reference=member.linkage_reference,
        first_name=member.first_name,
        middle_names=member.middle_names,
        surname=member.surname,
        date_of_birth=member.date_of_birth,
        sex=member.sex,
        address=member.address,
        postcode=member.postcode,
        nhs_number=member.nhs_number,
        pupil_number=member.pupil_number,
        agency=member.family.lead_organisation.name,
    )


def member_id_of(reference: str) -> int | None:
    found = _REFERENCE.match(reference or "")
    return int(found.group(2)) if found else None


class EarlyHelpPeople:
    key = SOURCE_KEY
    label = "Early help record"
    page_size = 500

    def people(self) -> Iterable[SourcedPerson]:
        return self._people()

    def _people(self) -> Iterator[SourcedPerson]:
        from .models import FamilyMember

        after = 0
        while True:
            page = list(
                FamilyMember.objects.filter(pk__gt=after)
                .select_related("family__lead_organisation")
                .order_by("pk")[: self.page_size]
            )
            if not page:
                return
            for member in page:
                yield sourced(member)
            after = page[-1].pk

    def confirmed_link(self, *, own_reference: str, other: Any, by: Any) -> None:
        from . import services

        member_id = member_id_of(own_reference)
        if member_id is not None:
            services.tell_of_link(member_id=member_id, other=other, by=by)
