"""Online matching: "this may be someone we already know" while a practitioner types.

`PeopleIndex` holds every known record standardised (an Arrow table) and, for each blocking key
the batch run uses, a sorted array of 64-bit key hashes. A new record is standardised by the same
SQL as the batch run, its keys hashed, the candidates found by binary search, and each candidate
scored in Python with the saved model's own m- and u-probabilities and term frequencies: the same
levels, in the same order, as Splink's SQL (the tests check that the two agree on every pair).
Nothing here calls Splink per request, which is what keeps a lookup in milliseconds.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
from rapidfuzz.distance import DamerauLevenshtein, JaroWinkler

from . import linkage_model
from .standardise import standardise_one, standardise_table

MAX_CANDIDATES_PER_KEY = 2000
TF_COLUMNS = ("first_name", "middle_names", "surname", "postcode")


# --- The comparison levels, as Python -----------------------------------------------------------
# Each function takes the new record and a known candidate as dicts of standardised values and
# returns the index of the level (0 is the null level) in the order the model defines them.


def _jw(a: str | None, b: str | None) -> float:
    return JaroWinkler.similarity(a, b) if a is not None and b is not None else 0.0


def _dl(a: str | None, b: str | None) -> float:
    return DamerauLevenshtein.distance(a, b) if a is not None and b is not None else math.inf


def _share(a: list | None, b: list | None, at_least: int = 1) -> bool:
    return a is not None and b is not None and len(set(a) & set(b)) >= at_least


def _eq(a: Any, b: Any) -> bool:
    return a is not None and b is not None and a == b


def _first_name(new: dict, known: dict) -> int:
    a, b = new["first_name"], known["first_name"]
    if a is None or b is None:
        return 0
    if a == b:
        return 1
    if _share(new["first_name_variants"], known["first_name_variants"]):
        return 2
    if _jw(a, b) >= 0.92 or _dl(a, b) <= 1:
        return 3
    if a in (known["given_names"] or ()) or b in (new["given_names"] or ()):
        return 4
    if _jw(a, b) >= 0.8:
        return 5
    if _swapped(new, known):
        return 6
    if _dl(a, known["surname"]) <= 1 or _dl(new["surname"], b) <= 1:
        return 7
    if (len(a) == 1 or len(b) == 1) and a[:1] == b[:1]:
        return 8
    return 9


def _swapped(new: dict, known: dict) -> bool:
    exact = _eq(new["first_name"], known["surname"]) and _eq(new["surname"], known["first_name"])
    return exact or (
        _jw(new["first_name"], known["surname"]) >= 0.9 and _jw(new["surname"], known["first_name"]) >= 0.9
    )


def _middle_names(new: dict, known: dict) -> int:
    a, b = new["middle_names"], known["middle_names"]
    if a is None or b is None:
        return 0
    if a == b:
        return 1
    if _share(new["given_names"], known["given_names"], 2):
        return 2
    if _jw(a, b) >= 0.88:
        return 3
    return 4


def _surname(new: dict, known: dict) -> int:
    a, b = new["surname"], known["surname"]
    if a is None or b is None:
        return 0
    if a == b:
        return 1
    if _jw(a, b) >= 0.92:
        return 2
    if _share(new["surname_parts"], known["surname_parts"]):
        return 3
    if _swapped(new, known):
        return 4
    if _jw(a, b) >= 0.8:
        return 5
    return 6


def _date_of_birth(new: dict, known: dict) -> int:
    a, b = new["date_of_birth"], known["date_of_birth"]
    if a is None or b is None:
        return 0
    if a == b:
        return 1
    if _eq(a, known["date_of_birth_swapped"]):
        return 2
    distance = _dl(a, b)
    if distance <= 1:
        return 3
    if distance <= 2:
        return 4
    return 5


def _sex(new: dict, known: dict) -> int:
    if new["sex"] is None or known["sex"] is None:
        return 0
    return 1 if new["sex"] == known["sex"] else 2


def _home(new: dict, known: dict) -> int:
    if new["postcode"] is None or known["postcode"] is None:
        return 0
    same_postcode = new["postcode"] == known["postcode"]
    same_house = _eq(new["house_number"], known["house_number"])
    if same_postcode and (
        _eq(new["address"], known["address"]) or (same_house and _jw(new["address"], known["address"]) >= 0.9)
    ):
        return 1
    if same_postcode and same_house and _share(new["address_words"], known["address_words"], 2):
        return 2
    if same_house and (
        _dl(new["postcode"], known["postcode"]) <= 1 or _share(new["address_words"], known["address_words"], 3)
    ):
        return 3
    if same_postcode:
        return 4
    if _dl(new["postcode"], known["postcode"]) <= 1 or _eq(new["postcode_sector"], known["postcode_sector"]):
        return 5
    if _eq(new["postcode_outward"], known["postcode_outward"]):
        return 6
    return 7


def _nhs_number(new: dict, known: dict) -> int:
    a, b = new["nhs_number"], known["nhs_number"]
    if a is None or b is None:
        return 0
    if a == b:
        return 1
    return 2 if _dl(a, b) <= 1 else 3


def _pupil_number(new: dict, known: dict) -> int:
    a, b = new["pupil_number"], known["pupil_number"]
    if a is None or b is None:
        return 0
    if a == b:
        return 1
    return 2 if _dl(a, b) <= 1 else 3


def _possible_twins(new: dict, known: dict) -> int:
    a, b = new["first_name"], known["first_name"]
    if a is None or b is None:
        return 1
    born_alike = (
        _eq(new["date_of_birth"], known["date_of_birth"])
        or _dl(new["date_of_birth"], known["date_of_birth"]) <= 1
        or _eq(new["date_of_birth"], known["date_of_birth_swapped"])
    )
    surname_alike = _eq(new["surname"], known["surname"]) or _jw(new["surname"], known["surname"]) >= 0.9
    if not born_alike or not surname_alike or _eq(new["nhs_number"], known["nhs_number"]):
        return 1
    agree = (
        a == b
        or _share(new["first_name_variants"], known["first_name_variants"])
        or _share(new["given_names"], known["given_names"])
        or _jw(a, b) >= 0.8
        or _dl(a, b) <= 1
        or a[:1] == b
        or b[:1] == a
    )
    return 1 if agree else 0


def _same_family(new: dict, known: dict) -> int:
    same_home = _eq(new["postcode"], known["postcode"]) and (
        _eq(new["address"], known["address"]) or _eq(new["house_number"], known["house_number"])
    )
    return 0 if same_home and _eq(new["surname"], known["surname"]) else 1


LEVEL_OF: dict[str, Callable[[dict, dict], int]] = {
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


@dataclass(frozen=True)
class Level:
    label: str
    weight: float  # log2(m / u); 0 for the null level
    tf_column: str | None = None
    tf_weight: float = 1.0
    tf_minimum_u: float = 0.0
    log2_u_exact: float = 0.0


@dataclass(frozen=True)
class ScoringModel:
    """The saved model's parameters, read once."""

    prior_weight: float
    comparisons: tuple[tuple[str, str, tuple[Level, ...]], ...]
    household_rule: bool = True  # off where the training records showed no families (`households_shown`)

    @classmethod
    def from_json(cls, model: dict) -> ScoringModel:
        prior = model["probability_two_random_records_match"]
        comparisons = []
        for comparison in model["comparisons"]:
            name = comparison["output_column_name"]
            if name not in LEVEL_OF:
                raise linkage_model.ModelFileInvalid(f"Online matching does not know the comparison “{name}”.")
            raw = comparison["comparison_levels"]
            exact_u = {}
            for level in raw:
                column = level.get("tf_adjustment_column")
                if column and not level.get("is_null_level") and exact_u.get(column) is None:
                    exact_u[column] = level["u_probability"]
            levels = []
            for level in raw:
                if level.get("is_null_level"):
                    levels.append(Level(level.get("label_for_charts", "Not recorded on both"), 0.0))
                    continue
                column = level.get("tf_adjustment_column")
                levels.append(
                    Level(
                        label=level.get("label_for_charts", ""),
                        weight=math.log2(level["m_probability"] / level["u_probability"]),
                        tf_column=column,
                        tf_weight=level.get("tf_adjustment_weight", 1.0),
                        tf_minimum_u=level.get("tf_minimum_u_value", 0.0),
                        log2_u_exact=math.log2(exact_u[column]) if column else 0.0,
                    )
                )
            comparisons.append((name, linkage_model.DESCRIPTIONS.get(name, name), tuple(levels)))
        return cls(math.log2(prior / (1 - prior)), tuple(comparisons), linkage_model.households_shown(model))

    def score(
        self,
        new: dict,
        known: dict,
        namesakes: set[tuple[str, str, str]] | None = None,
        births: linkage_model.Births | None = None,
    ) -> tuple[float, list[dict]]:
        """The match weight of the pair, and each comparison's step for the explanation; then the
        household rule (twins and siblings at most to review), as the batch run applies it, with the
        homes of namesakes (`linkage_model.namesake_homes`) and the births of twins
        (`linkage_model.twin_births`) that the index knows."""
        total = self.prior_weight
        steps = []
        for name, description, levels in self.comparisons:
            level = levels[LEVEL_OF[name](new, known)]
            adjustment = 0.0
            if level.tf_column:
                left, right = new.get(f"tf_{level.tf_column}"), known.get(f"tf_{level.tf_column}")
                left, right = (left if left is not None else right), (right if right is not None else left)
                if left is not None:
                    adjustment = level.tf_weight * (
                        level.log2_u_exact - math.log2(max(left, right, level.tf_minimum_u))
                    )
            weight = level.weight + adjustment
            total += weight
            steps.append(
                {
                    "comparison": name,
                    "description": description,
                    "level": level.label,
                    "weight": round(weight, 3),
                    "frequency_adjustment": round(adjustment, 3),
                }
            )
        if (
            self.household_rule
            and total > linkage_model.HOUSEHOLD_RULE_WEIGHT
            and (reason := linkage_model.household_conflict(new, known, namesakes, births))
        ):
            steps.append(linkage_model.household_rule_step(linkage_model.HOUSEHOLD_RULE_WEIGHT - total, reason))
            total = linkage_model.HOUSEHOLD_RULE_WEIGHT
        return total, steps


