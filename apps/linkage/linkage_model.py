"""The hub's linkage model: which fields are compared and how, how candidate pairs are found,
how the model is trained, and how a trained model is saved and loaded.

The model is Splink's: a Fellegi-Sunter model whose comparisons each have levels (exact,
nickname, close spelling, ...) with an m-probability (how often true matches fall in the level)
and a u-probability (how often non-matches do). u comes from random sampling, m from
expectation maximisation over blocked pairs, and the prior from deterministic rules. A trained
model is Splink's JSON, kept in the database (`LinkageModelVersion`) and reloaded from there.

The comparisons are defined here once, dialect-free, so the same saved parameters can be
rendered for DuckDB (the default) or Spark (`settings_for_dialect`).
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Sequence
from datetime import date
from typing import Any

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import Linker, SettingsCreator
from splink.internals.comparison_level_creator import ComparisonLevelCreator
from splink.internals.dialects import SplinkDialect

from .standardise import EARLIEST_BIRTH_YEAR

logger = logging.getLogger(__name__)

# Named anew whenever the comparisons or how their parameters are set change, so that a model saved
# before is refused ("Retrain it") rather than used without them. hub-6: the pupil number comparison,
# fixed priors for untrained levels, and at least 8 or 10 bits against a different date of birth, NHS
# number or pupil number. hub-7: "possible twins" weighs nothing where the records show no families. hub-8: a
# first name written as the other record's surname allows a slip of one letter ("Pulfrd" beside "Pulford").
# hub-9: middle names are a comparison of their own (with their frequency), and "first and middle names swapped"
# needs a first name among the other record's given names, not any name shared.
HUB_SETUP_NAME = "hub-9"

# Pairs at or above AUTO_LINK are linked without a person; between REVIEW and AUTO_LINK they
# go to the Supporting Families team's review queue; below REVIEW they are dropped.
AUTO_LINK_THRESHOLD = 0.95
REVIEW_THRESHOLD = 0.5

# A candidate pair must agree on one of these. Each is cheap (an equality join) and together
# they keep true pairs whose date of birth is mistyped or swapped, whose surname changed or
# was misspelt, whose names were swapped, or who moved house. Each rule is a list of
# (left key, right key) that must be equal; a key is a column, or "column:n" for its first n
# letters. Online matching (`online.py`) looks the same keys up in its indexes.
BLOCKING_KEYS: tuple[tuple[tuple[str, str], ...], ...] = (
    (("date_of_birth", "date_of_birth"), ("surname:1", "surname:1")),
    (("date_of_birth", "date_of_birth"), ("first_name:1", "first_name:1")),
    (("date_of_birth", "date_of_birth_swapped"), ("surname", "surname")),
    (("first_name", "first_name"), ("surname", "surname")),
    (("surname", "surname"), ("birth_year", "birth_year"), ("first_name:1", "first_name:1")),
    (("first_name", "first_name"), ("birth_year", "birth_year"), ("surname:1", "surname:1")),
    (("postcode", "postcode"), ("first_name:1", "first_name:1")),
    (("date_of_birth", "date_of_birth"), ("postcode", "postcode")),
    (("postcode", "postcode"), ("house_number", "house_number")),
    (("first_name", "surname"), ("surname", "first_name")),
    (("first_name", "surname"), ("birth_year", "birth_year"), ("surname:1", "first_name:1")),
    (("surname", "first_name"), ("birth_year", "birth_year"), ("first_name:1", "surname:1")),
    (("surname", "surname"), ("postcode", "postcode")),
    (("surname", "surname"), ("house_number", "house_number"), ("postcode:1", "postcode:1")),
    (("date_of_birth", "date_of_birth"), ("house_number", "house_number")),
    (("first_name", "first_name"), ("house_number", "house_number"), ("surname:1", "surname:1")),
    (("house_number", "house_number"), ("postcode_sector", "postcode_sector"), ("birth_year", "birth_year")),
    (("nhs_number", "nhs_number"),),
    (("pupil_number", "pupil_number"),),
)


def key_sql(side: str, key: str) -> str:
    column, _, length = key.partition(":")
    return f"substr({side}.{column}, 1, {int(length)})" if length else f"{side}.{column}"


def rule_sql(rule: tuple[tuple[str, str], ...]) -> str:
    return " and ".join(f"{key_sql('l', left)} = {key_sql('r', right)}" for left, right in rule)


BLOCKING_RULES = tuple(rule_sql(rule) for rule in BLOCKING_KEYS)

# Pairs these rules find are almost certainly the same person; they set the prior.
DETERMINISTIC_RULES = (
    "l.first_name = r.first_name and l.surname = r.surname and l.date_of_birth = r.date_of_birth",
    "l.nhs_number = r.nhs_number",
    "l.pupil_number = r.pupil_number",
)

# EM needs pairs that are neither all matches nor all non-matches; each rule trains the
# comparisons it does not use. Nothing blocks on the household (postcode, address): pairs from
# one household are mostly siblings and parents, and EM would learn that they are one person.
TRAINING_RULES = (
    "l.date_of_birth = r.date_of_birth",
    "l.first_name = r.first_name and l.surname = r.surname",
)


# Twins share a birthday, a surname and usually a home; only their first names (and often their
# sex) differ. A model that treats each field as independent evidence cannot learn that from random
# pairs, which almost never share a home, and with a rare surname it links twins. So the model has
# one more comparison, "possible twins", whose weight is set, not learnt: this many bits against a
# match, scaled by how far the records themselves show twins (`twin_share`).
TWIN_WEIGHT_BITS = 20.0

# Records too few to show twins still hold some: "possible twins" weighs at least this share of its bits.
TWIN_WEIGHT_FLOOR = 0.25

# Different people at one home share a surname this often or more only where the records hold
# families; below it (as in data with no households) the model takes nothing back.
FAMILY_SURNAME_SHARE = 0.3


# --- Twins, siblings and namesakes: a rule applied after scoring -----------------------------------
# Two records with the same surname or at one home, born on the same day (or but for a slip: a digit mistyped, or
# day and month swapped; where a date cannot be right, as a year of 2815 or a 31st of February, its record holds a
# slip for certain and the other may hold one more), are twins more often than field-by-field evidence can see:
# surname, home, sex and often a middle name all agree, and a model that adds them up is sure. So whatever the
# fields say, such a pair is at most sent to review (its score lowered to HOUSEHOLD_RULE_PROBABILITY, with a step in
# its explanation saying why) when:
# - "twins": their first names share nothing (not the same, not a nickname, not one edit apart, not spelt alike,
#   not the other's middle name). With a date of birth missing too: one child written twice keeps a first name
#   (on FEBRL, whose first names are often replaced outright, this held back 353 true pairs, but FEBRL has no
#   households and the rule is off there: `households_shown`);
# - "alike_names": their first names agree only weakly, and no NHS or pupil number agrees: both are nicknames
#   of one name without either being the other's (Nell and Nora, both Eleanor); one's first name is the
#   other's middle name and not both ways round (Arthur, or Arthur Jesse, beside Freddie Arthur: twins given
#   one middle name, one of them known by it; "Arthur Freddie" beside "Freddie Arthur" is one boy); or the
#   names are spelt alike but three or more edits apart (Isla and Isabella; with a year's digit apart, Maya and
#   Martha born a year apart to the day), or two apart where both are names in their own right (Levi and Lewis,
#   both in the `nicknames` package's list, `standardise.known_first_names`, and not short for one name as Abby
#   and Abbie are): a slip in each of two records of one child seldom makes one known name into another, but
#   "Kenqeth" and "Kennetth" it does;
# - "other_number": born on the same day, but their NHS numbers or pupil numbers differ (twins have their own);
# - "namesakes": one record has no date of birth, and the home holds people of this first name and surname
#   born more than YEARS_APART apart (a parent and child of one name): which of them the record is, only a
#   person can tell. This is the one reason that looks beyond the pair, at the home's other records
#   (`NAMESAKE_HOMES_SQL`); the batch run, online matching and Spark each work the homes out from the
#   records they hold, and the pair rule takes them as its argument;
# - "twin_names": born on the same day, first names agreeing, no NHS or pupil number in common, and one record's
#   middle name, which the other record does not carry, is the first name of another record of this surname
#   born that day: "Ruby Molly" beside "Ruby", where a "Molly" of that birthday is known, may be twin Molly's
#   record written with her sister's name first (unless that "Molly" carries Ruby's NHS or pupil number: then she
#   is Ruby, known by her middle name). Like "namesakes" this looks beyond the pair: the births that
#   show two or more first names (`TWIN_BIRTHS_SQL`, `twin_births`), which batch, online matching and Spark
#   each work out from the records they hold;
# - "born_apart": they were born more than YEARS_APART years apart, and not by such a slip: a parent and child, or
#   relatives, of one name;
# - "other_birthday": with the same surname or at the same home, born on different days other than by such a
#   slip, and no NHS or pupil number agrees: a brother or sister, a cousin, or a parent of one name (a child
#   named after a young parent, or known by a middle name that is a sibling's first name).
# The batch run applies this in SQL (`household_rule_sql`, from `pipeline.run`), online matching and Spark in
# Python (`household_conflict`); a test holds them equal.
HOUSEHOLD_RULE = "household_rule"
HOUSEHOLD_RULE_PROBABILITY = 0.9
HOUSEHOLD_RULE_WEIGHT = math.log2(HOUSEHOLD_RULE_PROBABILITY / (1 - HOUSEHOLD_RULE_PROBABILITY))
HOUSEHOLD_RULE_DESCRIPTION = "Twins or relatives?"
HOUSEHOLD_RULE_LEVELS = {
    "twins": (
        "Born on the same day (or a date of birth is missing), with the same surname or at the same home, but the"
        " first names have nothing in common: they may be twins or brothers and sisters, so a person must decide"
    ),
    "alike_names": (
        "Born on the same day, with the same surname or at the same home, and the first names agree only as two"
        " nicknames of one name, as one's middle name, or as names spelt alike, with no NHS or pupil number in"
        " common: they may be twins, so a person must decide"
    ),
    "other_number": (
        "Born on the same day, with the same surname or at the same home, but with different NHS numbers or"
        " pupil numbers: they may be twins, so a person must decide"
    ),
    "namesakes": (
        "A date of birth is missing, and people of this name born more than 10 years apart live at this home:"
        " a parent and child of the same name, so a person must decide which this is"
    ),
    "twin_names": (
        "Born on the same day with the same surname, and one record's middle name is the first name of another"
        " child of this surname born that day, which the other record does not carry: it may be that twin's"
        " record, so a person must decide"
    ),
    "born_apart": (
        "Born more than 10 years apart: they may be a parent and child or relatives of the same name, so a"
        " person must decide"
    ),
    "other_birthday": (
        "Born on different days (not a mistyped digit or a day and month swapped), with the same surname or at"
        " the same home, and no NHS or pupil number in common: they may be brothers and sisters, cousins, or a"
        " parent and child of the same name, so a person must decide"
    ),
}
HOUSEHOLD_RULE_LEVEL = HOUSEHOLD_RULE_LEVELS["twins"]
# A parent and child of one name are born more than this apart, whether or not they share a home or surname; a
# slip of one digit, or day and month swapped, the rule allows for. Closer than this, relatives are caught only
# together ("other_birthday").
YEARS_APART = 10


def households_shown(model: dict[str, Any]) -> bool:
    """Whether the records the model was trained on hold households, so the household rule applies.

    Twins, siblings and namesakes are people of one home; records without homes shared by families (FEBRL's:
    independent people, a duplicate's name or date of birth replaced outright) have none, and there the rule
    would only hold back true pairs (463 of FEBRL4's 5,000). So the rule is off only when the training records
    positively show no families (`allow_for_families`' share of surname-sharers among different people at one
    home below FAMILY_SURNAME_SHARE); when too few pairs showed either way, it stays on."""
    share = model.get("hub_family_surname_share")
    return share is None or share >= FAMILY_SURNAME_SHARE


def household_rule_step(weight: float, reason: str = "twins") -> dict[str, Any]:
    """The explanation's step for a pair the rule lowered by `weight` bits (a negative number)."""
    return {
        "comparison": HOUSEHOLD_RULE,
        "description": HOUSEHOLD_RULE_DESCRIPTION,
        "level": HOUSEHOLD_RULE_LEVELS.get(reason, HOUSEHOLD_RULE_LEVEL),
        "weight": round(weight, 3),
        "frequency_adjustment": 0.0,
    }


def readable_birth_sql(x: str) -> str:
    """SQL true where record `x`'s date of birth can be right: a calendar date from the year EARLIEST_BIRTH_YEAR to
    today (never null)."""
    earliest = f"date '{EARLIEST_BIRTH_YEAR:04d}-01-01'"
    return f"coalesce(try_cast({x}.date_of_birth as date) between {earliest} and current_date, false)"


NAMESAKE_HOMES_SQL = (
    "select postcode, first_name, surname from {table} where postcode is not null and first_name is not null"
    " and surname is not null and birth_year is not null group by postcode, first_name, surname"
    f" having max(try_cast(birth_year as integer)) - min(try_cast(birth_year as integer)) > {YEARS_APART}"
)


def namesake_key(record: dict[str, Any]) -> tuple[str, str, str] | None:
    key = (record.get("postcode"), record.get("first_name"), record.get("surname"))
    return key if all(key) else None  # type: ignore[return-value]


def namesake_homes(con, table: str) -> set[tuple[str, str, str]]:
    """(postcode, first name, surname) of every home holding people of one name born years apart."""
    return {tuple(row) for row in con.execute(NAMESAKE_HOMES_SQL.format(table=table)).fetchall()}


TWIN_BIRTHS_SQL = (
    "select date_of_birth, first_name, surname, coalesce(given_names[2:], []) as other_names, nhs_number,"
    " pupil_number from {table}"
    " where date_of_birth is not null and first_name is not null and surname is not null"
    " and (date_of_birth, surname) in (select (date_of_birth, surname) from {table} where date_of_birth is not null"
    " and first_name is not null and surname is not null group by date_of_birth, surname"
    " having count(distinct first_name) > 1)"
    " group by date_of_birth, first_name, surname, other_names, nhs_number, pupil_number"
)

# (date of birth, first name, surname) -> the other given names, NHS number and pupil number each record of that
# first name carries
Births = dict[tuple[str, str, str], frozenset[tuple[tuple[str, ...], str | None, str | None]]]


def twin_births(con, table: str) -> Births:
    """Every first name given on a birthday and surname that show two or more first names (the births of twins,
    or one child's records under two names), with the other given names and the numbers its records carry: "Milo
    Reggie" beside "Reggie Milo" is one boy with his names swapped, a plain "Molly" beside "Ruby Molly" may be a
    twin, unless that "Molly" carries Ruby's NHS number."""
    found: dict[tuple[str, str, str], set[tuple[tuple[str, ...], str | None, str | None]]] = {}
    for born, first, surname, others, nhs, upn in con.execute(TWIN_BIRTHS_SQL.format(table=table)).fetchall():
        found.setdefault((born, first, surname), set()).add((tuple(others), nhs, upn))
    return {key: frozenset(value) for key, value in found.items()}


def twins_name_sql(x: str, y: str, t: str) -> str:
    """Record x's middle name, not on record y, is the first name of `t`, a row of `TWIN_BIRTHS_SQL` (another record
    of x's surname born that day), one that carries neither first name of the pair nor y's NHS or pupil number (a
    record with y's number is y's, under a name y is also known by)."""
    return (
        f"{t}.date_of_birth = {x}.date_of_birth and {t}.surname = {x}.surname"
        f" and list_contains({x}.given_names[2:], {t}.first_name)"
        f" and not list_contains(coalesce({y}.given_names, []), {t}.first_name)"
        f" and not list_contains(coalesce({y}.first_name_variants, []), {t}.first_name)"
        f" and not list_contains({t}.other_names, {x}.first_name)"
        f" and not list_contains({t}.other_names, {y}.first_name)"
        f" and not coalesce({t}.nhs_number = {y}.nhs_number or {t}.pupil_number = {y}.pupil_number, false)"
    )


def household_rule_sql(
    l: str = "l",  # noqa: E741
    r: str = "r",
    *,
    namesakes: str | None = None,
    births: str | None = None,
    twin_name_carried: str | None = None,
) -> str:
    """The rule's reason ('twins', 'alike_names', 'other_number', 'twin_names', 'namesakes', 'born_apart' or
    'other_birthday') for two standardised records (aliases `l` and `r`), or null: the SQL twin of
    `household_conflict`. `namesakes` names a table of `NAMESAKE_HOMES_SQL`'s rows and `births` one of
    `TWIN_BIRTHS_SQL`'s (without them, no pair is held back as namesakes or for a twin's name). Or, in place of
    `births`, `twin_name_carried`: SQL true (never null) for the pairs where either record carries a twin's name
    (`twins_name_sql` holds with a row of the births one way round or the other), worked out for many pairs at once
    by a join, where looking in `births` pair by pair costs about as much as the rest of the rule."""
    # First and middle names swapped ("Arthur Freddie" beside "Freddie Arthur"): both names on both records,
    # allowing a slip of one letter in each.
    names_swapped = (
        f"(len(list_filter({r}.given_names, lambda n: damerau_levenshtein(n, {l}.first_name) <= 1)) > 0"
        f" and len(list_filter({l}.given_names, lambda n: damerau_levenshtein(n, {r}.first_name) <= 1)) > 0)"
    )
    agree = (
        f"{l}.first_name = {r}.first_name"
        f" or list_contains({r}.first_name_variants, {l}.first_name)"
        f" or list_contains({l}.first_name_variants, {r}.first_name)"
        f" or {names_swapped}"
        f" or damerau_levenshtein({l}.first_name, {r}.first_name) <= 1"
        f" or (damerau_levenshtein({l}.first_name, {r}.first_name) = 2"
        f" and jaro_winkler_similarity({l}.first_name, {r}.first_name) >= 0.8"
        f" and not ({l}.first_name in (select name from hub_known_first_names)"
        f" and {r}.first_name in (select name from hub_known_first_names)"
        f" and not list_has_any({l}.first_name_variants, {r}.first_name_variants)))"
        f" or (length({l}.first_name) = 1 and substr({r}.first_name, 1, 1) = {l}.first_name)"
        f" or (length({r}.first_name) = 1 and substr({l}.first_name, 1, 1) = {r}.first_name)"
        f" or {l}.first_name = {r}.surname or {r}.first_name = {l}.surname"
    )
    weakly = (
        f"list_has_any({l}.first_name_variants, {r}.first_name_variants)"
        f" or list_contains({r}.given_names, {l}.first_name) or list_contains({l}.given_names, {r}.first_name)"
        f" or jaro_winkler_similarity({l}.first_name, {r}.first_name) >= 0.8"
    )
    same_number = (
        f"coalesce({l}.nhs_number = {r}.nhs_number, false) or coalesce({l}.pupil_number = {r}.pupil_number, false)"
    )
    born = f"{l}.date_of_birth is not null and {r}.date_of_birth is not null"
    # Born on one day but for a slip: a digit mistyped, or day and month swapped; where a date cannot be right (a year
    # of 2815 or 1016, a 31st of February), its record holds a slip for certain, so the other may hold one more.
    unreadable = f"not ({readable_birth_sql(l)} and {readable_birth_sql(r)})"
    slip = (
        f"({l}.date_of_birth = {r}.date_of_birth or {l}.date_of_birth = {r}.date_of_birth_swapped"
        f" or damerau_levenshtein({l}.date_of_birth, {r}.date_of_birth) <= 1"
        f" or ({unreadable} and (damerau_levenshtein({l}.date_of_birth, {r}.date_of_birth) <= 2"
        f" or damerau_levenshtein({l}.date_of_birth, {r}.date_of_birth_swapped) <= 1)))"
    )
    same_day = f"{born} and {slip}"
    together = (
        f"(coalesce({l}.postcode = {r}.postcode, false) or coalesce({l}.address = {r}.address, false)"
        f" or coalesce({l}.surname = {r}.surname or jaro_winkler_similarity({l}.surname, {r}.surname) >= 0.9"
        f" or list_has_any({l}.surname_parts, {r}.surname_parts), false))"
    )
    other_number = (
        f"coalesce({l}.nhs_number <> {r}.nhs_number, false) or coalesce({l}.pupil_number <> {r}.pupil_number, false)"
    )
    named = f"{l}.first_name is not null and {r}.first_name is not null and {together}"
    twins = f"{named} and ({same_day} or not ({born})) and not coalesce({agree} or {weakly}, false)"
    alike = f"{named} and {same_day} and not coalesce({agree}, false) and not ({same_number})"
    other_day = f"{born} and not {slip}"
    apart = (
        f"{other_day}"
        f" and abs(try_cast({l}.birth_year as integer) - try_cast({r}.birth_year as integer)) > {YEARS_APART}"
    )
    at_home = " or ".join(
        f"exists (select 1 from {namesakes} n where n.postcode = {side}.postcode and n.first_name = {side}.first_name"
        f" and n.surname = {side}.surname)"
        for side in (l, r)
    )
    named_alike = f"({l}.date_of_birth is null or {r}.date_of_birth is null) and ({at_home})" if namesakes else "false"

    def carries_a_twins_name(x: str, y: str) -> str:
        return f"exists (select 1 from {births} t where {twins_name_sql(x, y, 't')})"

    if twin_name_carried:
        carried = twin_name_carried
    elif births:
        carried = f"{carries_a_twins_name(l, r)} or {carries_a_twins_name(r, l)}"
    twin_named = (
        f"{named} and {same_day} and not ({same_number}) and ({carried})" if births or twin_name_carried else "false"
    )
    # Most pairs a run scores are one person written twice: first names that agree by one of `agree`'s cheap
    # tests, born on the same day (or by a slip), with no two numbers that differ. No reason but *twin_names*
    # can hold for them (`agree` rules out twins and alike names, the birthdays every other reason), so they skip
    # the others, which cost far more (on 1,000,000 records about 60% of the pairs, and half the rule's time).
    clear = (
        f"({l}.first_name = {r}.first_name or list_contains({r}.first_name_variants, {l}.first_name)"
        f" or list_contains({l}.first_name_variants, {r}.first_name)"
        f" or damerau_levenshtein({l}.first_name, {r}.first_name) <= 1"
        f" or {l}.first_name = {r}.surname or {r}.first_name = {l}.surname)"
        f" and {born} and ({l}.date_of_birth = {r}.date_of_birth or {l}.date_of_birth = {r}.date_of_birth_swapped"
        f" or damerau_levenshtein({l}.date_of_birth, {r}.date_of_birth) <= 1) and not ({other_number})"
    )
    return (
        f"(case when {clear} then (case when coalesce({twin_named}, false) then 'twin_names' end)"
        f" when coalesce({twins}, false) then 'twins' when coalesce({alike}, false) then 'alike_names'"
        f" when coalesce({together} and {same_day} and ({other_number}), false) then 'other_number'"
        f" when coalesce({twin_named}, false) then 'twin_names'"
        f" when coalesce({named_alike}, false) then 'namesakes'"
        f" when coalesce({apart}, false) then 'born_apart'"
        f" when coalesce({together} and {other_day} and not ({same_number}), false) then 'other_birthday' end)"
    )


def readable_birth(date_of_birth: str | None) -> bool:
    """Whether a standardised date of birth can be right: a calendar date from the year EARLIEST_BIRTH_YEAR to today
    (`readable_birth_sql`)."""
    try:
        born = date.fromisoformat(date_of_birth or "")
    except ValueError:
        return False
    return date(EARLIEST_BIRTH_YEAR, 1, 1) <= born <= date.today()


def _slip_apart(born_a: str, born_b: str, swapped_b: str | None) -> bool:
    """Two dates of birth one day but for a slip, as `household_rule_sql`'s `slip` has it."""
    from rapidfuzz.distance import DamerauLevenshtein

    edits = DamerauLevenshtein.distance(born_a, born_b)
    if born_a in (born_b, swapped_b) or edits <= 1:
        return True
    if readable_birth(born_a) and readable_birth(born_b):
        return False
    return edits <= 2 or (swapped_b is not None and DamerauLevenshtein.distance(born_a, swapped_b) <= 1)


def _carries_a_twins_name(x: dict[str, Any], y: dict[str, Any], births: Births) -> bool:
    """x's middle name, which y does not carry, is the first name of another record of x's surname born that day,
    a record that carries neither x's nor y's first name (so not one child with first and middle names swapped), nor
    y's NHS or pupil number (so not y's own record under another name)."""
    born, surname = x.get("date_of_birth"), x.get("surname")
    if not born or not surname:
        return False
    on_y = {*(y.get("given_names") or ()), *(y.get("first_name_variants") or ())}
    pair = {x.get("first_name"), y.get("first_name")}
    numbers = {("nhs", y.get("nhs_number")), ("upn", y.get("pupil_number"))} - {("nhs", None), ("upn", None)}
    return any(
        not pair.intersection(others) and not numbers.intersection({("nhs", nhs), ("upn", upn)})
        for name in list(x.get("given_names") or ())[1:]
        if name not in on_y
        for others, nhs, upn in births.get((born, name, surname), ())
    )


def household_conflict(
    a: dict[str, Any],
    b: dict[str, Any],
    namesakes: set[tuple[str, str, str]] | None = None,
    births: Births | None = None,
) -> str | None:
    """Why two standardised records may not be linked without a person ('twins', 'alike_names',
    'other_number', 'twin_names', 'namesakes', 'born_apart', 'other_birthday'), or None. `namesakes`: the
    homes `namesake_homes` finds; `births`: the births `twin_births` finds."""
    from rapidfuzz.distance import DamerauLevenshtein, JaroWinkler

    from .standardise import known_first_names

    first_a, first_b = a.get("first_name"), b.get("first_name")
    born_a, born_b = a.get("date_of_birth"), b.get("date_of_birth")
    born = bool(born_a and born_b)
    same_day = born and _slip_apart(born_a, born_b, b.get("date_of_birth_swapped"))
    surname_a, surname_b = a.get("surname"), b.get("surname")
    same_number = (a.get("nhs_number") is not None and a.get("nhs_number") == b.get("nhs_number")) or (
        a.get("pupil_number") is not None and a.get("pupil_number") == b.get("pupil_number")
    )
    together = (
        (a.get("postcode") is not None and a.get("postcode") == b.get("postcode"))
        or (a.get("address") is not None and a.get("address") == b.get("address"))
        or (
            surname_a is not None
            and surname_b is not None
            and (
                surname_a == surname_b
                or JaroWinkler.similarity(surname_a, surname_b) >= 0.9
                or bool(set(a.get("surname_parts") or ()) & set(b.get("surname_parts") or ()))
            )
        )
    )
    if first_a and first_b and together and (same_day or not born):
        given_a, given_b = list(a.get("given_names") or ()), list(b.get("given_names") or ())
        variants_a, variants_b = a.get("first_name_variants") or (), b.get("first_name_variants") or ()
        names_swapped = any(DamerauLevenshtein.distance(name, first_a) <= 1 for name in given_b) and any(
            DamerauLevenshtein.distance(name, first_b) <= 1 for name in given_a
        )
        edits = DamerauLevenshtein.distance(first_a, first_b)
        one_formal_name = bool(set(variants_a) & set(variants_b))  # Abby and Abbie, both Abigail
        known = known_first_names()
        two_names = first_a in known and first_b in known and not one_formal_name  # Levi and Lewis
        alike = JaroWinkler.similarity(first_a, first_b) >= 0.8
        agree = (
            first_a in (first_b, surname_b)
            or first_a in variants_b
            or first_b in variants_a
            or names_swapped
            or edits <= 1
            or (edits == 2 and alike and not two_names)
            or (len(first_a) == 1 and first_b[:1] == first_a)
            or (len(first_b) == 1 and first_a[:1] == first_b)
            or first_b == surname_a
        )
        weakly = one_formal_name or first_a in given_b or first_b in given_a or alike
        if not agree and not weakly:
            return "twins"
        if not agree and same_day and not same_number:
            return "alike_names"
    if together and same_day:
        for key in ("nhs_number", "pupil_number"):
            if a.get(key) and b.get(key) and a.get(key) != b.get(key):
                return "other_number"
        if (
            births
            and first_a
            and first_b
            and not same_number
            and (_carries_a_twins_name(a, b, births) or _carries_a_twins_name(b, a, births))
        ):
            return "twin_names"
    if not born:
        if namesakes and (namesake_key(a) in namesakes or namesake_key(b) in namesakes):
            return "namesakes"
        return None
    try:
        years = abs(int(born_a[:4]) - int(born_b[:4]))
    except ValueError:
        return None
    other_day = not same_day
    if other_day and years > YEARS_APART:
        return "born_apart"
    if other_day and together and not same_number:
        return "other_birthday"
    return None


class ModelFileInvalid(Exception):
    """A saved model that cannot be used; the message says why."""


class SwappedNamesLevel(ComparisonLevelCreator):
    """First name and surname written the other way round, allowing a slip in either."""

    def create_sql(self, sql_dialect: SplinkDialect) -> str:
        similarity = sql_dialect.jaro_winkler_function_name
        return (
            "(first_name_l = surname_r and surname_l = first_name_r) or "
            f"({similarity}(first_name_l, surname_r) >= 0.9 and {similarity}(surname_l, first_name_r) >= 0.9)"
        )

    def create_label_for_charts(self) -> str:
        return "First name and surname swapped"


class NameAsSurnameLevel(ComparisonLevelCreator):
    """One record's first name written as the other's surname, allowing a slip of one letter: a name put in the
    wrong box is as often mistyped as one in the right box ("Pulfrd" beside a surname "Pulford")."""

    def create_sql(self, sql_dialect: SplinkDialect) -> str:
        distance = sql_dialect.damerau_levenshtein_function_name
        return (
            f"first_name_l = surname_r or surname_l = first_name_r"
            f" or {distance}(first_name_l, surname_r) <= 1 or {distance}(surname_l, first_name_r) <= 1"
        )

    def create_label_for_charts(self) -> str:
        return "First name written as the other record's surname"


class KnownByAnotherNameLevel(ComparisonLevelCreator):
    """One record's first name is among the other's given names: first and middle names swapped ("Freddie
    Arthur" beside "Arthur Freddie"), or a child known by a middle name ("Sofia" beside "Georgia Sofia"). Two
    first names that share nothing but a middle name (Florence Leah, Chloe Leah) are not this level: the
    middle names comparison weighs the middle name, once."""

    def create_sql(self, sql_dialect: SplinkDialect) -> str:
        contains = "array_contains" if sql_dialect.sql_dialect_str == "spark" else "list_contains"
        return f"{contains}(given_names_r, first_name_l) or {contains}(given_names_l, first_name_r)"

    def create_label_for_charts(self) -> str:
        return "First and middle names swapped"


class PossibleTwinsLevel(ComparisonLevelCreator):
    """Nearly the same date of birth and surname, first names that share nothing, and no NHS number in common."""

    def create_sql(self, sql_dialect: SplinkDialect) -> str:
        similarity = sql_dialect.jaro_winkler_function_name
        distance = sql_dialect.damerau_levenshtein_function_name
        overlap = "arrays_overlap" if sql_dialect.sql_dialect_str == "spark" else "list_has_any"
        return (
            "first_name_l is not null and first_name_r is not null"
            f" and (date_of_birth_l = date_of_birth_r or {distance}(date_of_birth_l, date_of_birth_r) <= 1"
            " or date_of_birth_l = date_of_birth_swapped_r)"
            f" and (surname_l = surname_r or {similarity}(surname_l, surname_r) >= 0.9)"
            " and coalesce(nhs_number_l <> nhs_number_r, true)"
            f" and not (first_name_l = first_name_r or {overlap}(first_name_variants_l, first_name_variants_r)"
            f" or {overlap}(given_names_l, given_names_r) or {similarity}(first_name_l, first_name_r) >= 0.8"
            f" or {distance}(first_name_l, first_name_r) <= 1"
            " or substr(first_name_l, 1, 1) = first_name_r or substr(first_name_r, 1, 1) = first_name_l)"
        )

    def create_label_for_charts(self) -> str:
        return "Possible twins: same birthday and surname, different first names"


def _possible_twins() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="possible_twins",
        comparison_description="Possible twins",
        comparison_levels=[
            PossibleTwinsLevel().configure(
                label_for_charts="Possible twins: same birthday and surname, different first names"
            ),
            cll.ElseLevel().configure(
                label_for_charts="Not the twins pattern (same birthday and surname, different first names)"
            ),
        ],
    )


def _same_family() -> cl.CustomComparison:
    """Surname and home together: for a family they are one fact, not two (see `allow_for_families`)."""
    return cl.CustomComparison(
        output_column_name="same_family",
        comparison_description="Same family",
        comparison_levels=[
            cll.And(
                cll.ExactMatchLevel("surname"),
                cll.ExactMatchLevel("postcode"),
                cll.Or(cll.ExactMatchLevel("address"), cll.ExactMatchLevel("house_number")),
            ).configure(label_for_charts="Same surname at the same home: one family, counted once"),
            cll.ElseLevel().configure(label_for_charts="Not one surname at one home"),
        ],
    )


def _first_name() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="first_name",
        comparison_description="First name",
        comparison_levels=[
            cll.NullLevel("first_name").configure(label_for_charts="No first name on one record or both"),
            cll.ExactMatchLevel("first_name", term_frequency_adjustments=True).configure(
                label_for_charts="Same first name"
            ),
            cll.ArrayIntersectLevel("first_name_variants", 1).configure(
                label_for_charts="Nickname of the same name (Bob and Robert)"
            ),
            cll.Or(cll.JaroWinklerLevel("first_name", 0.92), cll.DamerauLevenshteinLevel("first_name", 1)).configure(
                label_for_charts="First name spelt nearly the same"
            ),
            KnownByAnotherNameLevel(),
            cll.JaroWinklerLevel("first_name", 0.8).configure(label_for_charts="First name spelt similarly"),
            SwappedNamesLevel().configure(label_for_charts="First name and surname swapped"),
            NameAsSurnameLevel().configure(label_for_charts="First name written as the other record's surname"),
            cll.CustomLevel(
                "(length(first_name_l) = 1 or length(first_name_r) = 1)"
                " and substr(first_name_l, 1, 1) = substr(first_name_r, 1, 1)",
                label_for_charts="Initial only, and it agrees",
            ),
            cll.ElseLevel().configure(label_for_charts="Different first names"),
        ],
    )


