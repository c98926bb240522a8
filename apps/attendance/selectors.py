"""Reads of school attendance, each carrying the access rules. The measures are computed by the database.

Attendance rate = sessions attended / sessions possible. Persistent absence: a pupil missed 10% or more of
their possible sessions in the term (missed x 10 >= possible); severe absence: 50% or more (missed x 2 >=
possible). A pupil with no possible sessions is in neither.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Max, Q, QuerySet, Sum
from django.db.models.lookups import GreaterThan, GreaterThanOrEqual
from django.http import Http404

from apps.accounts.permissions import can, require
from apps.audit.models import AuditAction
from apps.audit.services import record

from .models import CodeMapping, MappingVersion, Pupil, PupilTerm, School, Upload, term_label
from .rules import is_attendance_team, school_of

MISSED = F("authorised") + F("unauthorised")
HAS_POSSIBLE = GreaterThan(F("possible"), 0)
PERSISTENT = Q(HAS_POSSIBLE) & Q(GreaterThanOrEqual(MISSED * 10, F("possible")))
SEVERE = Q(HAS_POSSIBLE) & Q(GreaterThanOrEqual(MISSED * 2, F("possible")))

MEASURES = {
    "n_pupils": Count("pk"),
    "n_possible": Sum("possible"),
    "n_missed": Sum(MISSED),
    "n_persistent": Count("pk", filter=PERSISTENT),
    "n_severe": Count("pk", filter=SEVERE),
}


@dataclass(frozen=True)
class Measures:
    label: str
    pupils: int
    possible: int
    missed: int
    persistent: int
    severe: int

    @property
    def attended(self) -> int:
        return self.possible - self.missed

    @property
    def rate(self) -> float | None:
        return round(100 * self.attended / self.possible, 1) if self.possible else None

    @property
    def persistent_share(self) -> float | None:
        return round(100 * self.persistent / self.pupils, 1) if self.pupils else None

    @property
    def severe_share(self) -> float | None:
        return round(100 * self.severe / self.pupils, 1) if self.pupils else None


def _measures(label: str, row: dict) -> Measures:
    return Measures(
        label=label,
        pupils=row.get("n_pupils") or 0,
        possible=row.get("n_possible") or 0,
        missed=row.get("n_missed") or 0,
        persistent=row.get("n_persistent") or 0,
        severe=row.get("n_severe") or 0,
    )


def band_of(possible: int, missed: int) -> str:
    """The same rule for one row, as the pupil page shows it ("severe", "persistent" or "")."""
    if possible <= 0:
        return ""
    if missed * 2 >= possible:
        return "severe"
    if missed * 10 >= possible:
        return "persistent"
    return ""


# --- Scope ------------------------------------------------------------------------------------------


def schools_for(user: Any) -> QuerySet[School]:
    schools = School.objects.select_related("organisation")
    if can(user, "attendance.see_figures") and (is_attendance_team(user) or not school_of(user)):
        return schools.all()
    own = school_of(user)
    return schools.filter(pk=own.pk) if own else schools.none()


def rows_for(user: Any) -> QuerySet[PupilTerm]:
    """The pupil-terms the user's figures are drawn from."""
    return PupilTerm.objects.filter(school__in=schools_for(user))


def _family_upns(user: Any):
    from apps.earlyhelp.models import Family, FamilyMember
    from apps.earlyhelp.rules import is_supporting_families, is_targeted_intervention
    from apps.earlyhelp.selectors import families_of

    if is_supporting_families(user) or can(user, "earlyhelp.see_central_record"):
        families = Family.objects.all()
    else:
        families = families_of(user).values("pk")
        if is_targeted_intervention(user):
            families = Family.objects.filter(Q(pk__in=families) | Q(referred_to_tis=True))
    return FamilyMember.objects.filter(family__in=families).exclude(pupil_number="").values("pupil_number")


def pupils_for(user: Any) -> QuerySet[Pupil]:
    """The pupils the user may see: every pupil for the attendance team, a school's own, and the children of
    the early help families the user may see."""
    if is_attendance_team(user) or (can(user, "attendance.see_figures") and not school_of(user)):
        return Pupil.objects.all()
    scope = Q(upn__in=_family_upns(user))
    own = school_of(user)
    if own is not None:
        scope |= Q(school=own)
    return Pupil.objects.filter(scope)


def pupil_for(user: Any, pk: Any, *, request: Any = None) -> Pupil:
    """The pupil, if the user may see them. The view is audited."""
    pupil = Pupil.objects.select_related("school__organisation").filter(pk=pk).first() if str(pk).isdigit() else None
    if pupil is None:
        raise Http404("No such pupil")
    require(user, "attendance.view_pupil", pupil)
    record(action=AuditAction.VIEW, actor=user, obj=pupil, request=request)
    return pupil


# --- Terms and figures ---------------------------------------------------------------------------------