def probability_of(weight: float) -> float:
    if weight > 60:
        return 1.0
    odds = 2.0**weight
    return odds / (1 + odds)


# --- The index ----------------------------------------------------------------------------------


def _signature_sql(keys: tuple[str, ...]) -> str:
    parts = [linkage_model.key_sql("t", key).replace("t.", "") for key in keys]
    present = " and ".join(f"{part} is not null and {part} <> ''" for part in parts)
    return f"case when {present} then hash({', '.join(parts)}) end"


def _signatures() -> tuple[list[tuple[str, ...]], list[tuple[int, int]]]:
    """Every side of every blocking rule, once; and for each rule, (its left side, its right side)."""
    signatures: list[tuple[str, ...]] = []
    rules = []
    for rule in linkage_model.BLOCKING_KEYS:
        sides = []
        for side in (tuple(left for left, _ in rule), tuple(right for _, right in rule)):
            if side not in signatures:
                signatures.append(side)
            sides.append(signatures.index(side))
        rules.append((sides[0], sides[1]))
    return signatures, rules


def _key_value(row: dict, key: str) -> str | None:
    column, _, length = key.partition(":")
    value = row.get(column)
    if not value:
        return None
    return value[: int(length)] if length else value


@dataclass(frozen=True)
class Candidate:
    record_id: str
    match_probability: float
    match_weight: float
    explanation: dict
    person_id: int | None = None


