"""Every write of record linkage: training and saving the model, the batch run, the team's
decisions, unlinking, and regrouping records into people. Each writes in one transaction with
its audit entry."""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Iterable
from typing import Any

import pyarrow as pa
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from apps.audit.models import AuditAction
from apps.audit.services import record as audit

from . import extracts, linkage_model, pipeline, sources
from .models import AgencyExtract, CandidatePair, LinkageModelVersion, LinkageRun, Person, PersonRecord, ReviewDecision

logger = logging.getLogger(__name__)

MINIMUM_TRAINING_RECORDS = 200


class NoModel(Exception):
    """No linkage model has been trained yet."""


class NotEnoughRecords(Exception):
    """Too few records to learn from."""


class AlreadyDecided(Exception):
    """The pair is not waiting for a decision (someone else decided it first)."""


class NotLinked(Exception):
    """Only a linked pair can be unlinked."""


def current_model() -> LinkageModelVersion:
    """The newest trained model, checked before use (a model that does not load refuses to run)."""
    version = LinkageModelVersion.objects.order_by("-version").first()
    if version is None:
        raise NoModel("No linkage model has been trained yet: run `manage.py train_linkage_model`.")
    import json

    linkage_model.load_model(json.dumps(version.model_json))
    return version


def records_table(records: Iterable[PersonRecord] | None = None) -> pa.Table:
    """People's records as the linkage pipeline reads them (record_id is the record's primary key)."""
    rows = records if records is not None else PersonRecord.objects.all().iterator(chunk_size=5000)
    columns: dict[str, list] = {name: [] for name in pipeline.FILE_COLUMNS + pipeline.OPTIONAL_FILE_COLUMNS}
    for row in rows:
        columns["record_id"].append(str(row.pk))
        columns["first_name"].append(row.first_name)
        columns["middle_names"].append(row.middle_names)
        columns["surname"].append(row.surname)
        columns["date_of_birth"].append(row.date_of_birth.isoformat() if row.date_of_birth else "")
        columns["sex"].append(row.sex)
        columns["address"].append(row.address)
        columns["postcode"].append(row.postcode)
        columns["nhs_number"].append(row.nhs_number)
        columns["pupil_number"].append(row.pupil_number)
    return pa.table({name: pa.array(values, pa.string()) for name, values in columns.items()})


def _load(con, table: pa.Table) -> None:
    con.register("hub_people_arrow", table)
    con.execute("create or replace table hub_people as select * from hub_people_arrow")
    con.unregister("hub_people_arrow")


def train_model(*, by: Any = None, seed: int = 42) -> LinkageModelVersion:
    """Train the hub's model on every record it holds and keep it as the next version."""
    table = records_table()
    if table.num_rows < MINIMUM_TRAINING_RECORDS:
        raise NotEnoughRecords(
            f"The hub holds {table.num_rows} records; at least {MINIMUM_TRAINING_RECORDS} are needed to train a model."
        )
    started = time.perf_counter()
    con = pipeline.connect()
    _load(con, table)
    result = pipeline.run(con, ["hub_people"], threshold=linkage_model.AUTO_LINK_THRESHOLD, seed=seed)
    con.close()
    return save_model_version(
        model=result.model, record_count=table.num_rows, by=by, seconds=time.perf_counter() - started
    )


def save_model_version(
    *, model: dict[str, Any], record_count: int, by: Any = None, seconds: float = 0.0
) -> LinkageModelVersion:
    import json

    linkage_model.load_model(json.dumps(model))
    for attempt in range(3):
        try:
            with transaction.atomic():
                # Lock the newest version's row (an aggregate cannot take FOR UPDATE): a second training
                # saving at the same moment waits here and then takes the number after it.
                latest = (
                    LinkageModelVersion.objects.select_for_update()
                    .order_by("-version")
                    .values_list("version", flat=True)
                    .first()
                )
                version = LinkageModelVersion.objects.create(
                    version=(latest or 0) + 1,
                    model_json=model,
                    record_count=record_count,
                    trained_by=by,
                    training_seconds=seconds,
                )
                audit(action=AuditAction.CREATE, actor=by, obj=version, detail=f"trained on {record_count} records")
        except IntegrityError:  # the very first version, saved by two trainings at once: take the next number
            if attempt == 2:
                raise
        else:
            return version