def _middle_names() -> cl.CustomComparison:
    """Middle names, where both records carry one: the same middle name is evidence for one person, and two
    different ones (Zara Chloe beside Zara Evie) evidence against, each as much as the records show."""
    return cl.CustomComparison(
        output_column_name="middle_names",
        comparison_description="Middle names",
        comparison_levels=[
            cll.NullLevel("middle_names").configure(label_for_charts="No middle name on one record or both"),
            cll.ExactMatchLevel("middle_names", term_frequency_adjustments=True).configure(
                label_for_charts="Same middle names"
            ),
            cll.ArrayIntersectLevel("given_names", 2).configure(
                label_for_charts="A middle name shared, or the names in another order"
            ),
            cll.JaroWinklerLevel("middle_names", 0.88).configure(label_for_charts="Middle names spelt nearly the same"),
            cll.ElseLevel().configure(label_for_charts="Different middle names"),
        ],
    )


def _surname() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="surname",
        comparison_description="Surname",
        comparison_levels=[
            cll.NullLevel("surname").configure(label_for_charts="No surname on one record or both"),
            cll.ExactMatchLevel("surname", term_frequency_adjustments=True).configure(label_for_charts="Same surname"),
            cll.JaroWinklerLevel("surname", 0.92).configure(label_for_charts="Surname spelt nearly the same"),
            cll.ArrayIntersectLevel("surname_parts", 1).configure(
                label_for_charts="One part of a double-barrelled surname agrees"
            ),
            SwappedNamesLevel().configure(label_for_charts="First name and surname swapped"),
            cll.JaroWinklerLevel("surname", 0.8).configure(label_for_charts="Surname spelt similarly"),
            cll.ElseLevel().configure(label_for_charts="Different surnames"),
        ],
    )