def terms_in(rows: QuerySet[PupilTerm]) -> list[tuple[int, int]]:
    """The terms the rows cover, oldest first."""
    return [
        (row["academic_year"], row["term"])
        for row in rows.values("academic_year", "term").distinct().order_by("academic_year", "term")
    ]


COHORTS = [
    ("all", "All pupils"),
    ("early_help", "With an open early help plan"),
    ("tis", "Known to the Targeted Intervention Service"),
    ("social_worker", "With a social worker"),
    ("sen", "With special educational needs"),
    ("fsm", "Eligible for free school meals"),
]


def cohort_filter(key: str) -> Q:
    """The pupil-terms of a cohort. The early help cohorts are found first as pupil ids (by UPN, through the
    pupils' unique index), so the aggregate that follows is a plain indexed IN, whatever the planner's statistics."""
    from apps.earlyhelp.models import FamilyMember, FamilyStatus

    if key in {"early_help", "tis"}:
        members = FamilyMember.objects.exclude(pupil_number="")
        if key == "early_help":
            members = members.filter(family__status=FamilyStatus.OPEN)
        else:
            members = members.filter(family__referred_to_tis=True)
        upns = set(members.values_list("pupil_number", flat=True))
        ids = list(Pupil.objects.filter(upn__in=upns).values_list("pk", flat=True)) if upns else []
        return Q(pupil_id__in=ids)
    if key in {"social_worker", "sen", "fsm"}:
        return Q(**{key: True})
    return Q()


@dataclass(frozen=True)
class Figures:
    terms: list[tuple[int, int, str]]
    term: tuple[int, int] | None
    term_name: str
    school: School | None
    overall: Measures | None
    by_school: list[Measures]
    by_year_group: list[Measures]
    by_term: list[Measures]
    by_cohort: list[Measures]


YEAR_ORDER = {name: index for index, name in enumerate(["N1", "N2", "R", *(str(n) for n in range(1, 15))])}


def figures(user: Any, *, school: School | None = None, term: tuple[int, int] | None = None) -> Figures:
    """The measures for the user's schools (or one of them) in a term (the latest by default), with the
    trend over every term. Kept in the cache until the next upload (or five minutes, for the early help cohorts)."""
    from django.core.cache import cache
    from django.db.models import Max

    schools = sorted(schools_for(user).values_list("pk", flat=True))
    uploads = Upload.objects.aggregate(last=Max("pk"), count=Count("pk"))
    key = (
        "attendance-figures:"
        + hashlib.sha256(
            json.dumps([schools, school.pk if school else None, term, uploads["last"], uploads["count"]]).encode()
        ).hexdigest()
    )
    found = cache.get(key)
    if found is None:
        found = _figures(user, school=school, term=term)
        cache.set(key, found, FIGURES_SECONDS)
    return found


FIGURES_SECONDS = 300


def _figures(user: Any, *, school: School | None, term: tuple[int, int] | None) -> Figures:
    scope = rows_for(user)
    if school is not None:
        scope = scope.filter(school=school)
    terms = terms_in(scope)
    if term not in terms:
        term = terms[-1] if terms else None
    labelled = [(year, number, term_label(year, number)) for year, number in terms]
    if term is None:
        return Figures(labelled, None, "", school, None, [], [], [], [])
    in_term = scope.filter(academic_year=term[0], term=term[1])
    overall = _measures("All pupils", in_term.aggregate(**MEASURES))
    by_school = []
    if school is None and schools_for(user).count() > 1:
        names = dict(schools_for(user).values_list("pk", "organisation__name"))
        by_school = sorted(
            (_measures(names.get(row["school"], ""), row) for row in in_term.values("school").annotate(**MEASURES)),
            key=lambda m: m.label,
        )
    year_rows = sorted(
        in_term.values("year_group").annotate(**MEASURES), key=lambda r: YEAR_ORDER.get(r["year_group"], 99)
    )
    by_year_group = [_measures(_year_label(row["year_group"]), row) for row in year_rows]
    by_term = [
        _measures(term_label(row["academic_year"], row["term"]), row)
        for row in scope.values("academic_year", "term").annotate(**MEASURES).order_by("academic_year", "term")
    ]
    by_cohort = [_measures(label, in_term.filter(cohort_filter(key)).aggregate(**MEASURES)) for key, label in COHORTS]
    return Figures(labelled, term, term_label(*term), school, overall, by_school, by_year_group, by_term, by_cohort)


def _year_label(year_group: str) -> str:
    return (
        f"Year {year_group}"
        if year_group.isdigit()
        else {"R": "Reception", "N1": "Nursery 1", "N2": "Nursery 2"}.get(year_group, year_group)
    )


# --- Pupils -----------------------------------------------------------------------------------------


