from urllib.parse import urlsplit

from apps.core.tests.table import FORBIDDEN, LOGIN, NOT_FOUND, OK, Row
from apps.documents.models import Document
from apps.documents.subscription_links import confirm_url, unsubscribe_url
from apps.documents.tests.factories import document_with_versions

EDITORS_ONLY = {
    "anonymous": LOGIN,
    "pending": LOGIN,
    "suspended": LOGIN,
    "business_unit": OK,
    "*": FORBIDDEN,
}


def procedure(users):
    document = document_with_versions(
        "1.0", "1.1", title="Multi-Agency Child Protection Procedure", slug="multi-agency-child-protection-procedure"
    )
    return {"slug": document.slug}


def a_version(users):
    return {**procedure(users), "label": "1.0"}


def draft(users):
    document = document_with_versions(
        "1.0", title="Draft neglect strategy", slug="draft-neglect-strategy", published=False
    )
    return {"path": document.get_absolute_url()}


def subscription(users):
    from apps.documents.models import Subscription

    document = Document.objects.get(slug=procedure(users)["slug"])
    found, _ = Subscription.objects.get_or_create(email="reader@example.org", document=document)
    return found


def confirm_token(users):
    return {"path": urlsplit(confirm_url(subscription(users))).path}


def unsubscribe_token(users):
    return {"path": urlsplit(unsubscribe_url(subscription(users))).path}


ROWS = [
    Row("documents:index", expect={"*": OK}),
    Row("documents:category", expect={"*": OK}, setup=lambda users: {"category": "procedures"}),
    Row("documents:detail", expect={"*": OK}, setup=procedure),
    Row(path="/documents/draft-neglect-strategy/", expect={"business_unit": OK, "*": NOT_FOUND}, setup=draft),
    Row("documents:latest", expect={"*": OK}, setup=procedure, browse=False),
    Row("documents:version", expect={"*": OK}, setup=a_version, browse=False),
    Row("documents:create", expect=EDITORS_ONLY),
    Row("documents:publish_version", expect=EDITORS_ONLY, setup=procedure),
    Row("documents:subscribe_document", expect={"*": OK}, setup=procedure),
    Row("documents:subscribe_category", expect={"*": OK}, setup=lambda users: {"category": "7-point-briefings"}),
    Row("documents:subscribe_sent", expect={"*": OK}),
    Row("documents:confirm", expect={"*": OK}, setup=confirm_token),
    Row("documents:unsubscribe", expect={"*": OK}, setup=unsubscribe_token),
]
