"""Entries may join the chain just after they commit (PostgreSQL): their sequence and hashes are empty until
then, and the append-only trigger lets exactly one change through: filling them in on an entry that has none,
with nothing else changed. Every other update, every delete and TRUNCATE stay refused. SQLite chains as it
writes and keeps its strict triggers (created again, since altering the columns rebuilds its table)."""

from django.db import migrations, models

SQLITE_TRIGGERS = [
    "DROP TRIGGER IF EXISTS audit_entry_no_update;",
    "DROP TRIGGER IF EXISTS audit_entry_no_delete;",
    """CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_auditentry
       BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;""",
    """CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_auditentry
       BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;""",
]
CHAINING_ONLY = """
CREATE OR REPLACE FUNCTION audit_entry_refuse_change() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND OLD.entry_hash IS NULL AND OLD.sequence IS NULL
       AND NEW.entry_hash IS NOT NULL AND NEW.sequence IS NOT NULL
       AND to_jsonb(NEW) - ARRAY['sequence', 'previous_hash', 'entry_hash']
           = to_jsonb(OLD) - ARRAY['sequence', 'previous_hash', 'entry_hash'] THEN
        RETURN NEW;  -- an entry joining the chain, once
    END IF;
    RAISE EXCEPTION 'audit entries are append-only';
END;
$$ LANGUAGE plpgsql;
"""
REFUSE_EVERYTHING = """
CREATE OR REPLACE FUNCTION audit_entry_refuse_change() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION 'audit entries are append-only'; END;
$$ LANGUAGE plpgsql;
"""


def sqlite_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_TRIGGERS:
            schema_editor.execute(statement)


def allow_chaining(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CHAINING_ONLY)
    else:
        sqlite_triggers(apps, schema_editor)


def refuse_everything(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REFUSE_EVERYTHING)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_triggers")]
    operations = [
        # Going back, this runs last: the columns' change rebuilt SQLite's table without its triggers.
        migrations.RunPython(migrations.RunPython.noop, sqlite_triggers),
        migrations.AlterField(
            model_name="auditentry",
            name="sequence",
            field=models.PositiveBigIntegerField(blank=True, null=True, unique=True),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="entry_hash",
            field=models.CharField(blank=True, max_length=64, null=True, unique=True),
        ),
        migrations.RunPython(allow_chaining, refuse_everything),
    ]