def pupil_list(user: Any, *, q: str = "", band: str = "", school: School | None = None) -> QuerySet[Pupil]:
    """The pupils the user may see, filtered; `band` keeps those persistently or severely absent in the latest
    term uploaded (the school's own, for a school). Each page's latest terms come from `latest_terms_of`, so
    nothing is worked out for the pupils not on the page."""
    from django.db.models import Exists, OuterRef

    pupils = pupils_for(user).select_related("school__organisation")
    if school is not None:
        pupils = pupils.filter(school=school)
    if q:
        for word in q.split():
            pupils = pupils.filter(Q(first_name__icontains=word) | Q(surname__icontains=word) | Q(upn__iexact=word))
    if band in {"persistent", "severe"}:
        uploaded = PupilTerm.objects.all()
        own = school or (None if is_attendance_team(user) else school_of(user))
        if own is not None:
            uploaded = uploaded.filter(school=own)  # the school's own latest term
        newest = uploaded.order_by("-academic_year", "-term").values("academic_year", "term").first()
        if newest is None:
            return pupils.none()
        absent = PupilTerm.objects.filter(
            PERSISTENT if band == "persistent" else SEVERE, pupil=OuterRef("pk"), **newest
        )
        pupils = pupils.filter(Exists(absent))
    return pupils.order_by("surname", "first_name", "pk")


def latest_terms_of(pupils) -> dict[int, PupilTerm]:
    """Each pupil's latest term (for a page of pupils: one query)."""
    latest: dict[int, PupilTerm] = {}
    rows = PupilTerm.objects.filter(pupil__in=[pupil.pk for pupil in pupils]).order_by(
        "pupil_id", "-academic_year", "-term"
    )
    for row in rows:
        latest.setdefault(row.pupil_id, row)
    return latest


def terms_of(pupil: Pupil) -> list[dict]:
    rows = pupil.terms.select_related("school__organisation").order_by("academic_year", "term")
    result = []
    for row in rows:
        missed = row.missed
        result.append(
            {
                "row": row,
                "label": row.term_label,
                "school": row.school.organisation.name,
                "missed": missed,
                "attended": row.possible - missed,
                "rate": round(100 * (row.possible - missed) / row.possible, 1) if row.possible else None,
                "band": band_of(row.possible, missed),
            }
        )
    return result


@dataclass(frozen=True)
class EarlyHelpLink:
    family: Any
    member: Any
    how: str  # "UPN" or "record linkage"
    probability: float | None = None


def early_help_links(user: Any, pupil: Pupil) -> list[EarlyHelpLink]:
    """The pupil's early help records that the user may see: by UPN, and failing that by record linkage's
    online matching. A record the user may not see is never named."""
    from apps.earlyhelp.models import FamilyMember

    members = list(FamilyMember.objects.select_related("family").filter(pupil_number=pupil.upn))
    links = [EarlyHelpLink(member.family, member, "UPN") for member in members]
    if not members:
        links = _linked(pupil)
    return [link for link in links if can(user, "earlyhelp.view_family", link.family)]


def _linked(pupil: Pupil) -> list[EarlyHelpLink]:
    from apps.earlyhelp.linkage_source import SOURCE_KEY, member_id_of
    from apps.earlyhelp.models import FamilyMember
    from apps.linkage.models import PersonRecord
    from apps.linkage.online import find_matches

    fields = {
        "first_name": pupil.first_name,
        "surname": pupil.surname,
        "date_of_birth": pupil.date_of_birth.isoformat(),
        "pupil_number": pupil.upn,
    }
    try:
        candidates = find_matches(fields, limit=5, minimum=0.9)
    except Exception:  # the linkage index may be unavailable (no model trained yet); the UPN link still works
        return []
    records = {
        str(pk): reference
        for pk, reference in PersonRecord.objects.filter(
            pk__in=[int(candidate.record_id) for candidate in candidates], source=SOURCE_KEY
        ).values_list("pk", "source_reference")
    }
    links = []
    for candidate in candidates:
        reference = records.get(candidate.record_id)
        member_id = member_id_of(reference) if reference else None
        member = FamilyMember.objects.select_related("family").filter(pk=member_id).first() if member_id else None
        if member is not None:
            links.append(EarlyHelpLink(member.family, member, "record linkage", candidate.match_probability))
    return links


def current_mapping() -> MappingVersion | None:
    return MappingVersion.objects.order_by("-number").first()


def mapping_of(version: MappingVersion) -> dict[str, str]:
    return dict(CodeMapping.objects.filter(version=version).values_list("code", "category"))


def uploads_for(user: Any):
    from .models import Upload

    return Upload.objects.filter(school__in=schools_for(user)).select_related(
        "school__organisation", "uploaded_by", "mapping_version"
    )


def latest_term_of(pupil_ids) -> dict[int, int]:
    return dict(
        PupilTerm.objects.filter(pupil_id__in=pupil_ids)
        .values("pupil_id")
        .annotate(latest=Max(F("academic_year") * 10 + F("term")))
        .values_list("pupil_id", "latest")
    )