def _date_of_birth() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="date_of_birth",
        comparison_description="Date of birth",
        comparison_levels=[
            cll.NullLevel("date_of_birth").configure(label_for_charts="No date of birth on one record or both"),
            cll.ExactMatchLevel("date_of_birth").configure(label_for_charts="Same date of birth"),
            cll.CustomLevel("date_of_birth_l = date_of_birth_swapped_r", label_for_charts="Day and month swapped"),
            cll.DamerauLevenshteinLevel("date_of_birth", 1).configure(label_for_charts="One digit different"),
            cll.DamerauLevenshteinLevel("date_of_birth", 2).configure(label_for_charts="Two digits different"),
            cll.ElseLevel().configure(label_for_charts="Different dates of birth"),
        ],
    )


def _sex() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="sex",
        comparison_description="Sex",
        comparison_levels=[
            cll.NullLevel("sex").configure(label_for_charts="Sex not recorded on one record or both"),
            cll.ExactMatchLevel("sex").configure(label_for_charts="Same sex"),
            cll.ElseLevel().configure(label_for_charts="Different sex"),
        ],
    )


def _home() -> cl.CustomComparison:
    """Address and postcode as one comparison: both describe the household, so counting them
    separately would count one fact twice and link siblings and parents who share a home."""
    return cl.CustomComparison(
        output_column_name="home",
        comparison_description="Address and postcode",
        comparison_levels=[
            cll.And(cll.Or(cll.NullLevel("address"), cll.NullLevel("postcode")), cll.NullLevel("postcode")).configure(
                is_null_level=True, label_for_charts="No postcode on one record or both"
            ),
            cll.And(
                cll.ExactMatchLevel("postcode"),
                cll.Or(
                    cll.ExactMatchLevel("address"),
                    cll.And(cll.ExactMatchLevel("house_number"), cll.JaroWinklerLevel("address", 0.9)),
                ),
            ).configure(label_for_charts="Same address and postcode"),
            cll.And(
                cll.ExactMatchLevel("postcode"),
                cll.ExactMatchLevel("house_number"),
                cll.ArrayIntersectLevel("address_words", 2),
            ).configure(label_for_charts="Same postcode and house number, address written differently"),
            cll.And(
                cll.ExactMatchLevel("house_number"),
                cll.Or(cll.DamerauLevenshteinLevel("postcode", 1), cll.ArrayIntersectLevel("address_words", 3)),
            ).configure(label_for_charts="Same house number, address or postcode nearly the same"),
            cll.ExactMatchLevel("postcode", term_frequency_adjustments=True).configure(
                label_for_charts="Same postcode, different address"
            ),
            cll.Or(cll.DamerauLevenshteinLevel("postcode", 1), cll.ExactMatchLevel("postcode_sector")).configure(
                label_for_charts="Postcode nearly the same, or the same sector"
            ),
            cll.ExactMatchLevel("postcode_outward").configure(label_for_charts="Same postcode district"),
            cll.ElseLevel().configure(label_for_charts="Different homes"),
        ],
    )


