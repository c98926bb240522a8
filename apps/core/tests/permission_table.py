from apps.core.tests.table import OK, Row

ROWS = [
    Row("health", expect={"*": OK}, browse=False),
]
