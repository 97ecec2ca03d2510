"""The registry's bulk write path: many people and engagements through the single door at once.

``registry_bulk_upsert`` takes validated rows (one per source row, already parsed: see the
column contract in ``ROW_SCHEMA``) for one programme and applies the single-door rules the
one-at-a-time services in ``registry.services`` apply, set-based:

- one person per NIK; a NIK already registered gets the new engagement, not a new person;
- one engagement per person, programme and regency; a repeated row adds nothing;
- a stated sex or birth date that disagrees with the NIK, a NIK issued under a regency code
  no longer in the table, and conflicting facts for one NIK (between rows, or between a row
  and the registry) raise flags; nothing already registered is silently overwritten;
- an existing engagement takes the row's changed facts (title, status, incentive, SK, TMT),
  and its person takes a changed phone/education from the same roster, each with an audit
  entry; ``full_roster`` ends the programme's engagements (in the actor's scope) that no row
  names.

It computes the whole difference first (polars), so a dry run reports exactly what a commit
would do, then writes. On PostgreSQL new people and engagements are ``COPY``-ed straight into
their tables (ids reserved, uids time-ordered); should another writer register one of the NIKs
meanwhile, a savepoint undoes that and staged ``INSERT … SELECT … ON CONFLICT`` runs instead.
Updates go through staging tables and ``UPDATE … FROM``. Elsewhere (SQLite) through
``bulk_create``/``bulk_update``. All of it runs inside the caller's transaction.

``nik_check_frame`` is the vectorised twin of ``registry.nik.nik_check`` (a property test keeps
them equal), so a 500,000-row file is checked without a Python call per NIK.

Modules: ``schema`` (column contracts, limits), ``nik`` (NIK rules), ``reads`` (what the
registry holds), ``plan`` (the difference), ``inserts`` and ``updates`` (the writes), ``upsert``
(the whole, in one transaction).
"""

from registry.bulk.inserts import uuid7_strings
from registry.bulk.nik import nik_check_frame
from registry.bulk.plan import name_key_expr
from registry.bulk.schema import NOTE_SCHEMA, ROW_SCHEMA
from registry.bulk.upsert import BulkResult, registry_bulk_upsert

__all__ = [
    "NOTE_SCHEMA",
    "ROW_SCHEMA",
    "BulkResult",
    "name_key_expr",
    "nik_check_frame",
    "registry_bulk_upsert",
    "uuid7_strings",
]