def _nhs_number() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="nhs_number",
        comparison_description="NHS number",
        comparison_levels=[
            cll.NullLevel("nhs_number").configure(label_for_charts="No NHS number on one record or both"),
            cll.ExactMatchLevel("nhs_number").configure(label_for_charts="Same NHS number"),
            cll.DamerauLevenshteinLevel("nhs_number", 1).configure(label_for_charts="NHS number one digit different"),
            cll.ElseLevel().configure(label_for_charts="Different NHS numbers"),
        ],
    )


def _pupil_number() -> cl.CustomComparison:
    """The unique pupil number, kept only when its check letter agrees (see `standardise.py`)."""
    return cl.CustomComparison(
        output_column_name="pupil_number",
        comparison_description="Unique pupil number",
        comparison_levels=[
            cll.NullLevel("pupil_number").configure(label_for_charts="No pupil number on one record or both"),
            cll.ExactMatchLevel("pupil_number").configure(label_for_charts="Same pupil number"),
            cll.DamerauLevenshteinLevel("pupil_number", 1).configure(
                label_for_charts="Pupil number one character different"
            ),
            cll.ElseLevel().configure(label_for_charts="Different pupil numbers"),
        ],
    )


DESCRIPTIONS = {
    "first_name": "First name",
    "middle_names": "Middle names",
    "surname": "Surname",
    "date_of_birth": "Date of birth",
    "sex": "Sex",
    "home": "Address and postcode",
    "nhs_number": "NHS number",
    "pupil_number": "Unique pupil number",
    "possible_twins": "Possible twins",
    "same_family": "Same family",
}

