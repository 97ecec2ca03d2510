"""The per-database word index behind registry.search (created by migration 0006).

PostgreSQL: a generated column ``name_words`` (``to_tsvector('simple', name_key)``, stored,
so that checking a row in list order costs no parsing) with a GIN index, and a ``reverse(nik)``
index for NIK suffixes; the database keeps them in step. The column is not a model field:
Django never writes it. SQLite: an FTS5 table over
``name_key`` kept in step by triggers. A later migration that rebuilds ``registry_person`` on
SQLite (Django copies the table) drops its triggers, so ``ensure`` runs after every migrate
(registry.apps) and restores them, rebuilding the index when they were missing.
"""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.backends.utils import CursorWrapper

PG_CREATE = [
    "ALTER TABLE registry_person ADD COLUMN IF NOT EXISTS name_words tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, name_key)) STORED",
    "CREATE INDEX IF NOT EXISTS registry_person_name_words ON registry_person "
    "USING gin (name_words)",
    "CREATE INDEX IF NOT EXISTS registry_person_nik_reverse ON registry_person "
    "(reverse(nik) text_pattern_ops)",
]
PG_DROP = [
    "DROP INDEX IF EXISTS registry_person_name_words",
    "ALTER TABLE registry_person DROP COLUMN IF EXISTS name_words",
    "DROP INDEX IF EXISTS registry_person_nik_reverse",
]
SQLITE_TRIGGERS = {
    "registry_person_fts_ai": "AFTER INSERT ON registry_person BEGIN "
    "INSERT INTO registry_person_fts(rowid, name_key) VALUES (new.id, new.name_key); END",
    "registry_person_fts_ad": "AFTER DELETE ON registry_person BEGIN "
    "INSERT INTO registry_person_fts(registry_person_fts, rowid, name_key) "
    "VALUES ('delete', old.id, old.name_key); END",
    "registry_person_fts_au": "AFTER UPDATE OF name_key ON registry_person BEGIN "
    "INSERT INTO registry_person_fts(registry_person_fts, rowid, name_key) "
    "VALUES ('delete', old.id, old.name_key); "
    "INSERT INTO registry_person_fts(rowid, name_key) VALUES (new.id, new.name_key); END",
}


def _sqlite_ensure(cursor: "CursorWrapper") -> None:
    cursor.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS registry_person_fts USING fts5("
        "name_key, content='registry_person', content_rowid='id')"
    )
    cursor.execute(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'registry_person'"
    )
    present = {row[0] for row in cursor.fetchall()}
    missing = [name for name in SQLITE_TRIGGERS if name not in present]
    for name in missing:
        cursor.execute(f"CREATE TRIGGER {name} {SQLITE_TRIGGERS[name]}")
    if missing:
        cursor.execute("INSERT INTO registry_person_fts(registry_person_fts) VALUES ('rebuild')")


def ensure(connection: "BaseDatabaseWrapper") -> None:
    """Create what is missing (idempotent)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for sql in PG_CREATE:
                cursor.execute(sql)
        elif connection.vendor == "sqlite":
            _sqlite_ensure(cursor)


def drop(connection: "BaseDatabaseWrapper") -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for sql in PG_DROP:
                cursor.execute(sql)
        elif connection.vendor == "sqlite":
            for name in SQLITE_TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            cursor.execute("DROP TABLE IF EXISTS registry_person_fts")
