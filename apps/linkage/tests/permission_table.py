from apps.core.tests.table import FORBIDDEN, LOGIN, OK, REDIRECT, Row
from apps.linkage.tests.factories import ExtractFactory, PairFactory

# Only the Supporting Families team and system administrators see linkage screens. The table's
# team member belongs to another receiving team, so is refused; test_views covers the team itself.
LINKAGE = {"anonymous": LOGIN, "pending": LOGIN, "suspended": LOGIN, "system_admin": OK, "*": FORBIDDEN}


def with_method(expect: dict, answer) -> dict:
    return {**expect, "system_admin": answer}


def a_pair(users):
    return {"pk": PairFactory().pk}


def a_linked_pair(users):
    from apps.linkage.models import CandidatePair

    return {"pk": PairFactory(status=CandidatePair.Status.LINKED, match_probability=0.99).pk}


def an_extract(users):
    return {"pk": ExtractFactory().pk}


def a_person(users):
    pair = PairFactory()
    return {"pk": pair.record_a.person_id}


def extract_waiting_for_mapping(users):
    from apps.linkage.models import AgencyExtract

    return {"pk": ExtractFactory(status=AgencyExtract.Status.MAPPING, stored_path="/nonexistent.csv").pk}


ROWS = [
    Row("linkage:home", expect=LINKAGE),
    Row("linkage:start_run", method="post", expect=with_method(LINKAGE, REDIRECT)),
    Row("linkage:extract_upload", expect=LINKAGE),
    Row("linkage:extract_mapping", expect=LINKAGE, setup=extract_waiting_for_mapping),
    Row("linkage:extract_check", expect=LINKAGE, setup=an_extract),
    Row("linkage:review_queue", expect=LINKAGE),
    Row("linkage:review_next", expect=LINKAGE),
    Row("linkage:check_linked", expect=with_method(LINKAGE, REDIRECT)),
    Row("linkage:review_pair", expect=LINKAGE, setup=a_pair),
    Row("linkage:settings", expect=LINKAGE),
    Row("linkage:person_list", expect=LINKAGE),
    Row("linkage:person_detail", expect=LINKAGE, setup=a_person),
    Row("linkage:unlink", expect=LINKAGE, setup=a_linked_pair),
]
