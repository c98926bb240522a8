"""Reads of the document library. Published documents are public; the business unit also sees drafts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, QuerySet
from django.http import Http404

from apps.accounts.permissions import can

from .models import Document, DocumentCategory, DocumentVersion, Subscription
from .subscription_links import read_unsubscribe_token


def library_stamp() -> str:
    """Changes whenever a document is added or changed, or gets a new version (which moves its `updated_at`):
    part of the key of the cached lists of documents."""
    found = Document.objects.aggregate(n=Count("id"), changed=Max("updated_at"))
    return f"{found['n']}-{found['changed'].timestamp() if found['changed'] else 0}"


def documents_visible_to(user: Any) -> QuerySet[Document]:
    documents = Document.objects.select_related("latest_version")
    if can(user, "documents.see_unpublished"):
        return documents
    return documents.filter(published=True)


@dataclass(frozen=True)
class Shelf:
    """One category of the library and its documents."""

    category: DocumentCategory
    documents: list[Document]


def library(user: Any) -> list[Shelf]:
    """Every category that has documents, in the order of the categories, each with its documents by title."""
    by_category: dict[str, list[Document]] = {}
    for document in documents_visible_to(user).order_by("title"):
        by_category.setdefault(document.category, []).append(document)
    return [
        Shelf(category, by_category[category.value]) for category in DocumentCategory if category.value in by_category
    ]


def category_from_slug(value: str) -> DocumentCategory:
    try:
        return DocumentCategory(value)
    except ValueError as error:
        raise Http404("No such category") from error


def documents_in(user: Any, category: DocumentCategory) -> list[Document]:
    return list(documents_visible_to(user).filter(category=category).order_by("title"))


def document_for(user: Any, slug: str) -> Document:
    document = documents_visible_to(user).filter(slug=slug).first()
    if document is None:
        raise Http404("No such document")
    return document


def history_of(document: Document) -> list[DocumentVersion]:
    return list(document.versions.order_by("-number"))


def version_for(user: Any, slug: str, label: str) -> DocumentVersion:
    version = (
        DocumentVersion.objects.select_related("document")
        .filter(document__in=documents_visible_to(user), document__slug=slug, label=label)
        .first()
    )
    if version is None:
        raise Http404("No such version")
    return version


def latest_version_for(user: Any, slug: str) -> DocumentVersion:
    document = document_for(user, slug)
    if document.latest_version is None:
        raise Http404("This document has no published version")
    document.latest_version.document = document
    return document.latest_version


def subscription_for_unsubscribe(token: str) -> Subscription | None:
    """The subscription an unsubscribe link names, or None if it is already gone. Raises LinkNotValid."""
    pk, key = read_unsubscribe_token(token)
    return Subscription.objects.select_related("document").filter(pk=pk, key=key).first()
