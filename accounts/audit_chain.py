"""The audit log as a hash chain (issue 22): tampering with an entry shows.

Each entry carries ``hash = sha256(previous entry's hash + canonical JSON of its content)``,
chained in insertion (id) order; the first entry chains to the empty string. Editing,
deleting or inserting an entry by hand breaks the chain at that entry, and
``manage.py verify_audit`` names the first entry whose hash does not hold.

Concurrent writers must not both chain to the same last entry. On PostgreSQL a
transaction-scoped advisory lock is taken before the last hash is read and held until the
transaction ends (so a second writer reads the first one's committed entry); on SQLite the
project opens every transaction IMMEDIATE, so the database's single write lock already
serialises them. The cost: transactions that write audit entries commit one after another.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection

from accounts.models import AuditEntry

# Any fixed 64-bit key; names this lock in pg_locks.
ADVISORY_LOCK_KEY = 0x5A7F_A0D1_7C4A_1


def _normalise(value: Any) -> Any:
    """JSON as the database gives it back: PostgreSQL's jsonb writes 2.0 and 1e20 as numbers
    that read back as integers, and tuples come back as lists."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {str(k): _normalise(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_normalise(v) for v in value]
    return value


def canonical(entry: Any) -> str:
    """The entry's content as one canonical JSON text (sorted keys, no spaces, UTC time).

    The actor's foreign key is left out (it becomes NULL when an account is deleted, which is
    not tampering); the actor's name, kept in ``actor_label``, is in.
    """
    content = {
        "uid": str(entry.uid),
        "at": entry.at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "actor": entry.actor_label,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "object_repr": entry.object_repr,
        "person": entry.person_id_ref,
        "changes": _normalise(json.loads(json.dumps(entry.changes or {}))),
        "note": entry.note,
    }
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def entry_hash(previous: str, entry: Any) -> str:
    return hashlib.sha256((previous + canonical(entry)).encode()).hexdigest()


def commit_without_flush() -> None:
    """Inside a transaction that writes only read records: let PostgreSQL commit it without
    waiting for the WAL flush (a crash loses it, never half of it; the chain stays whole)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


def lock_and_last_hash() -> str:
    """Inside a transaction: serialise chain writers, then read the last entry's hash."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK_KEY])
    last = AuditEntry.objects.order_by("-id").values_list("hash", flat=True).first()
    return last or ""


def chain(entries: Iterable[Any], previous: str) -> str:
    """Give each (unsaved) entry its hash in order; returns the last hash."""
    for entry in entries:
        entry.hash = entry_hash(previous, entry)
        previous = entry.hash
    return previous


@dataclass(frozen=True)
class Break:
    id: int
    at: Any
    actor: str
    reason: str


def verify(entries: Iterator[Any]) -> tuple[int, Break | None]:
    """Walk entries in id order; returns (entries checked, the first break or None)."""
    previous, checked = "", 0
    for entry in entries:
        checked += 1
        if not entry.hash:
            return checked, Break(entry.id, entry.at, entry.actor_label, "tanpa hash")
        if entry.hash != entry_hash(previous, entry):
            return checked, Break(
                entry.id,
                entry.at,
                entry.actor_label,
                "isi catatan atau catatan sebelumnya telah diubah, dihapus atau disisipkan",
            )
        previous = entry.hash
    return checked, None