COMPARISONS = {
    "first_name": _first_name,
    "middle_names": _middle_names,
    "surname": _surname,
    "date_of_birth": _date_of_birth,
    "sex": _sex,
    "home": _home,
    "nhs_number": _nhs_number,
    "pupil_number": _pupil_number,
    "possible_twins": _possible_twins,
    "same_family": _same_family,
}


# The column whose presence decides whether a comparison is used, where it is not the comparison's name.
FIELD_COLUMNS = {
    "home": "coalesce(postcode, address)",
    "possible_twins": "date_of_birth",
    "same_family": "postcode",
}


def hub_settings(*, link_type: str, fields: Sequence[str]) -> SettingsCreator:
    """The hub's set-up for the fields the records actually hold (a field nobody filled is left out)."""
    comparisons = [build() for name, build in COMPARISONS.items() if name in fields]
    return SettingsCreator(
        link_type=link_type,
        unique_id_column_name="record_id",
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=list(BLOCKING_RULES),
        retain_intermediate_calculation_columns=True,
        retain_matching_columns=True,
        additional_columns_to_retain=["source_dataset"] if link_type != "dedupe_only" else [],
    )


def fields_present(con, table: str) -> list[str]:
    """The required fields and the optional fields that at least one record fills."""
    columns = {name: FIELD_COLUMNS.get(name, name) for name in COMPARISONS}
    counts = con.execute(
        "select " + ", ".join(f"count({column})" for column in columns.values()) + f" from {table}"
    ).fetchall()
    filled = dict(zip(COMPARISONS, counts[0], strict=True))
    return [name for name in COMPARISONS if filled[name] > 0]


