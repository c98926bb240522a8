"""The checks of the national identifiers that the hub records: the NHS number and the unique pupil number.

One place, so that the early help record, linkage's importer and any form agree on what is valid.
"""

from __future__ import annotations

import re

# The DfE's check letter alphabet: I, O and S are never used.
UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"
_UPN = re.compile(r"^[A-HJ-NP-RT-Z]\d{11}[0-9A-HJ-NP-RT-Z]$")


def clean_nhs_number(text: str) -> str:
    """Digits only: "943 476 5919" -> "9434765919"."""
    return re.sub(r"[\s-]", "", str(text or ""))


def nhs_number_is_valid(text: str) -> bool:
    """Ten digits whose last is the modulus 11 check digit of the first nine."""
    digits = clean_nhs_number(text)
    if not re.fullmatch(r"\d{10}", digits):
        return False
    total = sum(int(digit) * weight for digit, weight in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def clean_pupil_number(text: str) -> str:
    return re.sub(r"\s", "", str(text or "")).upper()


def upn_check_letter(rest: str) -> str:
    """The check letter for the 12 characters after it (the last may be a letter in a temporary UPN)."""
    total = 0
    for weight, char in enumerate(rest, start=2):
        total += (UPN_LETTERS.index(char) if char.isalpha() else int(char)) * weight
    return UPN_LETTERS[total % 23]


def pupil_number_is_valid(text: str) -> bool:
    """A unique pupil number: a check letter, 11 digits, and a digit or letter; the check letter must agree."""
    upn = clean_pupil_number(text)
    return bool(_UPN.match(upn)) and upn_check_letter(upn[1:]) == upn[0]
