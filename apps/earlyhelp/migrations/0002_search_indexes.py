"""Indexes for the central record's searches on PostgreSQL: a person's or family's name anywhere in it, a school,
the start of a postcode. Django's icontains and startswith become `UPPER(col::text) LIKE UPPER('%...%')` and
`col::text LIKE '...%'`, which trigram GIN indexes answer; pg_trgm is a trusted extension (PostgreSQL 13+), so
the hub's own database user may create it. SQLite has no such indexes and needs none at its scale."""

from django.db import migrations

INDEXES = [
    ("eh_member_first_name_trgm", "earlyhelp_familymember", "UPPER(first_name)"),
    ("eh_member_surname_trgm", "earlyhelp_familymember", "UPPER(surname)"),
    ("eh_member_aliases_trgm", "earlyhelp_familymember", "UPPER(aliases)"),
    ("eh_member_school_trgm", "earlyhelp_familymember", "UPPER(school)"),
    ("eh_member_postcode_trgm", "earlyhelp_familymember", "postcode"),
    ("eh_family_name_trgm", "earlyhelp_family", "UPPER(name)"),
    ("eh_family_postcode_trgm", "earlyhelp_family", "postcode"),
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, expression in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (({expression}) gin_trgm_ops)")


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _, _ in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("earlyhelp", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