def sync_sources(*, by: Any = None) -> int:
    """Copy each registered source's people into PersonRecord (new ones added, changed ones updated;
    a person the source no longer yields is left as it was). Returns how many records changed."""
    changed = 0
    for source in sources.registered():
        for person in source.people():
            with transaction.atomic():
                _, did_change = register_record(source=source, person=person, by=by)
            changed += did_change
    return changed


def register_record(*, source: Any, person: sources.SourcedPerson, by: Any = None) -> tuple[PersonRecord, bool]:
    """One person of one of the hub's own sources, added or brought up to date (in the caller's transaction).
    Returns the record and whether it changed."""
    fields = {
        "first_name": person.first_name,
        "middle_names": person.middle_names,
        "surname": person.surname,
        "date_of_birth": person.date_of_birth,
        "sex": person.sex,
        "address": person.address,
        "postcode": person.postcode,
        "nhs_number": person.nhs_number,
        "pupil_number": person.pupil_number,
        "agency": person.agency,
    }
    # A source's longer answer is cut to the column (PostgreSQL would refuse it whole).
    for name, value in fields.items():
        if isinstance(value, str):
            fields[name] = value.strip()[: PersonRecord._meta.get_field(name).max_length]
    existing = PersonRecord.objects.filter(
        source=source.key, organisation=None, source_reference=person.reference
    ).first()
    if existing is None:
        record = PersonRecord.objects.create(
            source=source.key, source_reference=person.reference, person=Person.objects.create(), **fields
        )
        audit(action=AuditAction.CREATE, actor=by, obj=record, detail=f"from {source.label}")
        return record, True
    if any(getattr(existing, name) != value for name, value in fields.items()):
        PersonRecord.objects.filter(pk=existing.pk).update(**fields)
        transaction.on_commit(mark_records_changed)
        audit(action=AuditAction.CHANGE, actor=by, obj=existing, detail=f"updated from {source.label}")
        existing.refresh_from_db()
        return existing, True
    return existing, False


RECORDS_CHANGED_KEY = "linkage:records-changed"


def mark_records_changed() -> None:
    """Tell every process's online index (`online.hub_index`) that a record changed, so it is rebuilt.
    New records need no telling: the index sees them by their ids and adds them."""
    from django.core.cache import cache

    cache.set(RECORDS_CHANGED_KEY, timezone.now().isoformat(), None)


def records_changed_marker() -> str | None:
    from django.core.cache import cache

    return cache.get(RECORDS_CHANGED_KEY)


def queue_for_review(*, record: PersonRecord, candidate: Any, by: Any = None) -> CandidatePair | None:
    """Put a pair that online matching found (`online.Candidate`) in the Supporting Families team's review
    queue, unless the two records already form a pair (whatever became of it: a person's decision stands)."""
    other = int(candidate.record_id)
    if other == record.pk:
        return None
    low, high = sorted((record.pk, other))
    if CandidatePair.objects.filter(record_a_id=low, record_b_id=high).exists():
        return None
    pair = CandidatePair.objects.create(
        record_a_id=low,
        record_b_id=high,
        match_probability=min(max(candidate.match_probability, 0.0), 1.0),
        match_weight=candidate.match_weight,
        explanation=candidate.explanation,
        model_version=LinkageModelVersion.objects.order_by("-version").first(),
        status=CandidatePair.Status.QUEUED,
        decided_at=timezone.now(),
    )
    audit(action=AuditAction.CREATE, actor=by, obj=pair, detail="queued for review by online matching")
    return pair


