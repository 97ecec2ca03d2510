"""What the registry already holds, read set-based: COPY out (PostgreSQL), IN chunks (SQLite)."""

from __future__ import annotations

import io
from typing import Any

import polars as pl
from django.db import connection

from registry.bulk.schema import PG_ARRAY_LIMIT, SQLITE_CHUNK, copy_stage, empty, is_pg


def _select(sql: str, params: list[Any], schema: dict[str, Any]) -> pl.DataFrame:
    """Run a SELECT into a polars frame.

    On PostgreSQL the rows come back through ``COPY (…) TO STDOUT`` as CSV that polars parses:
    500,000 registered people would otherwise be six million Python objects first.
    """
    if is_pg():
        buffer = io.BytesIO()
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(
                f"COPY ({sql}) TO STDOUT (FORMAT csv, NULL '\\N')", params or None
            ) as copy,
        ):
            for data in copy:
                buffer.write(data)
        if not buffer.tell():
            return empty(schema)
        buffer.seek(0)
        return pl.read_csv(
            buffer,
            has_header=False,
            schema=schema,
            null_values=["\\N"],
            empty_string_is_null=False,
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if not rows:
        return empty(schema)
    return pl.DataFrame(rows, schema=schema, orient="row")


def select_in(
    sql: str,
    column: str,
    values: list[Any] | pl.Series,
    schema: dict[str, Any],
    extra: list[Any] | None = None,
) -> pl.DataFrame:
    """``sql`` has a ``{cond}`` slot filtered on ``column`` being one of ``values``.

    On PostgreSQL a few values travel as one array, unnested into a set so that the planner
    can hash-join it (``= ANY(array)`` is probed element by element); many go by COPY into a
    temporary table, straight from polars (psycopg would build a 500,000-element array in
    Python). Elsewhere they go in chunks of parameters.
    """
    extra = extra or []
    series = values if isinstance(values, pl.Series) else pl.Series("v", values)
    if not len(series):
        return empty(schema)
    if is_pg():
        kind = "bigint" if series.dtype.is_integer() else "text"
        if len(series) <= PG_ARRAY_LIMIT:
            cond = f"{column} IN (SELECT unnest(%s::{kind}[]))"
            return _select(sql.format(cond=cond), [*extra, series.to_list()], schema)
        copy_stage("bulk_keys", {"v": kind}, series.alias("v").to_frame())
        with connection.cursor() as cursor:
            # A temporary table has no statistics until analysed: without them the planner
            # probes an index once per key instead of hash-joining (half the time here).
            cursor.execute("ANALYZE bulk_keys")
        return _select(sql.format(cond=f"{column} IN (SELECT v FROM bulk_keys)"), extra, schema)
    parts = []
    for i in range(0, len(series), SQLITE_CHUNK):
        chunk = series.slice(i, SQLITE_CHUNK).to_list()
        cond = f"{column} IN ({', '.join(['%s'] * len(chunk))})"
        parts.append(_select(sql.format(cond=cond), [*extra, *chunk], schema))
    return pl.concat(parts)


PERSON_COLUMNS = {
    "person_id": pl.Int64,
    "nik": pl.String,
    "merged_into_id": pl.Int64,
    "db_full_name": pl.String,
    "db_name_key": pl.String,
    "db_titles_front": pl.String,
    "db_titles_back": pl.String,
    "db_phone": pl.String,
    "db_email": pl.String,
    "db_education_level": pl.String,
    "db_education_field": pl.String,
    "db_birth_place": pl.String,
}
ENGAGEMENT_COLUMNS = {
    "engagement_id": pl.Int64,
    "person_id": pl.Int64,
    "regency_id": pl.String,
    "db_legacy_title": pl.String,
    "db_employment_status": pl.String,
    "db_monthly_incentive": pl.Int64,
    "db_sk_number": pl.String,
    "db_sk_date": pl.Date,
    "db_start_date": pl.Date,
    "db_district_id": pl.String,
    "db_village_id": pl.String,
    "db_status": pl.String,
    "db_end_date": pl.Date,
}


def existing_people(niks: list[str] | pl.Series) -> pl.DataFrame:
    people = select_in(
        "SELECT id, nik, merged_into_id, full_name, name_key, titles_front, titles_back, phone, "
        "email, education_level, education_field, birth_place FROM registry_person WHERE {cond}",
        "nik",
        niks,
        PERSON_COLUMNS,
    )
    # A record merged into another stays under its NIK; new engagements go to the kept person.
    merged = people.filter(pl.col("merged_into_id").is_not_null())
    if merged.height:
        targets = (
            select_in(
                "SELECT id, nik, merged_into_id, full_name, name_key, titles_front, titles_back, "
                "phone, email, education_level, education_field, birth_place FROM registry_person "
                "WHERE {cond}",
                "id",
                merged["merged_into_id"].unique(),
                PERSON_COLUMNS,
            )
            .drop("nik", "merged_into_id")
            .rename({"person_id": "merged_into_id"})
        )
        people = people.join(targets, on="merged_into_id", how="left", suffix="_kept")
        people = people.with_columns(
            [
                pl.coalesce(pl.col("merged_into_id"), pl.col("person_id")).alias("person_id"),
                *[
                    pl.when(pl.col("merged_into_id").is_not_null())
                    .then(pl.col(f"{c}_kept"))
                    .otherwise(pl.col(c))
                    .alias(c)
                    for c in PERSON_COLUMNS
                    if c.startswith("db_")
                ],
            ]
        ).select(list(PERSON_COLUMNS))
    return people


def existing_engagements(person_ids: list[int], programme_id: int) -> pl.DataFrame:
    return select_in(
        "SELECT id, person_id, regency_id, legacy_title, employment_status, monthly_incentive, "
        "sk_number, sk_date, start_date, district_id, village_id, status, end_date "
        "FROM registry_engagement WHERE programme_id = %s AND {cond}",
        "person_id",
        person_ids,
        ENGAGEMENT_COLUMNS,
        extra=[programme_id],
    )


def serving_elsewhere(person_ids: list[int], programme_id: int) -> set[int]:
    """People among these with an engagement in another programme."""
    found = select_in(
        "SELECT DISTINCT person_id FROM registry_engagement WHERE programme_id <> %s AND {cond}",
        "person_id",
        person_ids,
        {"person_id": pl.Int64},
        extra=[programme_id],
    )
    return set(found["person_id"].to_list())


# --- the single door -------------------------------------------------------------------------
