"""Writing new people and engagements: COPY straight into the tables on PostgreSQL (with the
staged ``INSERT … ON CONFLICT`` as the fallback), ``bulk_create`` elsewhere."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import polars as pl
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone

from accounts.models import User
from registry.bulk.schema import (
    COPY_SLICE,
    ENGAGEMENT_STAGE,
    PERSON_STAGE,
    SQLITE_CHUNK,
    copy_stage,
    empty,
    is_pg,
)
from registry.models import Engagement, Person, Programme, Verification

UUID_V7_SQL = (
    # Time-ordered UUIDs (RFC 9562 version 7): new rows land at the right edge of the uid index
    # instead of at random pages, which is most of the cost of a large insert.
    "encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid()) placing "
    "substring(int8send(floor(extract(epoch from clock_timestamp()) * 1000)::bigint) from 3) "
    "from 1 for 6), 52, 1), 53, 1), 'hex')::uuid"
)


def _blank(frame: pl.DataFrame, columns: Iterable[str]) -> pl.DataFrame:
    return frame.with_columns([pl.col(c).fill_null("") for c in columns])


def _insert_select(
    model: type[models.Model],
    stage: str,
    staged: Iterable[str],
    *,
    fixed: dict[str, Any],
    computed: dict[str, str] | None = None,
    joins: str = "",
) -> tuple[str, list[Any]]:
    """``INSERT INTO <model> (…) SELECT … FROM <stage>`` covering every concrete column.

    Columns come from the model, not a hand-written list, so a field added to the model later
    gets its Python default here exactly as ``bulk_create`` would give it (Django sets no
    database defaults). ``uid`` is a time-ordered UUID, timestamps are the transaction's.
    """
    staged = set(staged)
    names, values, params = [], [], []
    for f in model._meta.concrete_fields:
        if f.primary_key:
            continue
        assert f.column is not None  # a concrete field has a column (the stubs allow None)
        names.append(f.column)
        if computed and f.attname in computed:
            values.append(computed[f.attname])
        elif f.attname in staged:
            values.append(f"s.{f.attname}")
        elif f.attname in fixed:
            values.append("%s")
            params.append(fixed[f.attname])
        elif f.name == "uid":
            values.append(UUID_V7_SQL)
        elif getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            values.append("now()")
        else:
            values.append("%s")
            params.append(f.get_db_prep_save(f.get_default(), connection))
    sql = (
        f"INSERT INTO {model._meta.db_table} ({', '.join(names)}) "
        f"SELECT {', '.join(values)} FROM {stage} s {joins}"
    )
    return sql, params


def _may_skip_fk_triggers() -> bool:
    """Whether this database role may set session_replication_role (PostgreSQL only)."""
    if not is_pg():
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        row = cursor.fetchone()
        if row and row[0]:
            return True
        # The PostgreSQL wrapper's attribute (this is PostgreSQL: _is_pg above).
        if connection.pg_version < 150000:  # type: ignore[attr-defined]
            return False
        cursor.execute("SELECT has_parameter_privilege('session_replication_role', 'SET')")
        return bool(cursor.fetchone()[0])


@contextmanager
def _references_checked(references: list[tuple[str, str, list[Any]]]) -> Iterator[None]:
    """Check every row the insert refers to once, set-based, instead of once per inserted row.

    A foreign key in PostgreSQL is a trigger per inserted row (here deferred to the commit):
    for 500,000 engagements with five references each that is 2.5 million lookups, most of an
    import's time. When the role may, the referenced rows are instead checked and locked
    ``FOR KEY SHARE`` (the lock the trigger itself takes, so they cannot vanish before the
    commit) with one query per table, and the triggers are skipped for the insert statement
    only (``session_replication_role = replica``, as pg_restore does). Without the privilege,
    or on another database, the ordinary per-row checks run.
    """
    if not _may_skip_fk_triggers():
        yield
        return
    with connection.cursor() as cursor:
        for table, column, values in references:
            wanted = sorted({v for v in values if v is not None})
            if not wanted:
                continue
            cursor.execute(
                f"SELECT count(*) FROM (SELECT 1 FROM {table} WHERE {column} = ANY(%s) "
                "FOR KEY SHARE) AS found",
                [wanted],
            )
            if cursor.fetchone()[0] != len(wanted):
                raise IntegrityError(f"Rujukan ke {table} tidak ditemukan; impor dibatalkan.")
        # SET LOCAL ends with the transaction, and a rollback (to a savepoint too) undoes it.
        cursor.execute("SET LOCAL session_replication_role = replica")
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = origin")


def uuid7_strings(count: int, *, start: int = 0, ms: int | None = None) -> list[str]:
    """``count`` time-ordered UUIDs (RFC 9562 version 7), strictly increasing, as hex text.

    New rows then land at the right edge of the ``uid`` index instead of at random pages,
    which is a large part of the cost of a big insert. The 12 bits after the version count
    rows within a millisecond step (a batch of more than 4,096 spreads over the following
    milliseconds); the last 62 bits are random, so a uid cannot be guessed from another.
    A batch made in slices passes the same ``ms`` and each slice's ``start``.
    """
    ms = time.time_ns() // 1_000_000 if ms is None else ms
    rand = os.urandom(8 * count).hex()
    return [
        f"{((ms + (i >> 12)) << 16) | 0x7000 | (i & 0xFFF):016x}"
        f"{'89ab'[int(rand[16 * j], 16) & 3]}{rand[16 * j + 1 : 16 * j + 16]}"
        for j, i in enumerate(range(start, start + count))
    ]


def _reserve_ids(model: type[models.Model], count: int) -> pl.Series:
    """Take ``count`` ids from the table's identity sequence (PostgreSQL), so that rows can be
    written with their ids known (engagements refer to new people without a lookup)."""
    table = model._meta.db_table
    column = model._meta.pk.column
    buffer = io.BytesIO()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, column])
        (sequence,) = cursor.fetchone()
        with cursor.cursor.copy(
            f"COPY (SELECT nextval('{sequence}') FROM generate_series(1, {int(count)})) TO STDOUT"
        ) as copy:
            for chunk in copy:
                buffer.write(chunk)
    buffer.seek(0)
    return pl.read_csv(buffer, has_header=False, new_columns=["id"], schema={"id": pl.Int64})["id"]


def _copy_value(value: Any) -> str | None:
    """A Python default as COPY text."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, dict | list):
        return json.dumps(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)


