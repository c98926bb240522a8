from apps.core.tests.table import FORBIDDEN, LOGIN, OK, Row

ROWS = [
    Row(
        "audit:search",
        expect={"system_admin": OK, "anonymous": LOGIN, "pending": LOGIN, "suspended": LOGIN, "*": FORBIDDEN},
    ),
    Row(
        path="/audit/?action=sign_in",
        expect={"system_admin": OK, "anonymous": LOGIN, "pending": LOGIN, "suspended": LOGIN, "*": FORBIDDEN},
    ),
    Row(
        "audit:export",
        expect={"system_admin": OK, "anonymous": LOGIN, "pending": LOGIN, "suspended": LOGIN, "*": FORBIDDEN},
        browse=False,
    ),
]
