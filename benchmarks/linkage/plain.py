"""Splink's plain set-up: the reference the hub's model is measured against.

What an analyst writes from Splink's documentation without tuning: name, date of birth, address
and postcode comparisons from the comparison library, five ordinary blocking rules, u by random
sampling and m by expectation maximisation. It gets the same light cleaning any analyst does
(lower case, trimmed, ISO dates), but none of the hub's standardisation.
"""

from __future__ import annotations

import splink.comparison_library as cl
from splink import Linker, SettingsCreator, block_on

BLOCKING_RULES = (
    ("first_name", "surname"),
    ("date_of_birth",),
    ("postcode",),
    ("address",),
    ("surname", "substr(date_of_birth, 1, 4)"),
)

PREPARE_SQL = """
select
    cast(record_id as varchar) as record_id,
    __SOURCE_DATASET__ as source_dataset,
    nullif(lower(trim(first_name)), '') as first_name,
    nullif(lower(trim(surname)), '') as surname,
    case
        when regexp_matches(trim(date_of_birth), '^[0-9]{8}$') then
            substr(trim(date_of_birth), 1, 4) || '-' || substr(trim(date_of_birth), 5, 2) || '-'
            || substr(trim(date_of_birth), 7, 2)
        when regexp_matches(trim(date_of_birth), '^[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}$') then
            strftime(try_strptime(trim(date_of_birth), '%d/%m/%Y'), '%Y-%m-%d')
        else nullif(trim(date_of_birth), '')
    end as date_of_birth,
    nullif(lower(trim(address)), '') as address,
    nullif(upper(trim(postcode)), '') as postcode
from __TABLE__
"""


def prepare(con, *, source: str, target: str, source_dataset: str) -> None:
    sql = PREPARE_SQL.replace("__TABLE__", source).replace("__SOURCE_DATASET__", f"'{source_dataset}'")
    con.execute(f"create or replace table {target} as {sql}")


def settings(link_type: str) -> SettingsCreator:
    return SettingsCreator(
        link_type=link_type,
        unique_id_column_name="record_id",
        comparisons=[
            cl.NameComparison("first_name"),
            cl.NameComparison("surname"),
            cl.DateOfBirthComparison("date_of_birth", input_is_string=True),
            cl.JaroWinklerAtThresholds("address", [0.9, 0.7]),
            cl.PostcodeComparison("postcode"),
        ],
        blocking_rules_to_generate_predictions=[block_on(*columns) for columns in BLOCKING_RULES],
        additional_columns_to_retain=["source_dataset"] if link_type != "dedupe_only" else [],
    )


def blocking_sql() -> list[str]:
    def side(prefix: str, column: str) -> str:
        return column.replace("date_of_birth", f"{prefix}.date_of_birth") if "(" in column else f"{prefix}.{column}"

    return [" and ".join(f"{side('l', c)} = {side('r', c)}" for c in columns) for columns in BLOCKING_RULES]


def train(linker: Linker, *, record_count: int, seed: int = 42) -> None:
    linker.training.estimate_probability_two_random_records_match(
        [block_on("first_name", "surname", "date_of_birth")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=seed)
    for rule in (block_on("first_name", "surname"), block_on("date_of_birth")):
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule, max_pairs=2e6 if record_count > 50_000 else None
        )