U_MAX_PAIRS = 1e6

# Comparisons whose u Splink estimates in each thread (`estimate_u`), the costliest first: each thread takes the
# next when it is free. Any comparison not named here goes last.
U_ORDER = (
    "first_name",
    "date_of_birth",
    "home",
    "possible_twins",
    "surname",
    "middle_names",
    "nhs_number",
    "pupil_number",
)


def estimate_u(linker: Linker, *, max_pairs: float, seed: int, threads: int = 2) -> None:
    """Splink's `estimate_u_using_random_sampling`, its comparisons shared between threads.

    Splink estimates each comparison's u on its own, from pairs of one sample of records that a hash of the
    record id and the seed picks, and its queries over so few records (about 1,400) run on one core. So each
    thread takes a comparison at a time, estimates its u with a Linker of its own (on a cursor of the same
    DuckDB database, holding that comparison alone), and the estimates are copied back to `linker`: the very
    numbers Splink's own call gives (a test holds them equal), on two cores rather than one.
    """
    settings = linker.misc.save_model_to_json()
    comparisons = settings["comparisons"]
    if linker._sql_dialect_str != "duckdb" or threads < 2 or len(comparisons) < 2:
        linker.training.estimate_u_using_random_sampling(max_pairs=max_pairs, seed=seed)
        return
    import queue
    import threading

    from splink.internals.estimate_u import estimate_u_values

    con = linker._db_api._con
    inputs = list(linker._input_tables_dict.values())
    order = {name: index for index, name in enumerate(U_ORDER)}
    todo: queue.Queue = queue.Queue()
    for comparison in sorted(comparisons, key=lambda c: order.get(c["output_column_name"], len(order))):
        todo.put(comparison)
    estimated: dict[str, Any] = {}
    failures: list[BaseException] = []

    def work() -> None:
        from splink import DuckDBAPI

        cursor = con.cursor()
        try:
            while not failures:
                try:
                    comparison = todo.get_nowait()
                except queue.Empty:
                    return
                db_api = DuckDBAPI(connection=cursor)
                tables = [
                    db_api.register(df.physical_name, dataset_display_name=df.dataset_display_name) for df in inputs
                ]
                helper = Linker(
                    tables if len(tables) > 1 else tables[0], {**settings, "comparisons": [comparison]}, log_level=None
                )
                # What `estimate_u_using_random_sampling` runs, with its defaults.
                estimate_u_values(helper, max_pairs=max_pairs, seed=seed, min_count_per_level=100, num_chunks=10)
                estimated[comparison["output_column_name"]] = helper._settings_obj.comparisons[0]
        except BaseException as error:  # raised again in the caller's thread
            failures.append(error)
        finally:
            cursor.close()

    workers = [threading.Thread(target=work, name=f"hub-u-{index}") for index in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    if failures:
        # Whatever went wrong (an input a cursor cannot see, say), Splink's own call decides; `linker` is untouched.
        logger.info("Estimating u in threads failed (%s); estimating it in one", failures[0])
        linker.training.estimate_u_using_random_sampling(max_pairs=max_pairs, seed=seed)
        return
    for comparison in linker._settings_obj.comparisons:
        levels = {
            level.comparison_vector_value: level for level in estimated[comparison.output_column_name].comparison_levels
        }
        for level in comparison._comparison_levels_excluding_null:
            level._trained_u_probabilities.extend(levels[level.comparison_vector_value]._trained_u_probabilities)
    linker._populate_m_u_from_trained_values()
    linker._settings_obj._columns_without_estimated_parameters_message()


def train(linker: Linker, *, record_count: int, seed: int = 42) -> None:
    """Estimate the prior, u by random sampling and m by expectation maximisation."""
    linker.training.estimate_probability_two_random_records_match(list(DETERMINISTIC_RULES), recall=0.8)
    deterministic_prior = linker._settings_obj._probability_two_random_records_match
    estimate_u(linker, max_pairs=U_MAX_PAIRS, seed=seed)
    for rule in TRAINING_RULES:
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                rule,
                max_pairs=1e6 if record_count > 50_000 else None,
                populate_probability_two_random_records_match_from_trained_values=True,
            )
        except Exception as error:  # a rule that blocks no pairs on small data is skipped, not fatal
            logger.info("EM training with %s skipped: %s", rule, error)
    # EM's own estimate of the prior is better when the data are large enough to trust it; on a few
    # hundred records it can run away, and the deterministic rules' estimate is kept instead.
    learnt_prior = linker._settings_obj._probability_two_random_records_match
    if not deterministic_prior / 10 <= learnt_prior <= deterministic_prior * 10:
        logger.info("EM's prior %s is implausible beside %s; keeping the latter", learnt_prior, deterministic_prior)
        linker._settings_obj._probability_two_random_records_match = deterministic_prior


