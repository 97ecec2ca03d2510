"""Optimistic concurrency for edits of people and engagements (issue 22).

An edit carries the version of the record it was made from: the record's ``updated_at`` as
ISO 8601 in UTC (every write of a person or an engagement goes through ``save()``, which sets
it). The service locks the row and compares; a record changed since it was opened is not
overwritten. Instead the caller hears who changed it, when, and which fields, read from the
audit entries written since that version.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats, timezone

from accounts.models import AuditEntry

if TYPE_CHECKING:
    from registry.models import Engagement, Person

    # The records edited with a version: both have ``updated_at``.
    Versioned = Person | Engagement


def version_of(obj: Versioned) -> str:
    """The version an edit form or an ETag carries: ``updated_at`` in UTC, microseconds."""
    return obj.updated_at.astimezone(dt.UTC).isoformat(timespec="microseconds")


@dataclass(frozen=True)
class Change:
    label: str
    old: object
    new: object


class RecordChanged(Exception):
    """The record was changed by someone else after the editor opened it."""

    def __init__(self, *, record: Versioned, seen: str) -> None:
        self.record = record
        self.seen = seen
        self.entries = _entries_since(record, seen)
        last = self.entries[-1] if self.entries else None
        self.changed_by = last.actor_label if last else "pengguna lain"
        self.changed_at = last.at if last else record.updated_at
        super().__init__(self.message)

    @property
    def message(self) -> str:
        when = formats.date_format(timezone.localtime(self.changed_at), "j M Y H:i")
        return (
            f"Data ini telah diubah oleh {self.changed_by} pada {when} sejak Anda membukanya. "
            "Perubahan Anda belum disimpan: periksa nilai terbaru di bawah, lalu ulangi "
            "perubahan Anda bila masih perlu."
        )

    def changes(self, labels: dict[str, str] | None = None) -> list[Change]:
        """What changed since the version seen, field by field (label: oldest → newest)."""
        labels = labels or {}
        first: dict[str, object] = {}
        last: dict[str, object] = {}
        for entry in self.entries:
            for field, pair in (entry.changes or {}).items():
                if isinstance(pair, list) and len(pair) == 2:
                    first.setdefault(field, pair[0])
                    last[field] = pair[1]
        return [
            Change(
                label=labels.get(field) or _verbose(self.record, field),
                old=first[field],
                new=new,
            )
            for field, new in last.items()
            if first[field] != new
        ]

    def as_dict(self) -> dict[str, Any]:
        return {
            "detail": self.message,
            "changed_by": self.changed_by,
            "changed_at": self.changed_at.isoformat(),
            "version": version_of(self.record),
            "changes": [{"field": c.label, "old": c.old, "new": c.new} for c in self.changes()],
        }


def _verbose(record: models.Model, attname: str) -> str:
    name = attname.removesuffix("_id")
    try:
        field = record._meta.get_field(name)
    except FieldDoesNotExist:  # an audited key that is not a field keeps its name
        return attname
    # A reverse relation has no verbose_name (reading it raised AttributeError): keep the name.
    return str(field.verbose_name) if isinstance(field, models.Field) else attname


def _entries_since(record: models.Model, seen: str) -> list[AuditEntry]:
    try:
        since = dt.datetime.fromisoformat(seen)
    except ValueError:
        since = None
    qs = AuditEntry.objects.filter(
        object_type=record._meta.label_lower,
        object_id=str(record.pk),
        action=AuditEntry.Action.UPDATE,
    )
    if since is not None:
        qs = qs.filter(at__gt=since)
    return list(qs.order_by("at", "id")[:50])


def check_version(model: type[Person] | type[Engagement], pk: int, expected: str | None) -> None:
    """Lock the row and refuse when its version is not ``expected`` (``None``: no check).

    Called inside the service's transaction: on PostgreSQL the row lock holds a concurrent
    editor until this one commits, so the second reads the first's version and is refused;
    on SQLite the database's single writer gives the same order.
    """
    if expected is None:
        return
    current = model.objects.select_for_update().get(pk=pk)
    if version_of(current) != expected:
        raise RecordChanged(record=current, seen=expected)
