"""Every write of school attendance: importing a school's term, and recording a pupil's barriers."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from apps.accounts.permissions import can, require
from apps.audit.models import AuditAction
from apps.audit.services import record

from . import codes, importer, selectors
from .models import (
    BarrierCategory,
    BarrierRecord,
    CodeMapping,
    FamilyIssue,
    MappingVersion,
    Pupil,
    PupilTerm,
    School,
    Upload,
)


class ImportRefused(Exception):
    """Nothing was imported: the whole file is refused, with each problem by line."""

    def __init__(self, problems: list[tuple[int | None, str]]) -> None:
        super().__init__(problems[0][1] if problems else "refused")
        self.problems = problems


def import_attendance(*, school: School, academic_year: int, term: int, kind: str, uploaded: Any, by: Any) -> Upload:
    """Check the whole file, then import all of it or nothing. A school's term sent again replaces that
    school's term and nothing else."""
    require(by, "attendance.upload")
    if school not in selectors.schools_for(by) or not can(by, "attendance.upload"):
        raise PermissionDenied("attendance.upload")
    try:
        text = importer.read_text(uploaded)
        version = current_mapping()
        checked = importer.check(
            text,
            kind=kind,
            urn=school.urn,
            school_name=school.organisation.name,
            mapping=selectors.mapping_of(version),
        )
    except importer.FileProblem as problem:
        raise ImportRefused([(None, str(problem))]) from None
    if checked.problems:
        raise ImportRefused(checked.problems)
    with transaction.atomic():
        replaced = Upload.objects.filter(school=school, academic_year=academic_year, term=term).first()
        replaced_pupils = replaced.pupils if replaced else 0
        if replaced is not None:
            replaced.delete()  # its rows go with it; other schools' terms are untouched
        upload = Upload.objects.create(
            school=school,
            academic_year=academic_year,
            term=term,
            kind=kind,
            mapping_version=version,
            file_name=(getattr(uploaded, "name", "") or "")[:200],
            pupils=len(checked.pupils),
            uploaded_by=by,
        )
        pupils = _save_pupils(school, academic_year * 10 + term, checked.pupils)
        PupilTerm.objects.bulk_create(
            [
                PupilTerm(
                    upload=upload,
                    pupil=pupils[row["upn"]],
                    school=school,
                    academic_year=academic_year,
                    term=term,
                    year_group=row["year_group"],
                    possible=row["possible"],
                    authorised=row["authorised"],
                    unauthorised=row["unauthorised"],
                    codes=row.get("codes", "")[:300],
                    sen=row.get("sen"),
                    fsm=row.get("fsm"),
                    social_worker=row.get("social_worker"),
                )
                for row in checked.pupils
            ],
            batch_size=1000,
        )
        record(
            action=AuditAction.CREATE,
            actor=by,
            obj=upload,
            detail=f"{len(checked.pupils)} pupils; mapping version {version.number}"
            + (f"; replaced the earlier upload of {replaced_pupils} pupils" if replaced else ""),
        )
    return upload


def _save_pupils(school: School, period: int, rows: list[dict]) -> dict[str, Pupil]:
    """Each pupil of the file, created or brought up to date. A pupil whose later term is at another school
    stays there: an older term sent late does not move them back."""
    upns = [row["upn"] for row in rows]
    existing = {pupil.upn: pupil for pupil in Pupil.objects.filter(upn__in=upns)}
    latest = selectors.latest_term_of([pupil.pk for pupil in existing.values()])
    new, changed = [], []
    for row in rows:
        pupil = existing.get(row["upn"])
        if pupil is None:
            new.append(
                Pupil(
                    upn=row["upn"],
                    first_name=row["first_name"],
                    surname=row["surname"],
                    date_of_birth=row["date_of_birth"],
                    school=school,
                )
            )
            continue
        if latest.get(pupil.pk, 0) <= period:
            pupil.first_name, pupil.surname = row["first_name"], row["surname"]
            pupil.date_of_birth, pupil.school = row["date_of_birth"], school
            changed.append(pupil)
    Pupil.objects.bulk_create(new, batch_size=1000)
    if changed:
        Pupil.objects.bulk_update(changed, ["first_name", "surname", "date_of_birth", "school"], batch_size=1000)
    return {pupil.upn: pupil for pupil in Pupil.objects.filter(upn__in=upns)}


def current_mapping() -> MappingVersion:
    """The newest version of the code mapping; the August 2024 codes (`codes.py`) if there is none yet (a
    migration writes them; a database emptied by a test has lost them)."""
    version = selectors.current_mapping()
    if version is None:
        with transaction.atomic():
            version, created = MappingVersion.objects.get_or_create(
                number=codes.VERSION_2024, defaults={"note": codes.VERSION_2024_NOTE}
            )
            if created:
                CodeMapping.objects.bulk_create(
                    CodeMapping(version=version, code=code, meaning=meaning, category=category)
                    for code, meaning, category in codes.CODES_2024
                )
    return version


def record_barriers(*, pupil: Pupil, category: str, family_issues: list[str], note: str, by: Any) -> BarrierRecord:
    require(by, "attendance.record_barriers", pupil)
    if category not in BarrierCategory.values or any(issue not in FamilyIssue.values for issue in family_issues):
        raise ValueError("Unknown barrier or family issue")
    with transaction.atomic():
        entry = BarrierRecord.objects.create(
            pupil=pupil, category=category, family_issues=list(family_issues), note=note, recorded_by=by
        )
        record(
            action=AuditAction.CREATE,
            actor=by,
            obj=entry,
            detail=f"{BarrierCategory(category).label}; family issues: "
            + (", ".join(FamilyIssue(issue).label for issue in family_issues) or "none"),
        )
    return entry


def register_school(*, organisation: Any, urn: str, by: Any = None) -> School:
    """Make a partner organisation a school that sends attendance (the demo and administrators)."""
    with transaction.atomic():
        school, created = School.objects.get_or_create(organisation=organisation, defaults={"urn": urn})
        if created:
            record(action=AuditAction.CREATE, actor=by, obj=school)
    return school
