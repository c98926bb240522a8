from apps.core.tests.table import OK, Row
from apps.pages.tests.site import build_public_site


def site(users):
    return build_public_site()


ROWS = [
    Row(path="/news/", expect={"*": OK}, setup=site),
    Row(path="/news/?topic=police", expect={"*": OK}, setup=site),
    Row(path="/news/?page=2", expect={"*": OK}, setup=site),
    Row(path="/news/prevent-training/", expect={"*": OK}, setup=site),
    Row("news:rss", expect={"*": OK}, setup=site, browse=False),
    Row("news:atom", expect={"*": OK}, setup=site, browse=False),
]