def explanation_of(row: dict[str, Any], model: dict[str, Any]) -> dict[str, Any]:
    """The prior and, for each comparison, the level the pair fell in and the weight it added."""
    import math

    prior = model["probability_two_random_records_match"]
    steps = []
    for comparison in model["comparisons"]:
        name = comparison["output_column_name"]
        gamma = row.get(f"gamma_{name}")
        levels = [level for level in comparison["comparison_levels"] if not level.get("is_null_level")]
        if gamma is None or gamma < 0:
            label = next(
                (
                    level.get("label_for_charts", "")
                    for level in comparison["comparison_levels"]
                    if level.get("is_null_level")
                ),
                "Not recorded on both",
            )
        else:
            label = levels[len(levels) - 1 - gamma].get("label_for_charts", "")
        weight = float(row.get(f"mw_{name}") or 0.0)
        adjustment = float(row.get(f"mw_tf_adj_{name}") or 0.0)
        steps.append(
            {
                "comparison": name,
                "description": linkage_model.DESCRIPTIONS.get(name, name),
                "level": label,
                "weight": round(weight + adjustment, 3),
                "frequency_adjustment": round(adjustment, 3),
            }
        )
    lowered = float(row.get("hub_household_rule") or 0.0)
    if lowered:
        steps.append(linkage_model.household_rule_step(lowered, row.get("hub_household_reason") or "twins"))
    return {
        "prior_weight": round(math.log2(prior / (1 - prior)), 3),
        "steps": steps,
        "match_weight": round(float(row["match_weight"]), 3),
    }


def link_people(
    *,
    by: Any = None,
    auto_link: float = linkage_model.AUTO_LINK_THRESHOLD,
    review: float = linkage_model.REVIEW_THRESHOLD,
) -> LinkageRun:
    """Score every pair the model's blocking finds, link the sure ones, queue the uncertain ones.

    A pair a person decided is left exactly as they decided it (never queued again). Pairs the
    model decided before are re-scored: linked, queued or, below the review threshold, not linked.
    """
    version = current_model()
    sync_sources(by=by)
    table = records_table()
    con = pipeline.connect()
    _load(con, table)
    scored: list[dict[str, Any]] = []
    if table.num_rows > 1:
        result = pipeline.run(con, ["hub_people"], model=version.model_json, threshold=review)
        cursor = con.execute(f"select * from {result.predictions}")
        names = [column[0] for column in cursor.description]
        scored = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    con.close()

    now = timezone.now()
    with transaction.atomic():
        run = LinkageRun.objects.create(model_version=version, started_by=by, record_count=table.num_rows)
        existing = {(pair.record_a_id, pair.record_b_id): pair for pair in CandidatePair.objects.select_for_update()}
        seen: set[tuple[int, int]] = set()
        creates, updates = [], []
        for row in scored:
            a, b = sorted((int(row["record_id_l"]), int(row["record_id_r"])))
            seen.add((a, b))
            probability = float(row["match_probability"])
            # A pair the household rule caught (twins, siblings) is never linked without a person.
            sure = probability >= auto_link and not row.get("hub_household_rule")
            status = CandidatePair.Status.LINKED if sure else CandidatePair.Status.QUEUED
            pair = existing.get((a, b))
            if pair is not None and pair.decided_by_id is not None:
                run.kept_decisions += 1
                continue
            if (
                pair is not None
                and pair.status == CandidatePair.Status.NOT_SURE
                and status == CandidatePair.Status.QUEUED
            ):
                status = CandidatePair.Status.NOT_SURE
            values = {
                "match_probability": probability,
                "match_weight": float(row["match_weight"]),
                "explanation": explanation_of(row, version.model_json),
                "model_version": version,
                "run": run,
                "status": status,
            }
            if pair is None:
                creates.append(CandidatePair(record_a_id=a, record_b_id=b, decided_at=now, **values))
            else:
                if pair.status != status:
                    values["decided_at"] = now
                for key, value in values.items():
                    setattr(pair, key, value)
                updates.append(pair)
            if status == CandidatePair.Status.LINKED:
                run.auto_linked += 1
            else:
                run.queued += 1
        CandidatePair.objects.bulk_create(creates, batch_size=1000)
        CandidatePair.objects.bulk_update(
            updates,
            ["match_probability", "match_weight", "explanation", "model_version", "run", "status", "decided_at"],
            batch_size=1000,
        )
        dropped = [
            pair.pk
            for key, pair in existing.items()
            if key not in seen and pair.decided_by_id is None and pair.status != CandidatePair.Status.NOT_LINKED
        ]
        CandidatePair.objects.filter(pk__in=dropped).update(status=CandidatePair.Status.NOT_LINKED, decided_at=now)
        run.pairs_scored = len(scored)
        run.finished_at = timezone.now()
        run.save()
        regroup_people()
        audit(
            action=AuditAction.CREATE,
            actor=by,
            obj=run,
            detail=(
                f"model version {version.version}: {run.pairs_scored} pairs scored, {run.auto_linked} linked "
                f"automatically, {run.queued} queued for review, {run.kept_decisions} decided by a person kept"
            ),
        )
    return run


