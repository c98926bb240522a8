"""The people named in partner forms, as a source of record linkage (registered in `apps.py`).

Only the people a form asks about in structured questions are yielded: the person of a missing person
report, a Mental Health Act assessment request or a welfare check, and the child of a Targeted
Intervention Service request. Each is keyed by the submission's reference and their place in it
(`MPR-2026-000123-H:person`, `TIS-2026-000004-K:child-1`), which never change, so syncing again finds
the same records. Follow-ups name nobody new. Community intelligence is left out: its people are free
text ("two young men known as 'K' and 'Deano'"), not names to link on; so is the TIS household.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any

from apps.linkage.sources import SourcedPerson

from .models import FormType

# Form type -> (the step that names its subject, the key after the reference, whether the form's
# "address" step is where that person lives). The MHA form's address is where the assessment will
# be, which may be a hospital or a police station: a wrong home counts against a true link, so it is
# not passed on. A missing person's carer's address is the carer's, not necessarily the child's.
SUBJECTS: dict[str, tuple[str, str, bool]] = {
    FormType.MISSING_PERSON: ("person", "person", False),
    FormType.MHA_ASSESSMENT: ("person", "person", False),
    FormType.WELFARE_CHECK: ("person", "person", True),
    FormType.TARGETED_INTERVENTION: ("family", "child", True),
}

_TITLES = {"mr", "mrs", "miss", "ms", "mx", "master", "dr", "prof", "rev"}
_SUFFIXES = {"jr", "jnr", "junior", "sr", "snr", "senior", "ii", "iii", "iv"}
# Lower-case words that belong to the surname after them: "Ludwig van Beethoven", "Ana de la Cruz".
_PARTICLES = {"van", "von", "der", "den", "de", "del", "della", "da", "das", "dos", "di", "du", "la", "le", "st"}


def split_name(full_name: str) -> tuple[str, str, str]:
    """(first name, middle names, surname) from a name as a partner typed it.

    "Jordan Lee Avery" -> ("Jordan", "Lee", "Avery"); "Avery, Jordan Lee" the same; titles and
    "Jr" are dropped; a lone word is taken as the first name (often all a partner knows).
    """
    text = " ".join(str(full_name or "").split())
    if "," in text:
        surname, _, given = text.partition(",")
        words = _without_titles(given.split())
        return (words[0] if words else ""), " ".join(words[1:]), surname.strip()
    words = _without_titles(text.split())
    while len(words) > 1 and words[-1].lower().rstrip(".") in _SUFFIXES:
        words.pop()
    if not words:
        return "", "", ""
    if len(words) == 1:
        return words[0], "", ""
    start = len(words) - 1
    while start > 1 and words[start - 1] in _PARTICLES:  # only as typed in lower case: "Mary De Souza" is a name
        start -= 1
    return words[0], " ".join(words[1:start]), " ".join(words[start:])


def _without_titles(words: list[str]) -> list[str]:
    words = list(words)
    while len(words) > 1 and words[0].lower().rstrip(".") in _TITLES:
        words.pop(0)
    return words


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def _home(answers: dict) -> tuple[str, str]:
    from apps.linkage.standardise import InvalidValue, normalise_postcode

    step = answers.get("address") or {}
    address = ", ".join(line.strip(" ,") for line in str(step.get("address") or "").splitlines() if line.strip(" ,"))
    try:
        postcode = normalise_postcode(step["postcode"]) if step.get("postcode") else ""
    except InvalidValue:  # the form takes any text; only a whole UK postcode helps linkage
        postcode = ""
    return address, postcode


def people_in(reference: str, form_type: str, answers: dict, *, agency: str) -> list[SourcedPerson]:
    """The people one submission names, in a stable order."""
    if form_type not in SUBJECTS:
        return []
    step_name, key, lives_at_address = SUBJECTS[form_type]
    step = answers.get(step_name) or {}
    named: list[tuple[str, Any]] = []  # (full name, date of birth)
    if key == "person":
        named.append((step.get("full_name"), step.get("date_of_birth")))
    else:
        named.append((step.get("child_name"), step.get("date_of_birth")))
        # Should the step ever list further children, each is a child of the request too.
        for child in step.get("children") or []:
            if isinstance(child, dict):
                named.append((child.get("full_name") or child.get("child_name"), child.get("date_of_birth")))
    address, postcode = _home(answers) if lives_at_address else ("", "")
    people = []
    for full_name, born in named:
        first, middle, surname = split_name(full_name)
        if not (first or surname):
            continue
        number = len(people) + 1
        people.append(
            SourcedPerson(
                reference=f"{reference}:{key}" if key == "person" else f"{reference}:{key}-{number}",
                first_name=first,
                middle_names=middle,
                surname=surname,
                date_of_birth=_date(born),
                address=address,
                postcode=postcode,
                agency=agency,
            )
        )
    return people


SOURCE_KEY = "referrals"


class PartnerFormSubjects:
    """Every submitted partner form's subjects, read a page of submissions at a time."""

    key = SOURCE_KEY
    label = "Partner forms"
    page_size = 500

    def people(self) -> Iterable[SourcedPerson]:
        return self._people()

    def _people(self) -> Iterator[SourcedPerson]:
        from .models import Submission

        submissions = Submission.objects.filter(follows__isnull=True, form_type__in=list(SUBJECTS)).order_by("pk")
        after = 0
        while True:
            page = list(
                submissions.filter(pk__gt=after)
                .select_related("organisation")
                .only("pk", "reference", "form_type", "answers", "organisation__name")[: self.page_size]
            )
            if not page:
                return
            for submission in page:
                yield from people_in(
                    submission.reference,
                    submission.form_type,
                    submission.answers or {},
                    agency=submission.organisation.name,
                )
            after = page[-1].pk
