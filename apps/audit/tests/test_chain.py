"""The audit trail is append-only and tamper-evident."""

from __future__ import annotations

import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, connections, transaction

from apps.accounts.tests.factories import UserFactory
from apps.audit.models import GENESIS_HASH, AuditAction, AuditEntry
from apps.audit.services import record, verify_chain


def write_entries(n: int, actor=None) -> list[AuditEntry]:
    return [record(action=AuditAction.VIEW, actor=actor, object_type="test.thing", object_id=str(i)) for i in range(n)]


def behind_the_applications_back(sql: str, params: list) -> None:
    """What someone with database rights could do: lift the trigger, change a row, put it back."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_entry_no_update_or_delete")
            cursor.execute(sql, params)
            cursor.execute("ALTER TABLE audit_auditentry ENABLE TRIGGER audit_entry_no_update_or_delete")
        else:
            cursor.execute("DROP TRIGGER audit_entry_no_update")
            cursor.execute("DROP TRIGGER audit_entry_no_delete")
            cursor.execute(sql, params)
            cursor.execute(
                "CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_auditentry "
                "BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;"
            )
            cursor.execute(
                "CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_auditentry "
                "BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;"
            )


@pytest.mark.django_db
def test_each_entry_holds_the_hash_of_the_one_before():
    user = UserFactory()
    first, second, third = write_entries(3, actor=user)
    assert first.previous_hash == GENESIS_HASH
    assert second.previous_hash == first.entry_hash
    assert third.previous_hash == second.entry_hash
    assert [first.sequence, second.sequence, third.sequence] == [1, 2, 3]
    assert first.actor_label == user.email
    assert first.organisation_label == user.organisation.name
    assert verify_chain() == (3, None)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_auditentry SET reason = 'changed' WHERE sequence = 1",
        "DELETE FROM audit_auditentry WHERE sequence = 1",
    ],
)
def test_the_database_refuses_to_change_or_delete_an_entry(statement):
    write_entries(2)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
    assert AuditEntry.objects.filter(sequence=1, reason="").exists()


@pytest.mark.django_db
def test_the_application_cannot_update_an_entry_through_the_orm_either():
    entry = write_entries(1)[0]
    entry.reason = "rewritten"
    with pytest.raises(DatabaseError), transaction.atomic():
        entry.save()


@pytest.mark.django_db
def test_verify_audit_names_the_entry_edited_behind_the_applications_back(capsys):
    write_entries(5)
    call_command("verify_audit")
    assert "intact: 5 entries" in capsys.readouterr().out

    behind_the_applications_back("UPDATE audit_auditentry SET actor_label = %s WHERE sequence = %s", ["mallory", 3])

    with pytest.raises(CommandError, match=r"Audit entry #3 \(id \d+\): was changed after it was written"):
        call_command("verify_audit")


@pytest.mark.django_db
def test_verify_audit_finds_an_entry_deleted_from_the_middle():
    write_entries(5)
    behind_the_applications_back("DELETE FROM audit_auditentry WHERE sequence = %s", [2])
    with pytest.raises(CommandError, match=r"Audit entry #2: is missing"):
        call_command("verify_audit")


@pytest.mark.django_db
def test_verify_audit_finds_the_newest_entries_cut_off():
    write_entries(5)
    behind_the_applications_back("DELETE FROM audit_auditentry WHERE sequence >= %s", [4])
    with pytest.raises(CommandError, match=r"chain should run to #5 but ends at #3"):
        call_command("verify_audit")


@pytest.mark.django_db
def test_a_rewritten_entry_with_a_recomputed_hash_still_breaks_the_next_link():
    entries = write_entries(3)
    forged = AuditEntry.objects.get(sequence=2)
    forged.actor_label = "someone else"
    behind_the_applications_back(
        "UPDATE audit_auditentry SET actor_label = %s, entry_hash = %s WHERE sequence = 2",
        [forged.actor_label, forged.compute_hash()],
    )
    checked, broken = verify_chain()
    assert checked == 2 and broken.sequence == 3
    assert "does not follow the entry before it" in str(broken)
    assert entries[2].previous_hash != forged.compute_hash()


@pytest.mark.django_db(transaction=True)
def test_fifty_writers_at_once_leave_one_unbroken_chain(shared_database):
    writers, per_writer = 50, 4
    start = threading.Barrier(writers)
    errors: list[BaseException] = []

    def write() -> None:
        start.wait()
        try:
            for i in range(per_writer):
                with transaction.atomic():
                    record(action=AuditAction.VIEW, object_type="test.concurrent", object_id=str(i))
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write) for _ in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors[:3]
    total = writers * per_writer
    assert sorted(AuditEntry.objects.values_list("sequence", flat=True)) == list(range(1, total + 1))
    assert verify_chain() == (total, None)


# --- PostgreSQL: entries join the chain after they commit ----------------------------------------------

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite chains each entry as it is written"
)


@pytest.fixture
def chain_after_commit(settings):
    settings.AUDIT_CHAIN_AFTER_COMMIT = True


@postgresql_only
@pytest.mark.django_db
def test_an_entry_is_written_without_the_chains_lock_and_joins_the_chain_in_the_order_written(chain_after_commit):
    from apps.audit.services import chain_pending

    written = write_entries(3)
    assert [entry.sequence for entry in written] == [None, None, None]
    assert not AuditEntry.objects.filter(entry_hash__isnull=False).exists()

    assert chain_pending() == 3
    chained = list(AuditEntry.objects.order_by("id"))
    assert [entry.sequence for entry in chained] == [1, 2, 3]
    assert chained[0].previous_hash == GENESIS_HASH
    assert chained[1].previous_hash == chained[0].entry_hash
    assert all(entry.entry_hash == entry.compute_hash() for entry in chained)
    assert chain_pending() == 0
    write_entries(1)
    assert verify_chain() == (4, None)  # verify chains what is pending first


@postgresql_only
@pytest.mark.django_db
def test_the_database_allows_an_entry_to_join_the_chain_once_and_nothing_else(chain_after_commit):
    from apps.audit.services import chain_pending

    entry = write_entries(1)[0]
    changes = [
        # Joining the chain while changing what the entry says.
        "UPDATE audit_auditentry SET sequence = 1, previous_hash = 'x', entry_hash = 'y', detail = 'changed'",
        # Changing what it says while it waits to join.
        "UPDATE audit_auditentry SET actor_label = 'mallory'",
        # Half joining.
        "UPDATE audit_auditentry SET entry_hash = 'y'",
    ]
    for statement in changes:
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement + " WHERE id = %s", [entry.pk])
    assert chain_pending() == 1
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET sequence = 7, entry_hash = 'z' WHERE id = %s", [entry.pk])
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [entry.pk])
    assert verify_chain() == (1, None)


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_an_entry_left_while_another_process_chains_is_chained_by_the_sweep(
    chain_after_commit, shared_database, settings
):
    from apps.audit.services import CHAIN_LOCK
    from apps.audit.tasks import chain_pending_entries

    holder = connections.create_connection("default")
    try:
        with holder.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [CHAIN_LOCK])  # someone else is chaining
        record(action=AuditAction.VIEW, object_type="test.thing", object_id="1")  # commits; does not wait
        assert AuditEntry.objects.get().sequence is None
    finally:
        holder.close()
    chain_pending_entries.call()
    assert AuditEntry.objects.get().sequence == 1
    assert ("apps.audit.tasks.chain_pending_entries", 60) in settings.HUB_PERIODIC_TASKS
    assert verify_chain() == (1, None)


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_fifty_writers_at_once_chaining_after_commit_leave_one_unbroken_chain(chain_after_commit, shared_database):
    test_fifty_writers_at_once_leave_one_unbroken_chain(shared_database)


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_an_entry_written_during_a_request_joins_the_chain_once_the_response_is_sent(chain_after_commit):
    from django.core.signals import request_finished

    from apps.core.after_response import begin_request

    begin_request()  # as the middleware does when a request begins
    record(action=AuditAction.VIEW, object_type="test.thing", object_id="1")  # commits at once (autocommit)
    assert AuditEntry.objects.get().sequence is None  # the person's page is not kept waiting for the chain
    request_finished.send(sender=None)  # the server has sent the response
    assert AuditEntry.objects.get().sequence == 1
    assert verify_chain() == (1, None)


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_in_a_burst_a_process_chains_at_most_once_a_second_and_the_sweep_joins_the_rest(chain_after_commit, settings):
    from django.core.signals import request_finished

    from apps.audit import services
    from apps.audit.tasks import chain_pending_entries
    from apps.core.after_response import begin_request

    settings.AUDIT_CHAIN_AT_MOST_EVERY = 60.0
    services._last_chained[0] = float("-inf")  # this process has not chained yet
    for n in range(3):
        begin_request()
        record(action=AuditAction.VIEW, object_type="test.thing", object_id=str(n))
        request_finished.send(sender=None)
    chained = dict(AuditEntry.objects.values_list("object_id", "sequence"))
    assert chained == {"0": 1, "1": None, "2": None}  # the first chained at once; the burst waits
    chain_pending_entries.call()  # the sweep, or any process's next chaining
    assert sorted(AuditEntry.objects.values_list("sequence", flat=True)) == [1, 2, 3]
    assert verify_chain() == (3, None)
