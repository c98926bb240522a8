from apps.core.tests.table import OK, Row
from apps.pages.tests.site import build_public_site


def site(users):
    return build_public_site()


ROWS = [
    Row(path="/", expect={"*": OK}, setup=site),
    Row(path="/accessibility-statement/", expect={"*": OK}, setup=site),
    Row(path="/privacy-notice/", expect={"*": OK}, setup=site),
    Row(path="/cookies/", expect={"*": OK}, setup=site),
    Row("pages:search", expect={"*": OK}, setup=site),
    Row(path="/search/?q=police", expect={"*": OK}, setup=site),
    Row(path="/search/?q=zzzunfindable", expect={"*": OK}, setup=site),
]
