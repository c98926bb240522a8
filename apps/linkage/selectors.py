"""Reads of record linkage, each checking that the reader may use linkage screens."""

from __future__ import annotations

from typing import Any

from django.db.models import Case, Count, Prefetch, Q, QuerySet, When
from django.shortcuts import get_object_or_404

from apps.accounts.models import Organisation
from apps.accounts.permissions import require

from .models import AgencyExtract, CandidatePair, LinkageModelVersion, LinkageRun, Person, PersonRecord, ReviewDecision
from .services import queue_filter


def overview(user: Any) -> dict:
    require(user, "linkage.use_linkage")
    reviewed = CandidatePair.objects.filter(decided_by__isnull=False).count()
    waiting = CandidatePair.objects.filter(status=CandidatePair.Status.QUEUED).count()
    return {
        "records": PersonRecord.objects.count(),
        "people_with_links": Person.objects.annotate(n=Count("records")).filter(n__gt=1).count(),
        "linked_pairs": CandidatePair.objects.filter(status=CandidatePair.Status.LINKED).count(),
        "waiting": waiting,
        "not_sure": CandidatePair.objects.filter(status=CandidatePair.Status.NOT_SURE).count(),
        "reviewed": reviewed,
        "model": LinkageModelVersion.objects.order_by("-version").first(),
        "runs": list(LinkageRun.objects.select_related("model_version", "started_by")[:5]),
        "extracts": list(AgencyExtract.objects.select_related("organisation", "uploaded_by")[:5]),
    }


def agencies(user: Any) -> QuerySet[Organisation]:
    require(user, "linkage.import_extracts")
    return Organisation.objects.filter(is_active=True).order_by("name")


def extract_for(user: Any, pk: int) -> AgencyExtract:
    require(user, "linkage.import_extracts")
    return get_object_or_404(AgencyExtract.objects.select_related("organisation", "uploaded_by"), pk=pk)


def queue_progress(user: Any) -> dict:
    """How far the team is through the queue: decided by a person, still waiting, marked not sure."""
    require(user, "linkage.review_pairs")
    counts = CandidatePair.objects.aggregate(
        waiting=Count("pk", filter=Q(status=CandidatePair.Status.QUEUED)),
        not_sure=Count("pk", filter=Q(status=CandidatePair.Status.NOT_SURE)),
    )
    counts["decided"] = (
        CandidatePair.objects.filter(
            decisions__decision__in=[ReviewDecision.Decision.MATCH, ReviewDecision.Decision.NOT_A_MATCH]
        )
        .distinct()
        .count()
    )
    counts["total"] = counts["waiting"] + counts["not_sure"] + counts["decided"]
    return counts


def next_in_queue(user: Any, *, after: int | None = None) -> CandidatePair | None:
    """The next pair to review: strongest first, and pairs marked "not sure" only after every pair
    nobody has looked at yet."""
    require(user, "linkage.review_pairs")
    pairs = CandidatePair.objects.filter(queue_filter())
    if after is not None:
        pairs = pairs.exclude(pk=after)
    for status in (CandidatePair.Status.QUEUED, CandidatePair.Status.NOT_SURE):
        found = pairs.filter(status=status).order_by("-match_probability", "pk").first()
        if found is not None:
            return found
    return None


def pair_for(user: Any, pk: int) -> CandidatePair:
    require(user, "linkage.review_pairs")
    return get_object_or_404(
        CandidatePair.objects.select_related(
            "record_a__organisation", "record_b__organisation", "model_version", "decided_by"
        ).prefetch_related(Prefetch("decisions", queryset=ReviewDecision.objects.select_related("decided_by"))),
        pk=pk,
    )


def people(user: Any, *, search: str = "") -> QuerySet[Person]:
    """People with more than one record (the ones linkage joined), or any person a search finds."""
    require(user, "linkage.use_linkage")
    found = Person.objects.annotate(record_count=Count("records", distinct=True))
    if search:
        terms = search.split()
        query = Q()
        for term in terms:
            query &= Q(records__first_name__icontains=term) | Q(records__surname__icontains=term)
        found = found.filter(query).distinct()
    else:
        found = found.filter(record_count__gt=1)
    return found.prefetch_related(Prefetch("records", queryset=PersonRecord.objects.select_related("organisation")))


def person_for(user: Any, pk: int) -> Person:
    require(user, "linkage.use_linkage")
    return get_object_or_404(Person, pk=pk)


def records_of(person: Person) -> list[PersonRecord]:
    return list(person.records.select_related("organisation", "extract").order_by("pk"))


def links_of(person: Person) -> list[CandidatePair]:
    """Why the records are together: the linked pairs among them, with who or what decided."""
    ids = list(person.records.values_list("pk", flat=True))
    return list(
        CandidatePair.objects.filter(status=CandidatePair.Status.LINKED, record_a__in=ids, record_b__in=ids)
        .select_related("record_a__organisation", "record_b__organisation", "model_version", "decided_by")
        .order_by("-match_probability")
    )


def last_not_sure_by(pair) -> int | None:
    """Who last marked the pair not sure (their user id), so the review page can say "you" or "a colleague"."""
    return (
        ReviewDecision.objects.filter(pair=pair, decision=ReviewDecision.Decision.NOT_SURE)
        .order_by("-decided_at", "-pk")
        .values_list("decided_by_id", flat=True)
        .first()
    )


