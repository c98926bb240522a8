from apps.awareness.tests.factories import AwarenessEventFactory
from apps.core.tests.table import NOT_FOUND, OK, Row


def published_event(users):
    event = AwarenessEventFactory(title="Safer Sleep Week", slug="safer-sleep-week", end_date="2024-03-24")
    return {"slug": event.slug}


def unpublished_event(users):
    event = AwarenessEventFactory(title="Draft awareness day", slug="draft-awareness-day", published=False)
    return {"path": event.get_absolute_url()}


ROWS = [
    Row("awareness:index", expect={"*": OK}),
    Row("awareness:month", expect={"*": OK}, setup=lambda users: {"year": 2024, "month": 3}),
    Row("awareness:detail", expect={"*": OK}, setup=published_event),
    Row(path="/awareness/draft-awareness-day/", expect={"business_unit": OK, "*": NOT_FOUND}, setup=unpublished_event),
    Row("awareness:feed", expect={"*": OK}, browse=False),
]