# The team's "Run linkage now" claims a run until it ends, so pressing it twice starts one. The claim
# lapses after a few hours in case a worker died mid-run.
RUN_CLAIM_KEY = "linkage:run-claimed"
RUN_CLAIM_SECONDS = 4 * 60 * 60


def claim_linkage_run() -> bool:
    """True if no run started from the button is waiting or running (and claims one); False otherwise."""
    from django.core.cache import cache

    return cache.add(RUN_CLAIM_KEY, timezone.now().isoformat(), RUN_CLAIM_SECONDS)


def release_linkage_run() -> None:
    from django.core.cache import cache

    cache.delete(RUN_CLAIM_KEY)


def regroup_people() -> None:
    """Make each group of records joined by linked pairs one Person (connected components).

    A group keeps the Person that most of its records already had, so people's pages stay put
    as links are added; a group that an unlink split off gets a new Person.
    """
    parent: dict[int, int] = {}

    def find(node: int) -> int:
        root = node
        while parent.get(root, root) != root:
            root = parent[root]
        while parent.get(node, node) != root:
            parent[node], node = root, parent[node]
        return root

    for a, b in CandidatePair.objects.filter(status=CandidatePair.Status.LINKED).values_list("record_a", "record_b"):
        root_a, root_b = find(a), find(b)
        if root_a != root_b:
            parent[max(root_a, root_b)] = min(root_a, root_b)
    groups: dict[int, list[tuple[int, int]]] = {}
    for record_id, person_id in PersonRecord.objects.values_list("pk", "person_id"):
        groups.setdefault(find(record_id), []).append((record_id, person_id))
    taken: set[int] = set()
    moves: dict[int, list[int]] = {}
    for members in sorted(groups.values(), key=len, reverse=True):
        counts: dict[int, int] = {}
        for _, person_id in members:
            counts[person_id] = counts.get(person_id, 0) + 1
        choice = next(
            (
                person
                for person, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
                if person not in taken
            ),
            None,
        )
        if choice is None:
            choice = Person.objects.create().pk
        taken.add(choice)
        for record_id, person_id in members:
            if person_id != choice:
                moves.setdefault(choice, []).append(record_id)
    for person_id, record_ids in moves.items():
        for start in range(0, len(record_ids), 900):
            PersonRecord.objects.filter(pk__in=record_ids[start : start + 900]).update(person_id=person_id)
    Person.objects.filter(records__isnull=True).delete()