# --- The review list and the evidence for the thresholds -------------------------------------------


def source_choices(user: Any) -> list[tuple[str, str]]:
    """Where records come from, as the review list's filter offers them: agencies' extracts by agency
    ("org-<pk>") and the hub's own sources by key ("source-<key>")."""
    require(user, "linkage.review_pairs")
    from .sources import label_of

    agencies = Organisation.objects.filter(
        pk__in=PersonRecord.objects.filter(organisation__isnull=False).values("organisation")
    ).order_by("name")
    own = PersonRecord.objects.exclude(source="extract").values_list("source", flat=True).distinct().order_by("source")
    choices = [(f"org-{agency.pk}", agency.name) for agency in agencies]
    return choices + [(f"source-{key}", label_of(key)) for key in own]


def _from_source(source: str) -> Q:
    kind, _, value = source.partition("-")
    if kind == "org" and value.isdigit():
        return Q(record_a__organisation_id=int(value)) | Q(record_b__organisation_id=int(value))
    if kind == "source" and value:
        return Q(record_a__source=value) | Q(record_b__source=value)
    return Q()


def review_list(user: Any, *, band: str = "", source: str = "") -> QuerySet[CandidatePair]:
    """Pairs waiting for a person (never looked at first, then those marked not sure; strongest first),
    optionally in one probability band and with a record from one source."""
    from .evidence import BAND_BY_KEY

    require(user, "linkage.review_pairs")
    pairs = CandidatePair.objects.filter(queue_filter())
    if band in BAND_BY_KEY:
        chosen = BAND_BY_KEY[band]
        pairs = pairs.filter(match_probability__gte=chosen.low)
        if chosen.high < 1.0:
            pairs = pairs.filter(match_probability__lt=chosen.high)
    if source:
        pairs = pairs.filter(_from_source(source))
    return (
        pairs.select_related("record_a__organisation", "record_b__organisation")
        .annotate(not_sure_last=Case(When(status=CandidatePair.Status.NOT_SURE, then=1), default=0))
        .order_by("not_sure_last", "-match_probability", "pk")
    )


def threshold_evidence(user: Any) -> dict:
    """For the current model version: how many pairs fall in each probability band (and what became of
    them), and the precision above the auto-link threshold that the team's checks of such pairs show."""
    from django.db.models import OuterRef, Subquery

    from . import linkage_model
    from .evidence import BANDS, estimate

    require(user, "linkage.review_pairs")
    version = LinkageModelVersion.objects.order_by("-version").first()
    pairs = CandidatePair.objects.filter(model_version=version) if version else CandidatePair.objects.none()
    rows = []
    for band in BANDS:
        in_band = Q(match_probability__gte=band.low) & (Q(match_probability__lt=band.high) if band.high < 1.0 else Q())
        counts = pairs.filter(in_band).aggregate(
            total=Count("pk"),
            linked=Count("pk", filter=Q(status=CandidatePair.Status.LINKED)),
            waiting=Count("pk", filter=queue_filter()),
            not_linked=Count("pk", filter=Q(status=CandidatePair.Status.NOT_LINKED)),
        )
        rows.append({"band": band, **counts})
    # The labelled sample: pairs scored at or above the auto-link threshold on which a person's last
    # decision was "match" (one person) or "not a match" or an unlink (two people).
    last = (
        ReviewDecision.objects.filter(pair=OuterRef("pk"))
        .exclude(decision=ReviewDecision.Decision.NOT_SURE)
        .order_by("-decided_at", "-pk")
        .values("decision")[:1]
    )
    labelled = (
        pairs.filter(match_probability__gte=linkage_model.AUTO_LINK_THRESHOLD)
        .annotate(last_decision=Subquery(last))
        .exclude(last_decision=None)
        .aggregate(
            sample=Count("pk"),
            confirmed=Count("pk", filter=Q(last_decision=ReviewDecision.Decision.MATCH)),
            undone=Count("pk", filter=Q(last_decision=ReviewDecision.Decision.UNLINK)),
        )
    )
    unchecked = pairs.filter(
        status=CandidatePair.Status.LINKED,
        decided_by__isnull=True,
        match_probability__gte=linkage_model.AUTO_LINK_THRESHOLD,
    ).count()
    return {
        "version": version,
        "bands": rows,
        "auto_link": linkage_model.AUTO_LINK_THRESHOLD,
        "review": linkage_model.REVIEW_THRESHOLD,
        "precision": estimate(labelled["confirmed"], labelled["sample"]),
        # links undone because someone noticed a mistake: not a random check, so they pull the estimate down
        "undone": labelled["undone"],
        "unchecked": unchecked,
    }


def linked_pair_to_check(user: Any) -> CandidatePair | None:
    """A pair the current model linked automatically and nobody has checked, drawn at random, so that the
    team's checks are a fair sample of what the model links."""
    from . import linkage_model

    require(user, "linkage.review_pairs")
    version = LinkageModelVersion.objects.order_by("-version").first()
    if version is None:
        return None
    return (
        CandidatePair.objects.filter(
            model_version=version,
            status=CandidatePair.Status.LINKED,
            decided_by__isnull=True,
            match_probability__gte=linkage_model.AUTO_LINK_THRESHOLD,
        )
        .order_by("?")
        .first()
    )