FIRST_NAMES_AGREE_SQL = (
    "(l.first_name = r.first_name or list_has_any(l.first_name_variants, r.first_name_variants)"
    " or jaro_winkler_similarity(l.first_name, r.first_name) >= 0.8 or list_has_any(l.given_names, r.given_names))"
)


def twin_share(con, table: str) -> float:
    """How many of the pairs that share a surname, a birthday and a postcode but not a first name are
    twins rather than one person recorded under another name, judged by their sex.

    Twins differ in sex half the time; one person recorded twice almost never does. So twice the
    share of such pairs whose recorded sexes differ estimates the share that are twins. With fewer
    than 20 such pairs with both sexes recorded there is no evidence either way, and it is 0.
    """
    different, compared = con.execute(
        f"select count(*) filter (where l.sex <> r.sex), count(*) from {table} l join {table} r"
        " on l.surname = r.surname and l.date_of_birth = r.date_of_birth and l.postcode = r.postcode"
        f" and l.record_id < r.record_id where l.sex is not null and r.sex is not null and not {FIRST_NAMES_AGREE_SQL}"
    ).fetchall()[0]
    if compared < 20:
        return 0.0
    return min(1.0, 2 * different / compared)


def allow_for_twins(model: dict[str, Any], share: float) -> None:
    """Set the weight of "possible twins": TWIN_WEIGHT_BITS against a match once twins are at
    least half of such pairs in the records, in proportion below that, and never less than
    TWIN_WEIGHT_FLOOR of them (small records show few twins)."""
    model["hub_twin_share"] = round(share, 4)
    bits = TWIN_WEIGHT_BITS * max(min(1.0, 2 * share), TWIN_WEIGHT_FLOOR)
    for comparison in model["comparisons"]:
        if comparison["output_column_name"] != "possible_twins":
            continue
        twins, other = comparison["comparison_levels"]
        u = min(max(twins.get("u_probability") or 0.0, 1e-9), 1e-3)
        twins["u_probability"] = u
        twins["m_probability"] = u * 2**-bits
        other["u_probability"] = 1 - u
        other["m_probability"] = 1 - twins["m_probability"]


def family_surname_share(con, table: str) -> float | None:
    """Among pairs at one home who cannot be one person (born two or more years apart, with first
    names that share nothing), the share with the same surname. None when too few pairs to tell."""
    same, compared = con.execute(
        f"select count(*) filter (where l.surname = r.surname), count(*) from {table} l join {table} r"
        " on l.postcode = r.postcode and l.house_number = r.house_number and l.record_id < r.record_id"
        " where abs(try_cast(l.birth_year as integer) - try_cast(r.birth_year as integer)) >= 2"
        f" and l.surname is not null and r.surname is not null and not {FIRST_NAMES_AGREE_SQL}"
    ).fetchall()[0]
    return same / compared if compared >= 20 else None


def allow_for_families(model: dict[str, Any], share: float | None) -> None:
    """Take back the weight that counting surname and home separately gives a family twice.

    Independent evidence would make a shared surname at a shared home as rare among different
    people as the two agreements apart (u of the surname times u of the home). Among different
    people at one home, though, the surname agrees `share` of the time: so a shared surname at a
    shared home tells log2(share / u_surname) bits less than the model adds. Nothing unless the
    records show families: at least FAMILY_SURNAME_SHARE of such pairs sharing a surname.

    Where the records positively show no families (enough pairs at one home, and too few of them sharing a
    surname: FEBRL's independent people), "possible twins" weighs nothing either: twins are children of one
    family, and there a pair alike but for the first name is one person whose first name was replaced (on
    FEBRL4 its 5 bits held back 11 true pairs and no false one), just as the household rule is off there. A
    different date of birth then weighs what the records show, and at least AT_LEAST_AGAINST_WITHOUT_FAMILIES.
    """
    surname_u = next(
        level["u_probability"]
        for comparison in model["comparisons"]
        if comparison["output_column_name"] == "surname"
        for level in comparison["comparison_levels"]
        if level.get("label_for_charts") == "Same surname"
    )
    families = share is not None and share >= FAMILY_SURNAME_SHARE
    bits = min(max(math.log2(share / surname_u), 0.0), 30.0) if families else 0.0
    model["hub_family_surname_share"] = round(share, 4) if share is not None else None
    for comparison in model["comparisons"]:
        if comparison["output_column_name"] != "same_family":
            continue
        family, other = comparison["comparison_levels"]
        u = min(max(family.get("u_probability") or 0.0, 1e-9), 1e-3)
        family["u_probability"] = u
        family["m_probability"] = u * 2**-bits
        other["u_probability"] = 1 - u
        other["m_probability"] = 1 - family["m_probability"]
    if share is not None and not families:
        before_floor = model.get("hub_m_before_floor") or {}
        for comparison in model["comparisons"]:
            name = comparison["output_column_name"]
            if name == "possible_twins":
                for level in comparison["comparison_levels"]:
                    level["m_probability"] = level["u_probability"]
            for level in comparison["comparison_levels"]:
                bits = AT_LEAST_AGAINST_WITHOUT_FAMILIES.get((name, level.get("label_for_charts")))
                learnt = before_floor.get(f"{name}:{level.get('label_for_charts')}")
                if bits is not None and learnt is not None:
                    level["m_probability"] = min(learnt, level["u_probability"] * 2**-bits)