@dataclass
class PeopleIndex:
    """Known people's standardised records and the blocking-key indexes over them."""

    records: pa.Table
    model: ScoringModel
    hashes: list[tuple[np.ndarray, np.ndarray]]
    tf: dict[str, dict[str, float]]
    con: duckdb.DuckDBPyConnection
    lock: threading.Lock = field(default_factory=threading.Lock)
    # Homes of people of one name born years apart (the household rule's "namesakes"), with the new record's
    # own home added when a query's name and date of birth make one.
    namesakes: set[tuple[str, str, str]] = field(default_factory=set)
    # Births that show two or more first names (the household rule's "twin_names"). A query's own record
    # never adds one that matters: the rule asks of a pair whether a third record is known.
    births: linkage_model.Births = field(default_factory=dict)

    @classmethod
    def build(cls, con: duckdb.DuckDBPyConnection, raw_table: str, model: dict) -> PeopleIndex:
        """Index the raw records in `raw_table` (link_files' columns, plus an optional person_id)."""
        standardise_table(con, source=raw_table, target="hub_online_people")
        columns = {row[0] for row in con.execute(f"describe {raw_table}").fetchall()}
        person = "r.person_id" if "person_id" in columns else "null::bigint"
        frequencies = ", ".join(
            f"case when p.{column} is not null then count(*) over (partition by p.{column})"
            f" / count(p.{column}) over () end as tf_{column}"
            for column in TF_COLUMNS
        )
        con.execute(
            f"create or replace table hub_online_people as select p.*, {person} as person_id, {frequencies}"
            f" from hub_online_people p join {raw_table} r on cast(r.record_id as varchar) = p.record_id"
            " order by p.record_id"
        )
        tf: dict[str, dict[str, float]] = {}
        for column in TF_COLUMNS:
            rows = con.execute(
                f"select {column}, count(*) / sum(count(*)) over () from hub_online_people"
                f" where {column} is not null group by {column}"
            ).fetchall()
            tf[column] = dict(rows)
        signatures, _ = _signatures()
        select = ", ".join(f"{_signature_sql(keys)} as k{index}" for index, keys in enumerate(signatures))
        # One scan for the records and their keys: two scans need not return rows in the same order.
        keyed = con.sql(f"select *, {select} from hub_online_people t").to_arrow_table()
        namesakes = linkage_model.namesake_homes(con, "hub_online_people")
        births = linkage_model.twin_births(con, "hub_online_people")
        hashes = []
        for index in range(len(signatures)):
            column = keyed.column(f"k{index}").combine_chunks()
            present = column.is_valid()
            rows = np.nonzero(present.to_numpy(zero_copy_only=False))[0].astype(np.int32)
            values = column.filter(present).to_numpy()
            order = np.argsort(values, kind="stable")
            hashes.append((values[order], rows[order]))
        records = keyed.drop_columns([f"k{index}" for index in range(len(signatures))])
        con.execute("drop table hub_online_people")
        query_con = duckdb.connect()
        index = cls(
            records=records,
            model=ScoringModel.from_json(model),
            hashes=hashes,
            tf=tf,
            con=query_con,
            namesakes=namesakes,
            births=births,
        )
        index.prime()
        return index

    def prime(self) -> None:
        """Look up one indexed record as if typed in, so that what the first real lookup would otherwise
        wait for (the nicknames table, the hashing query, the scoring and household rule's first use) is
        loaded while the worker starts, and the first query after start is as fast as the rest."""
        if not self.size:
            return
        known = self.records.slice(0, 1).to_pylist()[0]
        self.find({column: known.get(column) for column in FIELDS_TO_PRIME}, minimum=0.0)

    def add(self, con: duckdb.DuckDBPyConnection, raw_table: str) -> PeopleIndex:
        """A new index holding these records and the raw records in `raw_table` (newly registered people).

        Far cheaper than a rebuild: only the new records are standardised and hashed, and each key's
        sorted array is merged. Term frequencies stay those of the last full build (a few new records
        barely move them; `hub_index` rebuilds in full once many have arrived)."""
        standardise_table(con, source=raw_table, target="hub_online_new")
        columns = {row[0] for row in con.execute(f"describe {raw_table}").fetchall()}
        person = "r.person_id" if "person_id" in columns else "null::bigint"
        signatures, _ = _signatures()
        select = ", ".join(f"{_signature_sql(keys)} as k{index}" for index, keys in enumerate(signatures))
        keyed = con.sql(
            f"select t.*, {select} from (select p.*, {person} as person_id from hub_online_new p"
            f" join {raw_table} r on cast(r.record_id as varchar) = p.record_id order by p.record_id) t"
        ).to_arrow_table()
        con.execute("drop table hub_online_new")
        for column in TF_COLUMNS:
            frequencies = [
                self.tf[column].get(value) if value is not None else None for value in keyed.column(column).to_pylist()
            ]
            keyed = keyed.append_column(f"tf_{column}", pa.array(frequencies, pa.float64()))
        offset = self.size
        hashes = []
        for index, (sorted_hashes, rows) in enumerate(self.hashes):
            column = keyed.column(f"k{index}").combine_chunks()
            present = column.is_valid()
            new_rows = np.nonzero(present.to_numpy(zero_copy_only=False))[0].astype(np.int32) + offset
            values = np.concatenate([sorted_hashes, column.filter(present).to_numpy().astype(sorted_hashes.dtype)])
            order = np.argsort(values, kind="stable")
            hashes.append((values[order], np.concatenate([rows, new_rows])[order]))
        added = keyed.select(self.records.schema.names).cast(self.records.schema)
        records = pa.concat_tables([self.records, added]).combine_chunks()
        return PeopleIndex(
            records=records,
            model=self.model,
            hashes=hashes,
            tf=self.tf,
            con=self.con,
            lock=self.lock,
            namesakes=self.namesakes | _new_namesake_homes(records, added),
            # the births of the new records' birthdays, worked out afresh from every record born on those days
            births={**self.births, **_new_twin_births(records, added)},
        )

    @property
    def size(self) -> int:
        return self.records.num_rows

    def _standardise(self, fields: dict[str, Any]) -> tuple[dict, list[int | None]]:
        """The new record standardised, and its hash for every key signature (None where a part is missing).

        The hashes come from DuckDB's own hash function, so they equal the index's.
        """
        row = standardise_one(fields)
        for column in TF_COLUMNS:
            row[f"tf_{column}"] = self.tf[column].get(row[column]) if row[column] is not None else None
        signatures, _ = _signatures()
        complete: list[int] = []
        values: list[str] = []
        for index, keys in enumerate(signatures):
            parts = [_key_value(row, key) for key in keys]
            if all(parts):
                complete.append(index)
                values.extend(parts)
        hashes: list[int | None] = [None] * len(signatures)
        if complete:
            select = ", ".join("hash(" + ", ".join("?::varchar" for _ in signatures[index]) + ")" for index in complete)
            with self.lock:
                found = self.con.execute(f"select {select}", values).fetchall()[0]
            for index, value in zip(complete, found, strict=True):
                hashes[index] = value
        return row, hashes

    def candidates(self, keys: list[int | None]) -> np.ndarray:
        _, rules = _signatures()
        found: list[np.ndarray] = []
        for left, right in rules:
            for mine, theirs in ((left, right), (right, left)):
                value = keys[mine]
                if value is None:
                    continue
                sorted_hashes, rows = self.hashes[theirs]
                start = np.searchsorted(sorted_hashes, np.uint64(value), side="left")
                end = np.searchsorted(sorted_hashes, np.uint64(value), side="right")
                if end > start:
                    found.append(rows[start : min(end, start + MAX_CANDIDATES_PER_KEY)])
        if not found:
            return np.empty(0, dtype=np.int32)
        return np.unique(np.concatenate(found))

    def find(self, fields: dict[str, Any], *, limit: int = 5, minimum: float = 0.5) -> list[Candidate]:
        new, keys = self._standardise(fields)
        rows = self.candidates(keys)
        if not len(rows):
            return []
        scored = []
        candidates = self.records.take(pa.array(rows)).to_pylist()
        extra = _namesake_homes_with(new, candidates)
        namesakes = self.namesakes | extra if extra else self.namesakes  # no copy of the set on most queries
        for candidate in candidates:
            weight, steps = self.model.score(new, candidate, namesakes, self.births)
            probability = probability_of(weight)
            if probability >= minimum:
                scored.append((weight, probability, steps, candidate))
        scored.sort(key=lambda item: -item[0])
        best: list[Candidate] = []
        seen_people: set = set()
        for weight, probability, steps, candidate in scored:
            person = candidate.get("person_id")
            if person is not None and person in seen_people:
                continue
            seen_people.add(person)
            best.append(
                Candidate(
                    record_id=candidate["record_id"],
                    match_probability=probability,
                    match_weight=weight,
                    explanation={
                        "prior_weight": round(self.model.prior_weight, 3),
                        "steps": steps,
                        "match_weight": round(weight, 3),
                    },
                    person_id=person,
                )
            )
            if len(best) == limit:
                break
        return best