def _copy_rows(
    model: type[models.Model],
    frame: pl.DataFrame,
    *,
    fixed: dict[str, Any],
    order: pl.Series | None = None,
) -> None:
    """COPY rows straight into a registry table (PostgreSQL): every concrete column comes from
    the frame, ``fixed``, a new time-ordered uid, the time now, or the field's Python default
    (as ``bulk_create`` would give it: Django sets no database defaults). The id is the frame's
    when it has one, else the table's sequence. ``order`` (row positions) is the order to write
    in, so that index entries arrive sorted; the frame itself is not copied to sort it."""
    now = timezone.now()
    names, exprs, uid = [], [], None
    for f in model._meta.concrete_fields:
        if f.primary_key and f.attname not in frame.columns:
            continue
        assert f.column is not None  # a concrete field has a column (the stubs allow None)
        names.append(f.column)
        if f.attname in frame.columns:
            exprs.append(pl.col(f.attname))
        elif f.attname in fixed:
            exprs.append(pl.lit(_copy_value(fixed[f.attname]), dtype=pl.String))
        elif f.name == "uid":
            uid = f.column
            exprs.append(pl.col(uid))
        elif getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            exprs.append(pl.lit(now.isoformat(), dtype=pl.String))
        elif isinstance(f, models.JSONField):
            exprs.append(pl.lit(json.dumps(f.get_default()), dtype=pl.String))
        else:
            default = f.get_db_prep_save(f.get_default(), connection)
            exprs.append(pl.lit(_copy_value(default), dtype=pl.String))
    ms = time.time_ns() // 1_000_000
    # The psycopg cursor under Django's wrapper: its errors become Django's (IntegrityError).
    with (
        connection.wrap_database_errors,
        connection.cursor() as cursor,
        cursor.cursor.copy(
            f"COPY {model._meta.db_table} ({', '.join(names)}) FROM STDIN (FORMAT csv, NULL '\\N')"
        ) as copy,
    ):
        # A slice at a time: only a slice's constant columns, uids and CSV text are in memory.
        for offset in range(0, frame.height, COPY_SLICE):
            if order is None:
                part = frame.slice(offset, COPY_SLICE)
            else:
                part = frame.select(pl.all().gather(order.slice(offset, COPY_SLICE)))
            if uid:
                uids = uuid7_strings(part.height, start=offset, ms=ms)
                part = part.with_columns(pl.Series(uid, uids, dtype=pl.String))
            buffer = io.BytesIO()
            part.select([e.alias(n) for e, n in zip(exprs, names, strict=True)]).write_csv(
                buffer, include_header=False, null_value="\\N", quote_style="necessary"
            )
            copy.write(buffer.getbuffer())


def _is_unique_violation(error: IntegrityError) -> bool:
    cause = error.__cause__
    return getattr(cause, "sqlstate", None) == "23505"