def decide(*, pair: CandidatePair, decision: str, by: Any, note: str = "") -> CandidatePair:
    """The Supporting Families team's decision on a queued pair: match, not a match, or not sure.

    A pair the model linked automatically may be checked the same way (see `is_check`): "match" confirms
    the link, "not a match" undoes it, "not sure" sends it to the queue. Checks are the labelled sample
    from which the team's settings page estimates precision above the auto-link threshold."""
    if decision not in {
        ReviewDecision.Decision.MATCH,
        ReviewDecision.Decision.NOT_A_MATCH,
        ReviewDecision.Decision.NOT_SURE,
    }:
        raise ValueError(f"unknown decision {decision!r}")
    with transaction.atomic():
        locked = CandidatePair.objects.select_for_update().get(pk=pair.pk)
        checking = is_check(locked)
        if locked.status not in (CandidatePair.Status.QUEUED, CandidatePair.Status.NOT_SURE) and not checking:
            raise AlreadyDecided("This pair has already been decided.")
        locked.status = {
            ReviewDecision.Decision.MATCH: CandidatePair.Status.LINKED,
            ReviewDecision.Decision.NOT_A_MATCH: CandidatePair.Status.NOT_LINKED,
            ReviewDecision.Decision.NOT_SURE: CandidatePair.Status.NOT_SURE,
        }[decision]
        if decision != ReviewDecision.Decision.NOT_SURE:
            locked.decided_by = by
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "decided_by", "decided_at"])
        ReviewDecision.objects.create(pair=locked, decision=decision, decided_by=by, note=note)
        detail = f"review decision: {decision}" + (" (check of an automatic link)" if checking else "")
        audit(action=AuditAction.CHANGE, actor=by, obj=locked, detail=detail)
        if decision == ReviewDecision.Decision.MATCH and not checking:
            regroup_people()
            sources.tell_of_confirmed_link(locked.record_a, locked.record_b, by=by)
        elif checking and decision != ReviewDecision.Decision.MATCH:
            regroup_people()  # the link is undone: the records are two people again (until a person decides)
    return locked


def is_check(pair: CandidatePair) -> bool:
    """A pair the model linked on its own, which nobody has decided yet: the team may check it."""
    return pair.status == CandidatePair.Status.LINKED and pair.decided_by_id is None


def unlink(*, pair: CandidatePair, by: Any, note: str = "") -> CandidatePair:
    """Undo a link (automatic or a person's); the pair is then a person's decision and never queued again."""
    with transaction.atomic():
        locked = CandidatePair.objects.select_for_update().get(pk=pair.pk)
        if locked.status != CandidatePair.Status.LINKED:
            raise NotLinked("Only linked records can be unlinked.")
        locked.status = CandidatePair.Status.NOT_LINKED
        locked.decided_by = by
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "decided_by", "decided_at"])
        ReviewDecision.objects.create(pair=locked, decision=ReviewDecision.Decision.UNLINK, decided_by=by, note=note)
        audit(action=AuditAction.CHANGE, actor=by, obj=locked, detail="unlinked", reason=note)
        regroup_people()
    return locked


def queue_filter() -> Q:
    return Q(status__in=[CandidatePair.Status.QUEUED, CandidatePair.Status.NOT_SURE])


# --- Agency extracts ---------------------------------------------------------------------------

# An extract waits for its column mapping, then for the team's decision; after a week it is expired.
UNDECIDED_STATUSES = (AgencyExtract.Status.MAPPING, AgencyExtract.Status.CHECKED)
UNDECIDED_EXTRACT_DAYS = 7


def _upload_folder():
    from django.conf import settings

    folder = settings.PROTECTED_MEDIA_ROOT / "linkage-uploads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def start_extract(*, uploaded, organisation: Any, by: Any) -> AgencyExtract:
    """Keep the uploaded file (outside the web root) until its columns are mapped; read its header."""
    import uuid
    from pathlib import Path

    if uploaded.size > extracts.max_upload_bytes():
        raise extracts.FileTooLarge(too_large_message())
    if uploaded.size == 0:
        raise extracts.ExtractProblem("The file is empty: it has no header row and no records.")
    kind = extracts.kind_of(uploaded.name, extracts.sniff(uploaded))
    path = _upload_folder() / f"{uuid.uuid4().hex}.{kind}"
    with open(path, "wb") as handle:
        for chunk in uploaded.chunks():
            handle.write(chunk)
    try:
        headers = extracts.read_headers(path, kind)
    except extracts.ExtractProblem:
        path.unlink(missing_ok=True)
        raise
    with transaction.atomic():
        extract = AgencyExtract.objects.create(
            organisation=organisation,
            uploaded_by=by,
            original_name=Path(uploaded.name).name[:255],
            stored_path=str(path),
            headers=headers,
            column_mapping=extracts.guess_mapping(headers),
        )
        audit(action=AuditAction.CREATE, actor=by, obj=extract, detail=f"uploaded {len(headers)} columns")
    return extract