FIELDS_TO_PRIME = ("first_name", "middle_names", "surname", "date_of_birth", "sex", "address", "postcode")


def _namesake_homes_with(new: dict, candidates: list[dict]) -> set[tuple[str, str, str]]:
    """A home the new record itself makes one of namesakes (its name, a date of birth more than YEARS_APART
    from a known record's of the same name there), as the batch run, holding both, would find it."""
    key = linkage_model.namesake_key(new)
    if key is None or not new.get("birth_year"):
        return set()
    for known in candidates:
        if linkage_model.namesake_key(known) == key and known.get("birth_year"):
            try:
                if abs(int(known["birth_year"]) - int(new["birth_year"])) > linkage_model.YEARS_APART:
                    return {key}
            except ValueError:
                continue
    return set()


def _new_namesake_homes(records: pa.Table, added: pa.Table) -> set[tuple[str, str, str]]:
    """Homes that newly registered records make homes of namesakes, looking only at those homes' records."""
    import pyarrow.compute as pc

    keys = {linkage_model.namesake_key(row) for row in added.select(["postcode", "first_name", "surname"]).to_pylist()}
    keys.discard(None)
    if not keys:
        return set()
    at_home = records.filter(pc.is_in(records["postcode"], pa.array(sorted({key[0] for key in keys}))))
    con = duckdb.connect()
    con.register("hub_at_home", at_home.select(["postcode", "first_name", "surname", "birth_year"]))
    homes = linkage_model.namesake_homes(con, "hub_at_home")
    con.close()
    return homes & keys


