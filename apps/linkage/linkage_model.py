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
from typing import Any

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import Linker, SettingsCreator
from splink.internals.comparison_level_creator import ComparisonLevelCreator
from splink.internals.dialects import SplinkDialect

logger = logging.getLogger(__name__)

HUB_SETUP_NAME = "hub-3"

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
    (("surname", "surname"), ("birth_year", "birth_year")),
    (("first_name", "first_name"), ("birth_year", "birth_year"), ("surname:1", "surname:1")),
    (("postcode", "postcode"), ("first_name:1", "first_name:1")),
    (("date_of_birth", "date_of_birth"), ("postcode", "postcode")),
    (("postcode", "postcode"), ("house_number", "house_number")),
    (("first_name", "surname"), ("surname", "first_name")),
    (("first_name", "surname"), ("birth_year", "birth_year")),
    (("surname", "first_name"), ("birth_year", "birth_year")),
    (("surname", "surname"), ("postcode", "postcode")),
    (("surname", "surname"), ("house_number", "house_number"), ("postcode:1", "postcode:1")),
    (("date_of_birth", "date_of_birth"), ("house_number", "house_number")),
    (("first_name", "first_name"), ("house_number", "house_number"), ("surname:1", "surname:1")),
    (("house_number", "house_number"), ("postcode_sector", "postcode_sector"), ("birth_year", "birth_year")),
    (("nhs_number", "nhs_number"),),
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
)

# EM needs pairs that are neither all matches nor all non-matches; each rule trains the
# comparisons it does not use. Nothing blocks on the household (postcode, address): pairs from
# one household are mostly siblings and parents, and EM would learn that they are one person.
TRAINING_RULES = (
    "l.date_of_birth = r.date_of_birth",
    "l.first_name = r.first_name and l.surname = r.surname",
)


# Twins share a birthday, a surname and a home; only their first names (and often their sex)
# differ. Random pairs cannot teach a model that, because random pairs almost never share a home,
# so the weight against different first names is strengthened towards this m-probability in
# proportion to the twins the records themselves show (see `twin_share`).
TWIN_FIRST_NAMES_M = 2e-5


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


def _first_name() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="first_name",
        comparison_description="First name",
        comparison_levels=[
            cll.NullLevel("first_name"),
            cll.ExactMatchLevel("first_name", term_frequency_adjustments=True).configure(
                label_for_charts="Same first name"
            ),
            cll.ArrayIntersectLevel("first_name_variants", 1).configure(
                label_for_charts="Nickname of the same name (Bob and Robert)"
            ),
            cll.Or(cll.JaroWinklerLevel("first_name", 0.92), cll.DamerauLevenshteinLevel("first_name", 1)).configure(
                label_for_charts="First name spelt nearly the same"
            ),
            cll.ArrayIntersectLevel("given_names", 1).configure(label_for_charts="First and middle names swapped"),
            cll.JaroWinklerLevel("first_name", 0.8).configure(label_for_charts="First name spelt similarly"),
            SwappedNamesLevel().configure(label_for_charts="First name and surname swapped"),
            cll.CustomLevel(
                "first_name_l = surname_r or surname_l = first_name_r",
                label_for_charts="First name written as the other record's surname",
            ),
            cll.CustomLevel(
                "(length(first_name_l) = 1 or length(first_name_r) = 1)"
                " and substr(first_name_l, 1, 1) = substr(first_name_r, 1, 1)",
                label_for_charts="Initial only, and it agrees",
            ),
            cll.ElseLevel().configure(label_for_charts="Different first names"),
        ],
    )


def _surname() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="surname",
        comparison_description="Surname",
        comparison_levels=[
            cll.NullLevel("surname"),
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
            cll.NullLevel("date_of_birth"),
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
            cll.NullLevel("sex"),
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
                is_null_level=True, label_for_charts="No postcode to compare"
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
            cll.NullLevel("nhs_number"),
            cll.ExactMatchLevel("nhs_number").configure(label_for_charts="Same NHS number"),
            cll.DamerauLevenshteinLevel("nhs_number", 1).configure(label_for_charts="NHS number one digit different"),
            cll.ElseLevel().configure(label_for_charts="Different NHS numbers"),
        ],
    )


DESCRIPTIONS = {
    "first_name": "First name",
    "surname": "Surname",
    "date_of_birth": "Date of birth",
    "sex": "Sex",
    "home": "Address and postcode",
    "nhs_number": "NHS number",
}

COMPARISONS = {
    "first_name": _first_name,
    "surname": _surname,
    "date_of_birth": _date_of_birth,
    "sex": _sex,
    "home": _home,
    "nhs_number": _nhs_number,
}


# The column whose presence decides whether a comparison is used, where it is not the comparison's name.
FIELD_COLUMNS = {"home": "coalesce(postcode, address)"}


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


def train(linker: Linker, *, record_count: int, seed: int = 42) -> None:
    """Estimate the prior, u by random sampling and m by expectation maximisation."""
    linker.training.estimate_probability_two_random_records_match(list(DETERMINISTIC_RULES), recall=0.8)
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=seed)
    for rule in TRAINING_RULES:
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                rule,
                max_pairs=2e6 if record_count > 50_000 else None,
                populate_probability_two_random_records_match_from_trained_values=True,
            )
        except Exception as error:  # a rule that blocks no pairs on small data is skipped, not fatal
            logger.info("EM training with %s skipped: %s", rule, error)


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
    """Strengthen the weight against different first names as far as the records show twins: fully
    once twins are at least half of such pairs, in proportion below that."""
    model["hub_twin_share"] = round(share, 4)
    strength = min(1.0, 2 * share)
    for comparison in model["comparisons"]:
        if comparison["output_column_name"] != "first_name":
            continue
        level = comparison["comparison_levels"][-1]
        learnt = level["m_probability"]
        level["m_probability"] = math.exp((1 - strength) * math.log(learnt) + strength * math.log(TWIN_FIRST_NAMES_M))


def model_json(linker: Linker) -> dict[str, Any]:
    """The trained model as Splink saves it, named for the hub's set-up.

    A level that never occurred in the training data has no estimate; it is saved as neutral
    (m equal to u, so it moves the probability neither way) rather than left unusable.
    """
    saved = linker.misc.save_model_to_json()
    saved["hub_setup"] = HUB_SETUP_NAME
    for comparison in saved["comparisons"]:
        for level in comparison["comparison_levels"]:
            if level.get("is_null_level"):
                continue
            m, u = level.get("m_probability"), level.get("u_probability")
            if u is None:
                u = level["u_probability"] = 1e-6
            if m is None:
                level["m_probability"] = u
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
