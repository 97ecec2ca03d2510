"""The audit log is a hash chain; verify_audit names the first entry tampered with (issue 22)."""

import io

import pytest
from django.core.management import call_command
from django.db import connection

from accounts.models import AuditEntry
from accounts.services import audit_record, audit_record_many
from tests.factories import UserFactory


def _verify() -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("verify_audit", stdout=out, stderr=err)
    except SystemExit as exit_:
        return exit_.code, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


@pytest.fixture
def entries(db):
    user = UserFactory(username="op-jejak", password=None)
    audit_record(
        actor=user,
        action="update",
        object_type="registry.person",
        object_id="1",
        changes={"phone": ["+62811", "+62812"], "rate": [2.0, 1.5]},
    )
    audit_record_many(
        [
            AuditEntry(
                actor_label="sistem",
                action="import",
                object_type="imports.batch",
                changes={"rows": [0, i]},
            )
            for i in range(3)
        ]
    )
    audit_record(
        actor=user,
        action="update",
        object_type="registry.person",
        object_id="2",
        changes={"full_name": ["Ani", "Ani R."]},
        note="ubah manual",
    )
    return list(AuditEntry.objects.order_by("id"))


def test_an_untouched_chain_verifies(entries):
    # then
    assert all(len(e.hash) == 64 for e in entries)
    assert len({e.hash for e in entries}) == len(entries)
    code, out, _ = _verify()
    assert (code, out.strip()) == (0, f"Rantai audit utuh: {len(entries)} catatan diperiksa.")


def test_an_entry_changed_by_raw_update_is_named(entries):
    # given: someone edits the table directly
    tampered = entries[2]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {AuditEntry._meta.db_table} SET note = %s WHERE id = %s",
            ["dihapus diam-diam", tampered.pk],
        )

    # when
    code, _, err = _verify()

    # then
    assert code == 1
    assert f"catatan id {tampered.pk} (" in err
    assert "pelaku sistem" in err


def test_a_deleted_entry_breaks_the_chain_at_the_next(entries):
    # given
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditEntry._meta.db_table} WHERE id = %s", [entries[1].pk])

    # when
    code, _, err = _verify()

    # then
    assert code == 1 and f"catatan id {entries[2].pk} (" in err


def test_each_entry_chains_to_the_previous(entries):
    # given: rewriting an entry's content and its own hash still breaks the next one
    from accounts.audit_chain import entry_hash

    victim = entries[1]
    victim.note = "ditulis ulang"
    forged = entry_hash(entries[0].hash, victim)
    AuditEntry.objects.filter(pk=victim.pk).update(note="ditulis ulang", hash=forged)

    # when
    code, _, err = _verify()

    # then
    assert code == 1 and f"catatan id {entries[2].pk} (" in err


def test_the_migration_backfills_existing_entries(entries):
    # given: entries written before the chain existed
    import importlib

    from django.apps import apps

    AuditEntry.objects.update(hash="")
    assert _verify()[0] == 1

    # when
    migration = importlib.import_module("accounts.migrations.0004_audit_hash_chain")
    migration.backfill_hashes(apps, None)

    # then
    assert _verify()[0] == 0


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_one_chain():
    # given: writers on their own connections, each in a transaction that also waits a little
    # (PostgreSQL only: SQLite's write lock serialises these by construction)
    import threading

    from django.db import connections, transaction

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL: the advisory lock is what is under test")
    start = threading.Barrier(4)

    def write(n: int) -> None:
        try:
            start.wait()
            for i in range(10):
                with transaction.atomic():
                    audit_record(actor=None, action="other", object_type="t", object_id=f"{n}-{i}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # then
    assert AuditEntry.objects.count() == 40
    assert _verify()[0] == 0


@pytest.mark.django_db(transaction=True)
def test_a_read_record_alone_skips_the_flush_and_a_change_never_does():
    # given: PostgreSQL, no transaction around the calls (as in a request)
    from django.db import transaction
    from django.test.utils import CaptureQueriesContext

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL: synchronous_commit is what is under test")
    user = UserFactory(username="pembaca", password=None)

    def statements(action: str, *, inside: bool = False) -> list[str]:
        with CaptureQueriesContext(connection) as captured:
            if inside:
                with transaction.atomic():
                    audit_record(actor=user, action=action, object_type="t")
            else:
                audit_record(actor=user, action=action, object_type="t")
        return [q["sql"] for q in captured.captured_queries]

    # when / then: a read alone commits without waiting for the disk
    assert any("synchronous_commit" in sql for sql in statements(AuditEntry.Action.READ))
    # a change, and a read inside a larger transaction, stay durable
    assert not any("synchronous_commit" in sql for sql in statements("update"))
    assert not any(
        "synchronous_commit" in sql for sql in statements(AuditEntry.Action.READ, inside=True)
    )
    # and the chain holds
    assert _verify()[0] == 0