def too_large_message() -> str:
    limit = extracts.max_upload_bytes()
    return f"The file is larger than {limit // (1024 * 1024)} MB: split it into smaller files and upload each one."


def check_extract(*, extract: AgencyExtract, mapping: dict[str, str], by: Any) -> AgencyExtract:
    """Read every row with the team's column mapping, note each bad row's line, and delete the file."""
    from pathlib import Path

    if extract.status != AgencyExtract.Status.MAPPING or not extract.stored_path:
        raise extracts.ExtractProblem("This extract has already been checked: upload the file again to start over.")
    extracts.check_mapping(mapping, extract.headers)
    path = Path(extract.stored_path)
    known = set(
        PersonRecord.objects.filter(source="extract", organisation=extract.organisation).values_list(
            "source_reference", flat=True
        )
    )
    try:
        checked = extracts.check_extract(
            path,
            path.suffix.lstrip("."),
            mapping,
            known_references=known,
            # Rows without an identifier are named after this extract, so the agency's next such extract is not
            # refused as "already imported" line by line.
            fallback_prefix=f"extract-{extract.pk}-line-",
        )
    except extracts.MappingInvalid:
        raise
    except extracts.ExtractProblem:
        path.unlink(missing_ok=True)
        with transaction.atomic():
            AgencyExtract.objects.filter(pk=extract.pk).update(
                stored_path="", status=AgencyExtract.Status.DISCARDED, decided_at=timezone.now()
            )
            audit(action=AuditAction.DELETE, actor=by, obj=extract, detail="file could not be read; nothing imported")
        raise
    path.unlink(missing_ok=True)
    with transaction.atomic():
        if AgencyExtract.objects.select_for_update().get(pk=extract.pk).status != AgencyExtract.Status.MAPPING:
            # Discarded (or expired by the clean-up) while its rows were being read: keep nothing.
            raise extracts.ExtractProblem("This extract was discarded while it was being checked.")
        extract.column_mapping = mapping
        extract.stored_path = ""
        extract.status = AgencyExtract.Status.CHECKED
        extract.row_count = checked.total
        extract.problems = checked.problems
        extract.checked_rows = checked.rows
        extract.save()
        audit(
            action=AuditAction.CHANGE,
            actor=by,
            obj=extract,
            detail=f"checked {checked.total} rows: {len(checked.rows)} good, {len(checked.problems)} with problems",
        )
    return extract


def import_extract(*, extract: AgencyExtract, by: Any) -> AgencyExtract:
    """Import the checked good rows, all of them or (if any fails) none."""
    with transaction.atomic():
        locked = AgencyExtract.objects.select_for_update().get(pk=extract.pk)
        if locked.status != AgencyExtract.Status.CHECKED:
            raise extracts.ExtractProblem("This extract has already been imported or discarded.")
        if not locked.checked_rows:
            raise extracts.ExtractProblem("No row of this extract can be imported: check the column mapping.")
        records = []
        for row in locked.checked_rows:
            records.append(
                PersonRecord(
                    source="extract",
                    source_reference=row["agency_reference"],
                    organisation=locked.organisation,
                    extract=locked,
                    person=Person.objects.create(),
                    first_name=row["first_name"],
                    middle_names=row["middle_names"],
                    surname=row["surname"],
                    date_of_birth=row["date_of_birth"] or None,
                    sex=row["sex"],
                    address=row["address"],
                    postcode=row["postcode"],
                    nhs_number=row["nhs_number"],
                    pupil_number=row["pupil_number"],
                )
            )
        PersonRecord.objects.bulk_create(records, batch_size=500)
        locked.imported_count = len(records)
        locked.checked_rows = []
        locked.status = AgencyExtract.Status.IMPORTED
        locked.decided_at = timezone.now()
        locked.save()
        audit(action=AuditAction.CREATE, actor=by, obj=locked, detail=f"imported {len(records)} records")
    return locked