def _new_twin_births(records: pa.Table, added: pa.Table) -> linkage_model.Births:
    """Births that newly registered records make births of two or more first names, looking only at the records
    born on those days."""
    import pyarrow.compute as pc

    days = sorted({day for day in added["date_of_birth"].to_pylist() if day})
    if not days:
        return {}
    born = records.filter(pc.is_in(records["date_of_birth"], pa.array(days)))
    con = duckdb.connect()
    con.register(
        "hub_born",
        born.select(["date_of_birth", "first_name", "surname", "given_names", "nhs_number", "pupil_number"]),
    )
    births = linkage_model.twin_births(con, "hub_born")
    con.close()
    return births


def score_pairs(index: PeopleIndex, pairs: Iterable[tuple[int, int]]) -> list[float]:
    """Match probabilities of pairs of indexed rows (for checking online scores against the batch's)."""
    rows = index.records.to_pylist()
    return [probability_of(index.model.score(rows[a], rows[b], index.namesakes, index.births)[0]) for a, b in pairs]


# --- The hub's own index, for the forms -----------------------------------------------------------

_hub_index: tuple[tuple, PeopleIndex] | None = None
_hub_lock = threading.Lock()

# New records are added to the index in place of a rebuild up to this share of its size (the term
# frequencies are those of the last rebuild, so it is rebuilt in full once many have arrived).
INCREMENTAL_SHARE = 0.1