def insert_people(frame: pl.DataFrame, *, actor: User) -> pl.DataFrame:
    """Insert new people and return nik -> person_id. On PostgreSQL an empty frame means the
    ids stay in the database (the engagements then find their person there by NIK)."""
    ids_schema = {"nik": pl.String, "person_id": pl.Int64}
    if not frame.height:
        return empty(ids_schema)
    frame = _blank(frame, [c for c, t in PERSON_STAGE.items() if t != "date"])
    actor_id = actor.pk if actor and actor.pk else None
    fixed = {"verification": Verification.PENDING, "created_by_id": actor_id}
    if is_pg():
        # Written in NIK order with ascending ids: the NIK and id indexes take them in order.
        frame = frame.select(list(PERSON_STAGE))
        rank = frame["nik"].rank("ordinal").cast(pl.Int64) - 1
        frame = frame.with_columns(_reserve_ids(Person, frame.height).gather(rank).alias("id"))
        order = frame["nik"].arg_sort()
        try:
            # Straight into the table with known ids. A NIK registered meanwhile by someone
            # else breaks the unique index: then the slower statement below leaves it theirs.
            with (
                transaction.atomic(),
                _references_checked([("accounts_user", "id", [actor_id])]),
            ):
                _copy_rows(Person, frame, fixed=fixed, order=order)
            return frame.select("nik", pl.col("id").alias("person_id"))
        except IntegrityError as error:
            if not _is_unique_violation(error):
                raise
        copy_stage("bulk_person", PERSON_STAGE, frame.sort("nik"))
        sql, params = _insert_select(Person, "bulk_person", PERSON_STAGE, fixed=fixed)
        with _references_checked([("accounts_user", "id", [actor_id])]), connection.cursor() as c:
            c.execute(f"{sql} ON CONFLICT (nik) DO NOTHING", params)
        return empty(ids_schema)
    objs = [
        Person(created_by_id=actor_id, **{k: v for k, v in row.items() if k in PERSON_STAGE})
        for row in frame.iter_rows(named=True)
    ]
    Person.objects.bulk_create(objs, batch_size=SQLITE_CHUNK)
    return pl.DataFrame(
        {"nik": [o.nik for o in objs], "person_id": [o.pk for o in objs]}, schema=ids_schema
    )


def insert_engagements(
    frame: pl.DataFrame, *, programme: Programme, actor: User, new_ids: pl.DataFrame
) -> int:
    """Insert new engagements. ``person_id`` is set for people registered before this import;
    the others are found by NIK (in ``new_ids``, or in SQL when the people's insert had to
    leave some NIKs to a concurrent writer)."""
    if not frame.height:
        return 0
    # People registered before this import (those registered by it are this transaction's
    # own rows and need no check).
    registered = frame["person_id"].drop_nulls().unique().to_list()
    frame = _blank(
        frame.select("nik", *[c for c in ENGAGEMENT_STAGE if c != "province_id"]),
        ["legacy_title", "sk_number"],
    ).with_columns(pl.col("regency_id").str.slice(0, 2).alias("province_id"))
    if new_ids.height:
        # A narrow join (NIK and id only), in the frame's row order.
        found = (
            frame.select("nik")
            .join(new_ids, on="nik", how="left", maintain_order="left")
            .get_column("person_id")
        )
        frame = frame.with_columns(pl.coalesce(pl.col("person_id"), found).alias("person_id"))
    actor_id = actor.pk if actor and actor.pk else None
    fixed = {
        "programme_id": programme.pk,
        "status": Engagement.Status.ACTIVE,
        "verification": Verification.PENDING,
        "created_by_id": actor_id,
    }
    if is_pg():
        references: list[tuple[str, str, list[Any]]] = [
            ("accounts_user", "id", [actor_id]),
            ("registry_programme", "id", [programme.pk]),
            ("registry_person", "id", registered),
            ("regions_province", "code", frame["province_id"].unique().to_list()),
            ("regions_regency", "code", frame["regency_id"].unique().to_list()),
            ("regions_district", "code", frame["district_id"].unique().to_list()),
            ("regions_village", "code", frame["village_id"].unique().to_list()),
        ]
        if frame["person_id"].null_count() == 0:
            order = frame.select(pl.arg_sort_by("person_id", "nik")).to_series()
            try:
                with transaction.atomic(), _references_checked(references):
                    _copy_rows(
                        Engagement,
                        frame.select(list(ENGAGEMENT_STAGE)),
                        fixed=fixed,
                        order=order,
                    )
                return frame.height
            except IntegrityError as error:
                if not _is_unique_violation(error):
                    raise
        copy_stage("bulk_engagement", {"nik": "varchar(16)", **ENGAGEMENT_STAGE}, frame)
        sql, params = _insert_select(
            Engagement,
            "bulk_engagement",
            ENGAGEMENT_STAGE,
            fixed=fixed,
            computed={"person_id": "COALESCE(s.person_id, p.id)"},
            joins="LEFT JOIN registry_person p ON s.person_id IS NULL AND p.nik = s.nik",
        )
        with _references_checked(references), connection.cursor() as cursor:
            cursor.execute(
                f"{sql} ON CONFLICT (person_id, programme_id, regency_id) DO NOTHING", params
            )
            return int(cursor.rowcount)
    objs = [
        Engagement(
            programme=programme,
            created_by_id=actor_id,
            **{k: v for k, v in row.items() if k in ENGAGEMENT_STAGE},
        )
        for row in frame.iter_rows(named=True)
    ]
    Engagement.objects.bulk_create(objs, batch_size=SQLITE_CHUNK, ignore_conflicts=True)
    return len(objs)