def discard_extract(*, extract: AgencyExtract, by: Any) -> AgencyExtract:
    """Import nothing from the extract, and forget its rows."""
    from pathlib import Path

    with transaction.atomic():
        locked = AgencyExtract.objects.select_for_update().get(pk=extract.pk)
        if locked.status not in UNDECIDED_STATUSES:
            raise extracts.ExtractProblem("This extract has already been imported or discarded.")
        if locked.stored_path:
            Path(locked.stored_path).unlink(missing_ok=True)
        locked.stored_path = ""
        locked.checked_rows = []
        locked.status = AgencyExtract.Status.DISCARDED
        locked.decided_at = timezone.now()
        locked.save()
        audit(action=AuditAction.DELETE, actor=by, obj=locked, detail="nothing imported")
    return locked


def expire_undecided_extracts(*, older_than_days: int = UNDECIDED_EXTRACT_DAYS) -> int:
    """Extracts uploaded more than a week ago and still waiting for a mapping or a decision lose their file
    and their checked rows (people's details nobody chose to import), and say so. Also removes upload files
    that no extract holds (an upload that failed half way) once they are as old. Returns how many extracts.

    Idempotent, and safe beside the team's own decisions: each extract is locked and looked at again."""
    from pathlib import Path

    cutoff = timezone.now() - dt.timedelta(days=older_than_days)
    expired = 0
    candidates = AgencyExtract.objects.filter(status__in=UNDECIDED_STATUSES, uploaded_at__lt=cutoff)
    for pk in candidates.values_list("pk", flat=True):
        with transaction.atomic():
            locked = (
                AgencyExtract.objects.select_for_update()
                .filter(pk=pk, status__in=UNDECIDED_STATUSES, uploaded_at__lt=cutoff)
                .first()
            )
            if locked is None:  # decided meanwhile
                continue
            stored, waiting = locked.stored_path, locked.status
            locked.stored_path = ""
            locked.checked_rows = []
            locked.status = AgencyExtract.Status.EXPIRED
            locked.decided_at = timezone.now()
            locked.save(update_fields=["stored_path", "checked_rows", "status", "decided_at"])
            audit(
                action=AuditAction.DELETE,
                obj=locked,
                actor_label="Clean-up of undecided extracts",
                detail=(
                    f"not decided within {older_than_days} days "
                    f"({'columns never mapped' if waiting == AgencyExtract.Status.MAPPING else 'rows never imported'}):"
                    " file and checked rows deleted, nothing imported"
                ),
            )
            if stored:
                transaction.on_commit(lambda path=stored: Path(path).unlink(missing_ok=True))
        expired += 1
    _remove_orphan_uploads(cutoff)
    return expired


def _remove_orphan_uploads(cutoff) -> None:
    from django.conf import settings

    folder = settings.PROTECTED_MEDIA_ROOT / "linkage-uploads"
    if not folder.is_dir():
        return
    held = set(AgencyExtract.objects.exclude(stored_path="").values_list("stored_path", flat=True))
    for path in folder.iterdir():
        if not path.is_file() or str(path) in held:
            continue
        if dt.datetime.fromtimestamp(path.stat().st_mtime, tz=dt.UTC) < cutoff:
            path.unlink(missing_ok=True)
            logger.info("Removed the upload %s, which no extract holds", path.name)