# What each level's m-probability is taken to be when the records at hand cannot train it (EM never saw
# the level among the pairs it trained on, as on a small extract). They are the share of true pairs
# that fall in each level, in the order the comparison defines its levels (null level left out), as
# agencies' records show them: most true pairs agree exactly, a few carry a typo, a nickname or a
# swap, and a disagreement is rare. A level so set still weighs as much as its u says it should,
# where the neutral m = u it once got counted for nothing.
PRIOR_M: dict[str, tuple[float, ...]] = {
    "first_name": (0.80, 0.04, 0.06, 0.02, 0.02, 0.005, 0.005, 0.01, 0.04),
    "middle_names": (0.85, 0.06, 0.04, 0.05),
    "surname": (0.85, 0.05, 0.03, 0.005, 0.015, 0.05),
    "date_of_birth": (0.88, 0.02, 0.06, 0.02, 0.02),
    "sex": (0.97, 0.03),
    "home": (0.70, 0.03, 0.02, 0.03, 0.02, 0.02, 0.18),
    "nhs_number": (0.97, 0.01, 0.02),
    "pupil_number": (0.97, 0.01, 0.02),
}

# Identifiers that disagree outright weigh at least this many bits against a match, whatever the
# training data held: the same child almost never has two dates of birth years apart (a typo or a
# swap falls in the levels above), two NHS numbers or two pupil numbers.
AT_LEAST_AGAINST: dict[tuple[str, str], float] = {
    ("date_of_birth", "Different dates of birth"): 8.0,
    ("nhs_number", "Different NHS numbers"): 10.0,
    ("pupil_number", "Different pupil numbers"): 10.0,
}

# Where the records positively show no families (`households_shown` false), a different date of birth weighs
# at least this many bits against, and otherwise what the records themselves show. The 8 bits above guard
# against what families hold: a parent and child, brothers and sisters, cousins of one name at one home, whom
# nothing but the date of birth tells apart and whom training, which cannot tell them from one person, would
# count as one person recorded with two dates. Records of people alone hold none of them, and there the share
# of one person's records whose date of birth was replaced outright (about 4% of FEBRL's true pairs, "1966-03-06"
# beside "1913-06-29") can be learnt: a one-digit slip or a day and month swap has its own, milder level
# either way.
AT_LEAST_AGAINST_WITHOUT_FAMILIES: dict[tuple[str, str], float] = {("date_of_birth", "Different dates of birth"): 4.0}


def model_json(linker: Linker) -> dict[str, Any]:
    """The trained model as Splink saves it, named for the hub's set-up.

    A level that never occurred in the training data has no estimate of m; it takes its fixed prior
    from PRIOR_M, and the model lists it in `hub_untrained_levels` (and the log says so), so a run on a
    small extract still weighs every level. A disagreeing date of birth, NHS number or pupil number
    then weighs at least AT_LEAST_AGAINST bits against.
    """
    saved = linker.misc.save_model_to_json()
    saved["hub_setup"] = HUB_SETUP_NAME
    untrained = []
    for comparison in saved["comparisons"]:
        name = comparison["output_column_name"]
        levels = [level for level in comparison["comparison_levels"] if not level.get("is_null_level")]
        priors = PRIOR_M.get(name)
        for position, level in enumerate(levels):
            m, u = level.get("m_probability"), level.get("u_probability")
            if u is None:
                u = level["u_probability"] = 1e-6
            if m is None:
                # The twin and family comparisons are set afterwards (allow_for_twins, allow_for_families).
                level["m_probability"] = priors[position] if priors and len(priors) == len(levels) else u
                if priors:
                    untrained.append(f"{DESCRIPTIONS.get(name, name)}: {level.get('label_for_charts', '?')}")
                    # A level rare among random pairs too has a u of next to nothing, which would make its
                    # prior m count for more than exact agreement: it counts a bit less, and never below -10.
                    best = levels[0]
                    if position and best.get("m_probability") and best.get("u_probability"):
                        ceiling = math.log2(best["m_probability"] / best["u_probability"]) - 1
                        weight = min(max(math.log2(level["m_probability"] / u), -10.0), ceiling)
                        level["m_probability"] = min(u * 2**weight, 1.0)
            bits = AT_LEAST_AGAINST.get((name, level.get("label_for_charts")))
            if bits is not None:
                saved.setdefault("hub_m_before_floor", {})[f"{name}:{level.get('label_for_charts')}"] = level[
                    "m_probability"
                ]
                level["m_probability"] = min(level["m_probability"], u * 2**-bits)
    saved["hub_untrained_levels"] = untrained
    if untrained:
        logger.warning(
            "%d comparison levels could not be trained on these records and use fixed priors: %s",
            len(untrained),
            "; ".join(untrained),
        )
    return saved


def load_model(text: str | bytes) -> dict[str, Any]:
    """A saved model, checked before use: refuses anything that is not a trained hub model."""
    try:
        model = json.loads(text)
    except (ValueError, TypeError) as error:
        raise ModelFileInvalid(f"The model is not valid JSON ({error}).") from None
    if not isinstance(model, dict):
        raise ModelFileInvalid("The model is not a JSON object of Splink settings.")
    comparisons = model.get("comparisons")
    if not isinstance(comparisons, list) or not comparisons:
        raise ModelFileInvalid("The model has no comparisons: it is not a Splink model.")
    if model.get("hub_setup") != HUB_SETUP_NAME:
        raise ModelFileInvalid(
            f"The model was made for a different set-up ({model.get('hub_setup') or 'none named'}); "
            f"this version of the hub needs {HUB_SETUP_NAME}. Retrain it."
        )
    prior = model.get("probability_two_random_records_match")
    if not isinstance(prior, int | float) or not 0 < prior < 1:
        raise ModelFileInvalid("The model has no trained prior probability that two records match.")
    for comparison in comparisons:
        name = comparison.get("output_column_name", "?")
        if name not in COMPARISONS:
            raise ModelFileInvalid(f"The model compares “{name}”, which the hub does not know.")
        for level in comparison.get("comparison_levels", []):
            if level.get("is_null_level"):
                continue
            for key in ("m_probability", "u_probability"):
                value = level.get(key)
                if not isinstance(value, int | float) or not 0 <= value <= 1:
                    raise ModelFileInvalid(
                        f"The model's “{name}” level “{level.get('label_for_charts', '?')}” has no trained {key}."
                    )
    return model


def model_fields(model: dict[str, Any]) -> list[str]:
    return [comparison["output_column_name"] for comparison in model["comparisons"]]


def settings_for(model: dict[str, Any], *, link_type: str | None = None) -> dict[str, Any]:
    """The saved model as Splink settings for DuckDB, optionally for another link type."""
    settings = {key: value for key, value in model.items() if not key.startswith("hub_")}
    if link_type:
        settings["link_type"] = link_type
        settings["additional_columns_to_retain"] = ["source_dataset"] if link_type != "dedupe_only" else []
    return settings


def settings_for_dialect(model: dict[str, Any], dialect: str, *, link_type: str | None = None) -> dict[str, Any]:
    """The saved model's trained parameters on the same comparisons rendered for another engine (e.g. Spark).

    Splink saves each level's SQL in the dialect it was trained in; the hub rebuilds the levels
    from their definitions above for `dialect` and carries the trained parameters across.
    """
    link_type = link_type or model["link_type"]
    rendered = hub_settings(link_type=link_type, fields=model_fields(model)).create_settings_dict(dialect)
    for target, source in zip(rendered["comparisons"], model["comparisons"], strict=True):
        if len(target["comparison_levels"]) != len(source["comparison_levels"]):
            raise ModelFileInvalid(f"The model's “{source['output_column_name']}” levels differ from the hub's.")
        for target_level, source_level in zip(target["comparison_levels"], source["comparison_levels"], strict=True):
            for key in ("m_probability", "u_probability", "tf_minimum_u_value"):
                if key in source_level:
                    target_level[key] = source_level[key]
    rendered["probability_two_random_records_match"] = model["probability_two_random_records_match"]
    return rendered