def _load_records(index_con: duckdb.DuckDBPyConnection, records=None) -> None:
    from . import services

    table = services.records_table(records)
    index_con.register("hub_people_arrow", table)
    index_con.execute("create or replace table hub_people as select * from hub_people_arrow")
    index_con.unregister("hub_people_arrow")


def hub_index() -> PeopleIndex | None:
    """The index of every PersonRecord with the current model, kept current: records registered since it
    was built are added to it, and it is rebuilt when the model changes, a record is changed or removed,
    or many have been added."""
    global _hub_index
    from django.db.models import Count, Max

    from . import services
    from .models import LinkageModelVersion, PersonRecord

    version = LinkageModelVersion.objects.order_by("-version").first()
    if version is None:
        return None
    state = PersonRecord.objects.aggregate(count=Count("pk"), last=Max("pk"))
    key = (version.pk, state["count"], state["last"], services.records_changed_marker())
    with _hub_lock:
        if _hub_index is not None and _hub_index[0] == key:
            return _hub_index[1]
        if _hub_index is not None:
            (built_version, count, last, marker), index = _hub_index
            new = PersonRecord.objects.filter(pk__gt=last or 0).order_by("pk")
            added = state["count"] - count
            if (
                built_version == version.pk
                and marker == key[3]
                and 0 < added <= max(100, index.size * INCREMENTAL_SHARE)
                and new.count() == added
            ):
                con = duckdb.connect()
                _load_records(con, new)
                index = index.add(con, "hub_people")
                con.close()
                _hub_index = (key, index)
                return index
        model = services.current_model().model_json
        con = duckdb.connect()
        _load_records(con)
        index = PeopleIndex.build(con, "hub_people", model)
        con.close()
        _hub_index = (key, index)
        return index


