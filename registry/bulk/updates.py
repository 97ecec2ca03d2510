"""Writing changes to registered rows (facts, roster endings), their audit entries and flags."""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

import polars as pl
from django.db import connection
from django.utils import timezone

from accounts.models import AuditEntry, User
from registry.bulk.plan import Plan
from registry.bulk.reads import existing_people
from registry.bulk.schema import ENGAGEMENT_FACTS, PERSON_FACTS, SQLITE_CHUNK, copy_stage, is_pg
from registry.models import Engagement, Flag, Person

_Model = TypeVar("_Model", Person, Engagement)


def _update(
    model: type[_Model],
    table: str,
    frame: pl.DataFrame,
    id_column: str,
    fields: dict[str, str],
) -> None:
    """Set ``fields`` (final values) on rows by id: UPDATE … FROM a staged table, or bulk_update."""
    if not frame.height:
        return
    if is_pg():
        stage = f"bulk_{table}_update"
        copy_stage(stage, {"id": "bigint", **fields}, frame.rename({id_column: "id"}))
        sets = ", ".join(f"{name} = s.{name}" for name in fields)
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {model._meta.db_table} t SET {sets}, updated_at = now() "
                f"FROM {stage} s WHERE t.id = s.id"
            )
        return
    now = timezone.now()
    objs: list[_Model] = []
    for row in frame.iter_rows(named=True):
        obj = model(pk=row[id_column], updated_at=now)
        for name in fields:
            setattr(obj, name, row[name])
        objs.append(obj)
    model.objects.bulk_update(objs, [*fields, "updated_at"], batch_size=SQLITE_CHUNK)


def json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def _audit(
    actor: User,
    *,
    object_type: str,
    object_id: int,
    person_id: int,
    repr_: str,
    changes: dict[str, list[Any]],
    note: str,
) -> AuditEntry:
    return AuditEntry(
        actor=actor if actor and actor.pk else None,
        actor_label=actor.username if actor else "sistem",
        action=AuditEntry.Action.UPDATE,
        object_type=object_type,
        object_id=str(object_id),
        object_repr=repr_[:200],
        changes=changes,
        note=note,
        person_id_ref=person_id,
    )


def apply_engagement_updates(plan: Plan, *, actor: User, source: str) -> list[AuditEntry]:
    frame = plan.engagement_updates
    if not frame.height:
        return []
    finals = frame.with_columns(
        [
            pl.when(pl.col(f"chg_{f}")).then(pl.col(f)).otherwise(pl.col(f"db_{f}")).alias(f)
            for f in ENGAGEMENT_FACTS
        ]
        + [
            pl.when(pl.col("chg_status"))
            .then(pl.lit(Engagement.Status.ACTIVE))
            .otherwise(pl.col("db_status"))
            .alias("status"),
            pl.when(pl.col("chg_status"))
            .then(None)
            .otherwise(pl.col("db_end_date"))
            .alias("end_date"),
        ]
    )
    _update(
        Engagement,
        "engagement",
        finals,
        "engagement_id",
        {
            "legacy_title": "text",
            "employment_status": "varchar(10)",
            "monthly_incentive": "bigint",
            "sk_number": "text",
            "sk_date": "date",
            "start_date": "date",
            "district_id": "varchar(8)",
            "village_id": "varchar(13)",
            "status": "varchar(10)",
            "end_date": "date",
        },
    )
    entries = []
    for row in finals.iter_rows(named=True):
        changes = {
            f: [json(row[f"db_{f}"]), json(row[f])] for f in ENGAGEMENT_FACTS if row[f"chg_{f}"]
        }
        if row["chg_status"]:
            changes["status"] = [row["db_status"], Engagement.Status.ACTIVE]
            changes["end_date"] = [json(row["db_end_date"]), None]
        entries.append(
            _audit(
                actor,
                object_type="registry.engagement",
                object_id=row["engagement_id"],
                person_id=row["person_id"],
                repr_=f"{row['legacy_title']} ({row['regency_id']})",
                changes=changes,
                note=f"{source}: data bulanan berubah",
            )
        )
    return entries


def apply_person_updates(plan: Plan, *, actor: User, source: str) -> list[AuditEntry]:
    frame = plan.person_updates
    if not frame.height:
        return []
    facts = PERSON_FACTS + ["titles_front", "titles_back"]
    finals = frame.with_columns(
        [pl.coalesce(pl.col(f"new_{f}"), pl.col(f"db_{f}"), pl.lit("")).alias(f) for f in facts]
    )
    _update(Person, "person", finals, "person_id", {f: "text" for f in facts})
    entries = []
    for row in finals.iter_rows(named=True):
        changes = {f: [row[f"db_{f}"], row[f]] for f in facts if row[f"new_{f}"] is not None}
        entries.append(
            _audit(
                actor,
                object_type="registry.person",
                object_id=row["person_id"],
                person_id=row["person_id"],
                repr_=row["nik"],
                changes=changes,
                note=f"{source}: data orang dilengkapi/diperbarui",
            )
        )
    return entries


def apply_ending(plan: Plan, *, actor: User, source: str) -> list[AuditEntry]:
    frame = plan.ending
    if not frame.height:
        return []
    today = timezone.localdate()
    finals = frame.with_columns(
        pl.lit(Engagement.Status.ENDED).alias("status"),
        # An engagement cannot end before it started (engagement_dates_ordered).
        pl.max_horizontal(pl.lit(today), pl.col("start_date")).alias("end_date"),
    )
    _update(
        Engagement,
        "engagement",
        finals,
        "engagement_id",
        {"status": "varchar(10)", "end_date": "date"},
    )
    return [
        _audit(
            actor,
            object_type="registry.engagement",
            object_id=row["engagement_id"],
            person_id=row["person_id"],
            repr_=f"{row['legacy_title']} ({row['regency_id']})",
            changes={
                "status": [Engagement.Status.ACTIVE, Engagement.Status.ENDED],
                "end_date": [None, json(row["end_date"])],
            },
            note=f"{source}: tidak ada dalam daftar lengkap (--full-roster)",
        )
        for row in finals.iter_rows(named=True)
    ]


def insert_flags(flags: pl.DataFrame) -> int:
    if not flags.height:
        return 0
    people = existing_people(flags["nik"].unique().to_list()).select("nik", "person_id")
    flags = flags.join(people, on="nik", how="inner")
    ids = flags["person_id"].unique().to_list()
    seen: set[tuple[int, str, str]] = set()
    for i in range(0, len(ids), SQLITE_CHUNK):
        seen.update(
            Flag.objects.filter(
                person_id__in=ids[i : i + SQLITE_CHUNK], engagement__isnull=True
            ).values_list("person_id", "code", "reason")
        )
    new = [
        Flag(
            person_id=row["person_id"],
            code=row["code"],
            reason=row["reason"],
            details={"asal": row["origins"][:50]},
            source=row["source"][:200],
        )
        for row in flags.iter_rows(named=True)
        # The same finding (open, or already resolved by a verifier) is not raised twice.
        if (row["person_id"], row["code"], row["reason"]) not in seen
    ]
    Flag.objects.bulk_create(new, batch_size=2000)
    return len(new)
