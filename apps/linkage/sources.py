"""The hub's own records of people, as sources that linkage reads through one interface.

Agency extracts arrive through the upload journey (`extracts.py`). The hub's own records
(subjects of partner forms now, the early help record later) live in other apps; each such app
registers a `PersonSource` here, and `services.sync_sources` copies what it yields into
`PersonRecord` before each linkage run. Linkage never imports those apps' models, so a new
source is one `register(...)` call in that app's `AppConfig.ready()`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True)
class SourcedPerson:
    """One person as a source records them; `reference` is the source's own stable identifier and
    `agency` the name of the organisation that told the hub (for a partner form, the sender)."""

    reference: str
    first_name: str = ""
    middle_names: str = ""
    surname: str = ""
    date_of_birth: dt.date | None = None
    sex: str = ""
    address: str = ""
    postcode: str = ""
    nhs_number: str = ""
    pupil_number: str = ""
    agency: str = ""


class PersonSource(Protocol):
    key: str  # short and stable, e.g. "referrals"
    label: str  # what the Supporting Families team sees, e.g. "Partner forms"

    def people(self) -> Iterable[SourcedPerson]: ...


class LinkListener(Protocol):
    """A source that wants to hear when a person confirms that one of its records is someone another
    record also holds (`services.decide` with "match"). Called inside the decision's transaction."""

    def confirmed_link(self, *, own_reference: str, other: Any, by: Any) -> None: ...


_REGISTRY: dict[str, PersonSource] = {}


def register(source: PersonSource) -> None:
    if source.key == "extract":
        raise ValueError("'extract' is the agency extracts' key; choose another")
    _REGISTRY[source.key] = source


def unregister(key: str) -> None:
    _REGISTRY.pop(key, None)


def registered() -> list[PersonSource]:
    return list(_REGISTRY.values())


def tell_of_confirmed_link(record_a: Any, record_b: Any, *, by: Any) -> None:
    """Each side's source, if it listens, hears of the other record: "another agency holds this person"."""
    for own, other in ((record_a, record_b), (record_b, record_a)):
        source = _REGISTRY.get(own.source)
        listener = getattr(source, "confirmed_link", None)
        if listener is not None:
            listener(own_reference=own.source_reference, other=other, by=by)


def label_of(key: str) -> str:
    if key == "extract":
        return "Agency extract"
    source = _REGISTRY.get(key)
    return source.label if source else key