def warm_up(*, background: bool = True) -> threading.Thread | None:
    """Build the index as the worker starts (called from `hub/wsgi.py`), so the first practitioner to open a
    triage page does not wait for it. In a thread by default: the worker takes requests meanwhile, and one
    that needs the index waits for the build under the lock instead of starting another."""
    import logging

    def build() -> None:
        try:
            index = hub_index()
            if index is not None:
                logging.getLogger(__name__).info("Online matching index built: %d records", index.size)
        except Exception:  # no database yet (a fresh install) or no model: the first lookup builds it
            logging.getLogger(__name__).warning("Online matching index not built at start", exc_info=True)
        finally:
            from django.db import connection

            connection.close()

    if not background:
        build()
        return None
    thread = threading.Thread(target=build, name="linkage-index-warm-up", daemon=True)
    thread.start()
    return thread


def find_matches(fields: dict[str, Any], *, limit: int = 5, minimum: float | None = None) -> list[Candidate]:
    """The people the hub already knows who best match `fields` (link_files' column names), best first,
    each with its match probability and the explanation of its score. One candidate per person."""
    from .models import PersonRecord

    index = hub_index()
    if index is None:
        return []
    found = index.find(fields, limit=limit * 3, minimum=minimum if minimum is not None else 0.5)
    people = dict(
        PersonRecord.objects.filter(pk__in=[int(candidate.record_id) for candidate in found]).values_list(
            "pk", "person_id"
        )
    )
    best: list[Candidate] = []
    seen: set[int] = set()
    for candidate in found:
        person = people.get(int(candidate.record_id))
        if person is None or person in seen:
            continue
        seen.add(person)
        best.append(
            Candidate(
                record_id=candidate.record_id,
                match_probability=candidate.match_probability,
                match_weight=candidate.match_weight,
                explanation=candidate.explanation,
                person_id=person,
            )
        )
        if len(best) == limit:
            break
    return best
