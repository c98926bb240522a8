"""Reference numbers: "MPR-2026-000123-H", a prefix per form, the year, a sequence and a check character.

The check character is ISO 7064 MOD 37,36 over the letters and digits of the rest, so any one
mistyped character, and nearly every pair of neighbours swapped (a hybrid system misses a few, such as
000001 and 000010), is caught before anyone looks anything up.
"""

from __future__ import annotations

import re

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
MODULUS = len(ALPHABET)  # 36; the hybrid system works modulo 36 and 37
PATTERN = re.compile(r"^([A-Z]{3})-?(\d{4})-?(\d{6,9})-?([0-9A-Z])$")
FORMAT_EXAMPLE = "MPR-2026-000123-H"


class BadReference(ValueError):
    """A typed reference that cannot be one of ours; the message is the one to show."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _remainder(text: str) -> int:
    check = MODULUS // 2
    for character in text:
        check = (((check or MODULUS) * 2) % (MODULUS + 1) + ALPHABET.index(character)) % MODULUS
    return check


def check_character(text: str) -> str:
    return ALPHABET[(1 - ((_remainder(text) or MODULUS) * 2) % (MODULUS + 1)) % MODULUS]


def make_reference(prefix: str, year: int, sequence: int) -> str:
    body = f"{prefix}{year:04d}{sequence:06d}"
    return f"{prefix}-{year:04d}-{sequence:06d}-{check_character(body)}"


def parse_reference(typed: str) -> str:
    """The reference in its one written form, or BadReference saying what is wrong with what was typed."""
    compact = re.sub(r"[\s\u2010-\u2015]", "-", (typed or "").strip().upper())
    compact = re.sub(r"-+", "-", compact.replace(" ", "")).strip("-")
    match = PATTERN.match(compact)
    if match is None:
        raise BadReference(f"Enter a reference number in the right format, like {FORMAT_EXAMPLE}")
    prefix, year, sequence, check = match.groups()
    if check_character(f"{prefix}{year}{sequence}") != check:
        raise BadReference("Check the reference number")
    return f"{prefix}-{year}-{sequence}-{check}"
