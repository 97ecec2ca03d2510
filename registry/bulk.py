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
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import time
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import polars as pl
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone

from accounts import access
from accounts.models import AuditEntry, User
from accounts.services import audit_record_many
from regions.selectors import region_code_sets
from registry.models import Engagement, Flag, Person, Programme, Verification
from registry.nik import ADULT_MIN_AGE
from registry.services import person_flags_refresh

ProgressFn = Callable[[int, int, str], None]

# The columns registry_bulk_upsert reads. Null means "the source does not say".
ROW_SCHEMA: dict[str, Any] = {
    "src": pl.Int64,  # the caller's row id; notes refer to it
    "origin": pl.String,  # where the row came from, for verifiers ("anak.csv baris 116")
    "nik": pl.String,
    "full_name": pl.String,
    "titles_front": pl.String,
    "titles_back": pl.String,
    "sex": pl.String,  # as the NIK encodes it
    "birth_date": pl.Date,  # as the NIK encodes it (century chosen by the stated date)
    "stated_sex": pl.String,
    "stated_birth_date": pl.Date,
    "birth_place": pl.String,
    "phone": pl.String,
    "email": pl.String,
    "education_level": pl.String,
    "education_field": pl.String,
    "regency_id": pl.String,
    "district_id": pl.String,
    "village_id": pl.String,
    "legacy_title": pl.String,
    "employment_status": pl.String,
    "monthly_incentive": pl.Int64,
    "sk_number": pl.String,
    "sk_date": pl.Date,
    "start_date": pl.Date,
}
NOTE_SCHEMA: dict[str, Any] = {
    "src": pl.Int64,
    "field": pl.String,
    "value": pl.String,
    "severity": pl.String,
    "code": pl.String,
    "message": pl.String,
    "fix": pl.String,
}
PERSON_FACTS = ["phone", "email", "education_level", "education_field", "birth_place"]
# Facts compared between rows of one NIK: a difference is a conflict to verify.
# (A stated sex or birth date is compared with the NIK instead, which covers both rows.)
PERSON_IDENTITY = ["name_key"]
ENGAGEMENT_FACTS = [
    "legacy_title",
    "employment_status",
    "monthly_incentive",
    "sk_number",
    "sk_date",
    "start_date",
    "district_id",
    "village_id",
]
FACT_LABELS = {
    "name_key": "nama",
    "stated_sex": "jenis kelamin",
    "stated_birth_date": "tanggal lahir",
    "phone": "nomor HP",
    "email": "surel",
    "education_level": "jenjang pendidikan",
    "education_field": "bidang pendidikan",
    "birth_place": "tempat lahir",
    "legacy_title": "jabatan",
    "employment_status": "status kepegawaian",
    "monthly_incentive": "insentif",
    "sk_number": "nomor SK",
    "sk_date": "tanggal SK",
    "start_date": "TMT",
    "district_id": "kecamatan",
    "village_id": "desa/kelurahan",
    "status": "status penugasan",
    "end_date": "tanggal selesai",
}
# Which source field a fact comes from (for pointing the report at a column).
FACT_FIELDS = {
    "name_key": "name",
    "stated_sex": "sex",
    "stated_birth_date": "birth_date",
    "education_level": "education",
    "education_field": "education",
    "monthly_incentive": "incentive",
    "district_id": "district",
    "village_id": "village",
}
SQLITE_CHUNK = 500
PG_ARRAY_LIMIT = 5_000
COPY_SLICE = 50_000


# --- NIK rules, vectorised -------------------------------------------------------------------

NIK_ERROR_CODES = (  # nik_check's order
    "nik_missing",
    "nik_chars",
    "nik_length",
    "nik_birth_date",
    "nik_province",
    "nik_serial",
)


def nik_check_frame(
    frame: pl.DataFrame,
    nik: str,
    *,
    province_codes: Iterable[str],
    regency_codes: Iterable[str],
    today: dt.date | None = None,
) -> pl.DataFrame:
    """The rules of ``registry.nik.nik_check``, vectorised over the cleaned NIK column ``nik``.

    Adds: ``nik_error`` (the first error code, in nik_check's order, or null), ``nik_sex``,
    ``nik_birth_1900``/``nik_birth_2000`` (the candidate dates, null when not real),
    ``nik_birth`` (``NikResult.likely_birth_date``) and ``nik_old_region`` (the regency prefix
    is not in today's table: a warning, as in nik_check). Dates are built arithmetically, not
    parsed from text, which keeps 500,000 NIKs well under a second.
    """
    today = today or dt.date.today()
    provinces = pl.Series(sorted(province_codes), dtype=pl.String).implode()
    regencies = pl.Series(sorted(regency_codes), dtype=pl.String).implode()
    col = pl.col(nik)
    digits = col.str.contains(r"^[0-9]+$")
    day = col.str.slice(6, 2).cast(pl.Int32, strict=False)
    frame = frame.with_columns(
        day.alias("_d"),
        col.str.slice(8, 2).cast(pl.Int32, strict=False).alias("_m"),
        col.str.slice(10, 2).cast(pl.Int32, strict=False).alias("_yy"),
        day.is_between(41, 71).fill_null(False).alias("_female"),
    ).with_columns(
        pl.when(pl.col("_female")).then(pl.col("_d") - 40).otherwise(pl.col("_d")).alias("_rd")
    )

    def candidate(century: int) -> pl.Expr:
        year, month, day_ = pl.col("_yy") + century, pl.col("_m"), pl.col("_rd")
        leap = ((year % 4 == 0) & (year % 100 != 0)) | (year % 400 == 0)
        last = (
            pl.when(month == 2)
            .then(pl.when(leap).then(29).otherwise(28))
            .when(month.is_in([4, 6, 9, 11]))
            .then(30)
            .otherwise(31)
        )
        real = month.is_between(1, 12) & day_.is_between(1, 31) & (day_ <= last)
        # Always a valid date to build; masked to null where the digits are no real date.
        built = pl.date(year, month.clip(1, 12), 1) + pl.duration(days=day_.clip(1, 31) - 1)
        return pl.when(real.fill_null(False)).then(built).otherwise(None)

    frame = frame.with_columns(
        candidate(1900).alias("nik_birth_1900"), candidate(2000).alias("nik_birth_2000")
    )
    c19, c20 = pl.col("nik_birth_1900"), pl.col("nik_birth_2000")
    adult_limit = today - dt.timedelta(days=ADULT_MIN_AGE * 365)
    past20 = c20.is_not_null() & (c20 <= pl.lit(today))
    likely = (
        pl.when(past20 & (c20 <= pl.lit(adult_limit)))
        .then(c20)  # the latest adult candidate
        .when(c19.is_not_null() & (c19 <= pl.lit(adult_limit)))
        .then(c19)
        .when(past20)
        .then(c20)  # no adult: the latest one in the past
        .when(c19.is_not_null() & (c19 <= pl.lit(today)))
        .then(c19)
        .otherwise(None)
    )
    day_ok = pl.col("_d").is_between(1, 31) | pl.col("_female")
    error = (
        pl.when(col.is_null() | (col == ""))
        .then(pl.lit("nik_missing"))
        .when(~digits)
        .then(pl.lit("nik_chars"))
        .when(col.str.len_chars() != 16)
        .then(pl.lit("nik_length"))
        .when(~day_ok)
        .then(pl.lit("nik_birth_date"))
        .when(c19.is_null() & c20.is_null())
        .then(pl.lit("nik_birth_date"))
        .when(~col.str.slice(0, 2).is_in(provinces))
        .then(pl.lit("nik_province"))
        .when(col.str.slice(12, 4) == "0000")
        .then(pl.lit("nik_serial"))
        .otherwise(None)
    )
    prefix = pl.format("{}.{}", col.str.slice(0, 2), col.str.slice(2, 2))
    return frame.with_columns(
        error.alias("nik_error"),
        pl.when(pl.col("_female")).then(pl.lit("P")).otherwise(pl.lit("L")).alias("nik_sex"),
        likely.alias("nik_birth"),
        (~prefix.is_in(regencies)).alias("nik_old_region"),
    ).drop("_d", "_m", "_yy", "_female", "_rd")


# --- results ---------------------------------------------------------------------------------


@dataclass
class BulkResult:
    counts: dict[str, int] = field(default_factory=dict)
    notes: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=NOTE_SCHEMA))
    ending: list[dict[str, Any]] = field(default_factory=list)
    changes: list[dict[str, Any]] = field(default_factory=list)  # sample of changed facts


def _notes(frame: pl.DataFrame, **columns: pl.Expr | str) -> pl.DataFrame:
    exprs = []
    for key, dtype in NOTE_SCHEMA.items():
        value = columns.get(key, pl.col(key) if key == "src" else None)
        if isinstance(value, str):
            value = pl.lit(value)
        exprs.append((value if value is not None else pl.lit(None)).cast(dtype).alias(key))
    return frame.select(exprs)


def _empty(schema: dict[str, Any]) -> pl.DataFrame:
    return pl.DataFrame(schema=schema)


# --- reads -----------------------------------------------------------------------------------


def _is_pg() -> bool:
    return connection.vendor == "postgresql"


def _select(sql: str, params: list[Any], schema: dict[str, Any]) -> pl.DataFrame:
    """Run a SELECT into a polars frame.

    On PostgreSQL the rows come back through ``COPY (…) TO STDOUT`` as CSV that polars parses:
    500,000 registered people would otherwise be six million Python objects first.
    """
    if _is_pg():
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
            return _empty(schema)
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
        return _empty(schema)
    return pl.DataFrame(rows, schema=schema, orient="row")


def _select_in(
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
        return _empty(schema)
    if _is_pg():
        kind = "bigint" if series.dtype.is_integer() else "text"
        if len(series) <= PG_ARRAY_LIMIT:
            cond = f"{column} IN (SELECT unnest(%s::{kind}[]))"
            return _select(sql.format(cond=cond), [*extra, series.to_list()], schema)
        _copy_stage("bulk_keys", {"v": kind}, series.alias("v").to_frame())
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


def _existing_people(niks: list[str] | pl.Series) -> pl.DataFrame:
    people = _select_in(
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
            _select_in(
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


def _existing_engagements(person_ids: list[int], programme_id: int) -> pl.DataFrame:
    return _select_in(
        "SELECT id, person_id, regency_id, legacy_title, employment_status, monthly_incentive, "
        "sk_number, sk_date, start_date, district_id, village_id, status, end_date "
        "FROM registry_engagement WHERE programme_id = %s AND {cond}",
        "person_id",
        person_ids,
        ENGAGEMENT_COLUMNS,
        extra=[programme_id],
    )


def _serving_elsewhere(person_ids: list[int], programme_id: int) -> set[int]:
    """People among these with an engagement in another programme."""
    found = _select_in(
        "SELECT DISTINCT person_id FROM registry_engagement WHERE programme_id <> %s AND {cond}",
        "person_id",
        person_ids,
        {"person_id": pl.Int64},
        extra=[programme_id],
    )
    return set(found["person_id"].to_list())


# --- the single door -------------------------------------------------------------------------


def _conform(rows: pl.DataFrame) -> pl.DataFrame:
    missing = [
        pl.lit(None, dtype=t).alias(c) for c, t in ROW_SCHEMA.items() if c not in rows.columns
    ]
    rows = rows.with_columns(missing) if missing else rows
    rows = rows.select([pl.col(c).cast(t) for c, t in ROW_SCHEMA.items()])
    return rows if rows["src"].is_sorted() else rows.sort("src")


def _nik_flags(rows: pl.DataFrame, regency_codes: frozenset[str]) -> pl.DataFrame:
    """Row notes for stated facts that disagree with the NIK (registry.nik.nik_mismatches)."""
    stated = pl.col("stated_birth_date")
    nik_date = pl.col("birth_date")
    date_differs = stated.is_not_null() & (
        (stated.dt.day() != nik_date.dt.day())
        | (stated.dt.month() != nik_date.dt.month())
        | (stated.dt.year() % 100 != nik_date.dt.year() % 100)
    )
    sex_differs = pl.col("stated_sex").is_not_null() & (pl.col("stated_sex") != pl.col("sex"))
    encoded = pl.when(pl.col("sex") == "P").then(pl.lit("perempuan")).otherwise(pl.lit("laki-laki"))
    prefix = pl.format("{}.{}", pl.col("nik").str.slice(0, 2), pl.col("nik").str.slice(2, 2))
    parts = [
        _notes(
            rows.filter(date_differs),
            field="birth_date",
            value=stated.dt.strftime("%d-%m-%Y"),
            severity="flag",
            code=Flag.Code.NIK_BIRTH_DATE,
            message=pl.format(
                "Tanggal lahir tercatat {}, tetapi NIK menunjukkan {}.",
                stated.dt.strftime("%d-%m-%Y"),
                nik_date.dt.strftime("%d-%m-%Y"),
            ),
            fix="Cocokkan dengan KTP: jika NIK benar, perbaiki tanggal lahir; jika tanggal lahir "
            "benar, NIK kemungkinan salah ketik. Data tetap masuk dan ditandai untuk verifikasi.",
        ),
        _notes(
            rows.filter(sex_differs),
            field="sex",
            value=pl.col("stated_sex"),
            severity="flag",
            code=Flag.Code.NIK_SEX,
            message=pl.format(
                "Jenis kelamin tercatat {}, tetapi NIK menunjukkan {}.",
                pl.col("stated_sex"),
                encoded,
            ),
            fix="Cocokkan dengan KTP (digit tanggal NIK ditambah 40 untuk perempuan). Data tetap "
            "masuk dan ditandai untuk verifikasi.",
        ),
        _notes(
            rows.filter(~prefix.is_in(pl.Series(sorted(regency_codes), dtype=pl.String).implode())),
            field="nik",
            value=pl.col("nik"),
            severity="flag",
            code=Flag.Code.NIK_REGION_UNKNOWN,
            message=pl.format(
                "Kode kabupaten/kota NIK ({}) tidak ada dalam tabel wilayah saat ini (mungkin kode "
                "lama sebelum pemekaran).",
                prefix,
            ),
            fix="Tidak perlu diubah bila NIK sesuai KTP; verifikator akan memeriksanya.",
        ),
    ]
    return pl.concat(parts)


def _row_conflicts(rows: pl.DataFrame) -> pl.DataFrame:
    """Rows that repeat a NIK (or NIK and regency) of an earlier row: a repeat adds nothing, a
    repeat with different facts is a conflict to verify (the first row's facts are used)."""
    notes = []
    for facts, keys, scope in (
        (PERSON_IDENTITY + PERSON_FACTS, ["nik"], "orang"),
        (ENGAGEMENT_FACTS, ["nik", "regency_id"], "penugasan"),
    ):
        repeated = rows.filter(pl.len().over(keys) > 1)  # usually a handful of rows
        if not repeated.height:
            continue
        first = repeated.sort("src").group_by(keys, maintain_order=True).first()
        joined = repeated.join(first, on=keys, suffix="_first").filter(
            pl.col("src") != pl.col("src_first")
        )
        if not joined.height:
            continue
        if scope == "penugasan":
            notes.append(
                _notes(
                    joined,
                    field="nik",
                    value=pl.col("nik"),
                    severity="warning",
                    code="duplicate_row",
                    message=pl.format(
                        "Baris ini mengulang {} (NIK dan kabupaten/kota sama); tidak dibuat "
                        "penugasan kedua.",
                        pl.col("origin_first"),
                    ),
                    fix="Hapus baris ganda dari berkas bila memang sama.",
                )
            )
        for fact in facts:
            differs = (
                pl.col(fact).is_not_null()
                & pl.col(f"{fact}_first").is_not_null()
                & (pl.col(fact) != pl.col(f"{fact}_first"))
            )
            bad = joined.filter(differs)
            if not bad.height:
                continue
            notes.append(
                _notes(
                    bad,
                    field=FACT_FIELDS.get(fact, fact),
                    value=pl.col(fact).cast(pl.String),
                    severity="flag",
                    code=Flag.Code.CONFLICT,
                    message=pl.format(
                        "NIK ini juga ada di {} dengan {} '{}'; data {} dari baris itu yang "
                        "dipakai.",
                        pl.col("origin_first"),
                        pl.lit(FACT_LABELS[fact]),
                        pl.col(f"{fact}_first").cast(pl.String),
                        pl.lit(scope),
                    ),
                    fix="Periksa mana yang benar dan perbaiki berkas; orang ini ditandai untuk "
                    "verifikasi.",
                )
            )
    return pl.concat(notes) if notes else _empty(NOTE_SCHEMA)


@dataclass
class _Plan:
    new_people: pl.DataFrame
    new_engagements: pl.DataFrame
    engagement_updates: pl.DataFrame  # engagement_id, person_id, changed fields (final values)
    person_updates: pl.DataFrame
    ending: pl.DataFrame
    kept_ids: pl.Series  # engagements the rows matched (a full roster keeps them)
    flags: pl.DataFrame  # nik, code, reason, details(json str), src
    notes: pl.DataFrame
    people: pl.DataFrame  # nik -> person_id for existing people
    duplicates: int
    unchanged: int


PLAN_PART = 100_000


def _plan(
    *,
    actor: User,
    programme: Programme,
    rows: pl.DataFrame,
    full_roster: bool,
    protected_niks: pl.Series,
    source: str,
) -> _Plan:
    """Everything the import would change, computed before writing anything.

    Large batches are planned in parts of about 100,000 rows, split by NIK so that every row
    of a person is in the same part: the joins against what the registry holds stay that size
    (a monthly re-import of 500,000 registered people would otherwise hold them all at once).
    """
    count = max(1, -(-rows.height // PLAN_PART))
    if count == 1:
        parts = [_plan_part(programme=programme, rows=rows, source=source)]
    else:
        keyed = rows.with_columns((pl.col("nik").hash(seed=0) % count).alias("_part"))
        parts = [
            _plan_part(
                programme=programme,
                rows=keyed.filter(pl.col("_part") == i).drop("_part"),
                source=source,
            )
            for i in range(count)
        ]
    plan = _Plan(
        **{
            name: pl.concat([getattr(p, name) for p in parts], how="vertical_relaxed")
            for name in (
                "new_people",
                "new_engagements",
                "engagement_updates",
                "person_updates",
                "flags",
                "notes",
                "people",
            )
        },
        kept_ids=pl.concat([p.kept_ids for p in parts]),
        ending=_empty({"engagement_id": pl.Int64}),
        duplicates=sum(p.duplicates for p in parts),
        unchanged=sum(p.unchanged for p in parts),
    )
    if full_roster:
        plan.ending = _roster_ending(
            actor=actor,
            programme=programme,
            keep_ids=set(plan.kept_ids.to_list()),
            protected_niks=pl.concat([protected_niks, rows["nik"].unique()]),
        )
    return plan


def _plan_part(*, programme: Programme, rows: pl.DataFrame, source: str) -> _Plan:
    """The plan for the rows of some NIKs (every row of a NIK is in the same part)."""
    _, regency_codes = region_code_sets()
    rows = rows.with_columns(name_key_expr(pl.col("full_name")).alias("name_key"))
    notes = [_nik_flags(rows, regency_codes), _row_conflicts(rows)]

    niks = rows["nik"].unique()
    people = _existing_people(niks)
    # The first row of each person and of each engagement, with only the columns each needs
    # (rows are in source order): the plan holds narrow frames, not copies of every row.
    person_rows = rows.select(
        "src",
        "nik",
        "origin",
        "name_key",
        *[c for c in PERSON_STAGE if c not in ("nik", "name_key")],
    ).filter(pl.col("nik").is_first_distinct())
    engagement_rows = rows.select(
        "src", "nik", "origin", "regency_id", *[f for f in ENGAGEMENT_FACTS]
    ).filter(pl.struct("nik", "regency_id").is_first_distinct())
    duplicates = rows.height - engagement_rows.height
    engagement_rows = engagement_rows.join(people.select("nik", "person_id"), on="nik", how="left")
    existing = _existing_engagements(people["person_id"].unique().to_list(), programme.pk)
    matched = engagement_rows.join(existing, on=["person_id", "regency_id"], how="left")
    new_engagements = matched.filter(pl.col("engagement_id").is_null())
    old = matched.filter(pl.col("engagement_id").is_not_null())

    # Existing engagements take the row's changed facts; nulls mean "not stated" and keep.
    change_exprs = {
        fact: pl.col(fact).is_not_null()
        & (pl.col(f"db_{fact}").is_null() | (pl.col(fact) != pl.col(f"db_{fact}")))
        for fact in ENGAGEMENT_FACTS
    }
    reactivate = pl.col("db_status") != Engagement.Status.ACTIVE
    old = old.with_columns(
        [e.alias(f"chg_{fact}") for fact, e in change_exprs.items()]
        + [reactivate.alias("chg_status")]
    )
    any_change = pl.any_horizontal([f"chg_{f}" for f in ENGAGEMENT_FACTS] + ["chg_status"])
    engagement_updates = old.filter(any_change)
    unchanged = old.height - engagement_updates.height

    # Person facts: fill blanks; change them only from the person's own roster, i.e. when the
    # row matched an engagement already registered and the person serves nowhere else. Two
    # rosters that disagree would otherwise overwrite each other on every monthly re-import.
    elsewhere = _serving_elsewhere(people["person_id"].unique().to_list(), programme.pk)
    same_roster = set(old["nik"].to_list())
    existing_person_rows = person_rows.join(people, on="nik", how="inner").with_columns(
        (
            pl.col("nik").is_in(pl.Series(sorted(same_roster), dtype=pl.String).implode())
            & ~pl.col("person_id").is_in(pl.Series(sorted(elsewhere), dtype=pl.Int64).implode())
        ).alias("same_roster")
    )
    person_notes, person_updates = _person_changes(existing_person_rows)
    notes.append(person_notes)

    new_people = person_rows.join(people.select("nik"), on="nik", how="anti")

    all_notes = (
        pl.concat([n for n in notes if n.height])
        if any(n.height for n in notes)
        else _empty(NOTE_SCHEMA)
    )
    flags = _flags_from_notes(all_notes, rows, source=source)
    return _Plan(
        new_people=new_people,
        new_engagements=new_engagements,
        engagement_updates=engagement_updates,
        person_updates=person_updates,
        ending=_empty({"engagement_id": pl.Int64}),
        kept_ids=old["engagement_id"],
        flags=flags,
        notes=all_notes,
        people=people.select("nik", "person_id"),
        duplicates=duplicates,
        unchanged=unchanged,
    )


def name_key_expr(expr: pl.Expr) -> pl.Expr:
    """registry.services.name_key, vectorised (upper case, punctuation to spaces, folded)."""
    return (
        expr.str.to_uppercase()
        .str.replace_all(r"[^A-Z0-9 ]+", " ")
        .str.replace_all(r" +", " ")
        .str.strip_chars(" ")
    )


def _person_changes(joined: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Notes (conflicts with the registry) and updates for people already registered.

    A blank registry fact is filled in. A different one is changed only when the row comes
    from the same roster (its engagement was already registered: the monthly update of the
    same file); from another source it is a conflict to verify, and the registry keeps its
    value.
    """
    notes = [
        _notes(
            joined.filter(pl.col("db_name_key") != pl.col("name_key")),
            field="name",
            value=pl.col("full_name"),
            severity="flag",
            code=Flag.Code.CONFLICT,
            message=pl.format(
                "Nama berbeda dengan data registri untuk NIK ini ('{}'); nama registri tidak "
                "diubah.",
                pl.col("db_full_name"),
            ),
            fix="Periksa KTP: bila NIK benar, samakan nama; bila NIK salah ketik, perbaiki NIK.",
        )
    ]
    facts = PERSON_FACTS + ["titles_front", "titles_back"]
    new_values = []
    for fact in facts:
        value, db = pl.col(fact), pl.col(f"db_{fact}")
        filled = value.is_not_null() & (value != "")
        blank = db.is_null() | (db == "")
        # Case and spacing are how an office typed it, not a different fact.
        differs = filled & ~blank & (_folded(value) != _folded(db))
        if fact in PERSON_FACTS:
            change = filled & (blank | (differs & pl.col("same_roster")))
        else:  # titles: offices write them or leave them out; fill, never overwrite
            change = filled & blank
        new_values.append(pl.when(change).then(value).otherwise(None).alias(f"new_{fact}"))
        conflict = joined.filter(differs & ~pl.col("same_roster"))
        if fact in PERSON_FACTS and conflict.height:
            notes.append(
                _notes(
                    conflict,
                    field=FACT_FIELDS.get(fact, fact),
                    value=value,
                    severity="flag",
                    code=Flag.Code.CONFLICT,
                    message=pl.format(
                        "{} berbeda dengan data registri ('{}') yang berasal dari sumber lain; "
                        "data registri tidak diubah.",
                        pl.lit(FACT_LABELS[fact].capitalize()),
                        db,
                    ),
                    fix="Periksa mana yang benar; verifikator dapat memperbaikinya di registri.",
                )
            )
    updates = joined.select(
        "src", "nik", "person_id", *[f"db_{f}" for f in facts], *new_values
    ).filter(pl.any_horizontal([pl.col(f"new_{f}").is_not_null() for f in facts]))
    return pl.concat(notes), updates


def _folded(expr: pl.Expr) -> pl.Expr:
    return expr.str.to_lowercase().str.replace_all(r"\s+", " ").str.strip_chars()


def _roster_ending(
    *, actor: User, programme: Programme, keep_ids: set[int], protected_niks: pl.Series
) -> pl.DataFrame:
    """The programme's active engagements in the actor's write scope that the file omits."""
    schema = {
        "engagement_id": pl.Int64,
        "person_id": pl.Int64,
        "nik": pl.String,
        "full_name": pl.String,
        "regency_id": pl.String,
        "regency_name": pl.String,
        "legacy_title": pl.String,
        "start_date": pl.Date,
    }
    qs = access.engagements_visible(
        actor, Engagement.objects.filter(programme=programme, status=Engagement.Status.ACTIVE)
    ).order_by("regency_id", "person__full_name")
    rows = list(
        qs.values_list(
            "id",
            "person_id",
            "person__nik",
            "person__full_name",
            "regency_id",
            "regency__name",
            "legacy_title",
            "start_date",
        )
    )
    protected = set(protected_niks.to_list())
    writable = {
        code: access.can_write_at(actor, programme=programme, regency_code=code)
        for code in {r[4] for r in rows}
    }
    rows = [r for r in rows if r[0] not in keep_ids and r[2] not in protected and writable[r[4]]]
    return pl.DataFrame(rows, schema=schema, orient="row")


def _flags_from_notes(notes: pl.DataFrame, rows: pl.DataFrame, *, source: str) -> pl.DataFrame:
    """One flag per person and code; the reasons of all its rows are joined."""
    flagged = notes.filter(pl.col("code").is_in([c.value for c in Flag.Code])).join(
        rows.select("src", "nik", "origin"), on="src", how="inner"
    )
    if not flagged.height:
        return _empty(
            {
                "nik": pl.String,
                "code": pl.String,
                "reason": pl.String,
                "origins": pl.List(pl.String),
                "source": pl.String,
            }
        )
    return (
        flagged.group_by(["nik", "code"], maintain_order=True)
        .agg(
            pl.col("message").unique(maintain_order=True).str.join(" ").alias("reason"),
            pl.col("origin").drop_nulls().unique(maintain_order=True).alias("origins"),
        )
        .with_columns(pl.lit(source).alias("source"))
    )


# --- writes ----------------------------------------------------------------------------------

UUID_V7_SQL = (
    # Time-ordered UUIDs (RFC 9562 version 7): new rows land at the right edge of the uid index
    # instead of at random pages, which is most of the cost of a large insert.
    "encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid()) placing "
    "substring(int8send(floor(extract(epoch from clock_timestamp()) * 1000)::bigint) from 3) "
    "from 1 for 6), 52, 1), 53, 1), 'hex')::uuid"
)


def _copy_stage(table: str, columns: dict[str, str], frame: pl.DataFrame) -> None:
    """Create a temporary table and COPY the frame into it (PostgreSQL)."""
    cols = ", ".join(f"{name} {sqltype}" for name, sqltype in columns.items())
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {table}")
        cursor.execute(f"CREATE TEMP TABLE {table} ({cols}) ON COMMIT DROP")
        frame = frame.select(list(columns))
        raw = cursor.cursor  # the psycopg cursor under Django's wrapper
        with raw.copy(
            f"COPY {table} ({', '.join(columns)}) FROM STDIN (FORMAT csv, NULL '\\N')"
        ) as copy:
            # In slices, so that only a slice's CSV text is in memory at a time.
            for offset in range(0, frame.height, COPY_SLICE):
                buffer = io.BytesIO()
                frame.slice(offset, COPY_SLICE).write_csv(
                    buffer, include_header=False, null_value="\\N", quote_style="necessary"
                )
                copy.write(buffer.getvalue())


PERSON_STAGE = {
    "nik": "varchar(16)",
    "full_name": "text",
    "name_key": "text",
    "titles_front": "text",
    "titles_back": "text",
    "sex": "varchar(1)",
    "birth_place": "text",
    "birth_date": "date",
    "phone": "text",
    "email": "text",
    "education_level": "text",
    "education_field": "text",
}
ENGAGEMENT_STAGE = {
    "person_id": "bigint",
    "legacy_title": "text",
    "province_id": "varchar(2)",
    "regency_id": "varchar(5)",
    "district_id": "varchar(8)",
    "village_id": "varchar(13)",
    "employment_status": "varchar(10)",
    "sk_number": "text",
    "sk_date": "date",
    "start_date": "date",
    "monthly_incentive": "bigint",
}


def _blank(frame: pl.DataFrame, columns: Iterable[str]) -> pl.DataFrame:
    return frame.with_columns([pl.col(c).fill_null("") for c in columns])


def _insert_select(
    model,
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
    if not _is_pg():
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        row = cursor.fetchone()
        if row and row[0]:
            return True
        if connection.pg_version < 150000:
            return False
        cursor.execute("SELECT has_parameter_privilege('session_replication_role', 'SET')")
        return bool(cursor.fetchone()[0])


@contextmanager
def _references_checked(references: list[tuple[str, str, list[Any]]]):
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


def _reserve_ids(model, count: int) -> pl.Series:
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
    model, frame: pl.DataFrame, *, fixed: dict[str, Any], order: pl.Series | None = None
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


def _insert_people(frame: pl.DataFrame, *, actor: User) -> pl.DataFrame:
    """Insert new people and return nik -> person_id. On PostgreSQL an empty frame means the
    ids stay in the database (the engagements then find their person there by NIK)."""
    ids_schema = {"nik": pl.String, "person_id": pl.Int64}
    if not frame.height:
        return _empty(ids_schema)
    frame = _blank(frame, [c for c, t in PERSON_STAGE.items() if t != "date"])
    actor_id = actor.pk if actor and actor.pk else None
    fixed = {"verification": Verification.PENDING, "created_by_id": actor_id}
    if _is_pg():
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
        _copy_stage("bulk_person", PERSON_STAGE, frame.sort("nik"))
        sql, params = _insert_select(Person, "bulk_person", PERSON_STAGE, fixed=fixed)
        with _references_checked([("accounts_user", "id", [actor_id])]), connection.cursor() as c:
            c.execute(f"{sql} ON CONFLICT (nik) DO NOTHING", params)
        return _empty(ids_schema)
    objs = [
        Person(created_by_id=actor_id, **{k: v for k, v in row.items() if k in PERSON_STAGE})
        for row in frame.iter_rows(named=True)
    ]
    Person.objects.bulk_create(objs, batch_size=SQLITE_CHUNK)
    return pl.DataFrame(
        {"nik": [o.nik for o in objs], "person_id": [o.pk for o in objs]}, schema=ids_schema
    )


def _insert_engagements(
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
    if _is_pg():
        references = [
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
        _copy_stage("bulk_engagement", {"nik": "varchar(16)", **ENGAGEMENT_STAGE}, frame)
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
            return cursor.rowcount
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


def _update(model, table: str, frame: pl.DataFrame, id_column: str, fields: dict[str, str]) -> None:
    """Set ``fields`` (final values) on rows by id: UPDATE … FROM a staged table, or bulk_update."""
    if not frame.height:
        return
    if _is_pg():
        stage = f"bulk_{table}_update"
        _copy_stage(stage, {"id": "bigint", **fields}, frame.rename({id_column: "id"}))
        sets = ", ".join(f"{name} = s.{name}" for name in fields)
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {model._meta.db_table} t SET {sets}, updated_at = now() "
                f"FROM {stage} s WHERE t.id = s.id"
            )
        return
    now = timezone.now()
    objs = []
    for row in frame.iter_rows(named=True):
        obj = model(pk=row[id_column], updated_at=now)
        for name in fields:
            setattr(obj, name, row[name])
        objs.append(obj)
    model.objects.bulk_update(objs, [*fields, "updated_at"], batch_size=SQLITE_CHUNK)


def _json(value: Any) -> Any:
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


def _apply_engagement_updates(plan: _Plan, *, actor: User, source: str) -> list[AuditEntry]:
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
            f: [_json(row[f"db_{f}"]), _json(row[f])] for f in ENGAGEMENT_FACTS if row[f"chg_{f}"]
        }
        if row["chg_status"]:
            changes["status"] = [row["db_status"], Engagement.Status.ACTIVE]
            changes["end_date"] = [_json(row["db_end_date"]), None]
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


def _apply_person_updates(plan: _Plan, *, actor: User, source: str) -> list[AuditEntry]:
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


def _apply_ending(plan: _Plan, *, actor: User, source: str) -> list[AuditEntry]:
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
                "end_date": [None, _json(row["end_date"])],
            },
            note=f"{source}: tidak ada dalam daftar lengkap (--full-roster)",
        )
        for row in finals.iter_rows(named=True)
    ]


def _insert_flags(flags: pl.DataFrame) -> int:
    if not flags.height:
        return 0
    people = _existing_people(flags["nik"].unique().to_list()).select("nik", "person_id")
    flags = flags.join(people, on="nik", how="inner")
    ids = flags["person_id"].unique().to_list()
    seen = set()
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


def registry_bulk_upsert(
    *,
    actor: User,
    programme: Programme,
    rows: pl.DataFrame,
    source: str,
    full_roster: bool = False,
    protected_niks: Iterable[str] | pl.Series = (),
    dry_run: bool = False,
    progress: ProgressFn | None = None,
) -> BulkResult:
    """Apply validated rows of one programme through the single door (see module docstring).

    The caller has checked each row's scope with ``accounts.access.can_write_at``; this checks
    the actor may write at all. ``protected_niks``: NIKs seen in rows the caller rejected, so
    that a full roster never ends the engagement of someone whose row was merely unreadable.
    """
    access.require(access.can_write(actor), "Peran Anda tidak boleh menambah data registri.")
    step = progress or (lambda done, total, message="": None)
    rows = _conform(rows)
    # One transaction from the first read: the staging tables live until it ends.
    with transaction.atomic():
        step(0, 7, "Membandingkan dengan registri")
        plan = _plan(
            actor=actor,
            programme=programme,
            rows=rows,
            full_roster=full_roster,
            protected_niks=pl.Series("nik", protected_niks, dtype=pl.String)
            if not isinstance(protected_niks, pl.Series)
            else protected_niks,
            source=source,
        )
        flagged_people = plan.flags["nik"].n_unique() if plan.flags.height else 0
        result = BulkResult(
            counts={
                "new_people": plan.new_people.height,
                "new_engagements": plan.new_engagements.height,
                "updated_engagements": plan.engagement_updates.height,
                "updated_people": plan.person_updates.height,
                "unchanged": plan.unchanged,
                "duplicates": plan.duplicates,
                "ended": plan.ending.height,
                "flagged_people": flagged_people,
                "flags_raised": 0,
            },
            notes=plan.notes,
            ending=plan.ending.head(5000).to_dicts() if plan.ending.height else [],
            changes=_change_sample(plan),
        )
        if dry_run:
            return result
        step(1, 7, "Menyimpan orang baru")
        new_ids = _insert_people(plan.new_people, actor=actor)
        step(2, 7, "Menyimpan penugasan baru")
        result.counts["new_engagements"] = _insert_engagements(
            plan.new_engagements, programme=programme, actor=actor, new_ids=new_ids
        )
        step(3, 7, "Memperbarui penugasan yang berubah")
        entries = _apply_engagement_updates(plan, actor=actor, source=source)
        entries += _apply_person_updates(plan, actor=actor, source=source)
        step(4, 7, "Mengakhiri penugasan yang tidak tercantum")
        entries += _apply_ending(plan, actor=actor, source=source)
        step(5, 7, "Mencatat tanda verifikasi dan audit")
        result.counts["flags_raised"] = _insert_flags(plan.flags)
        audit_record_many(entries)
        step(6, 7, "Memeriksa rangkap penugasan berbayar")
        touched = _payment_candidates(plan)
        for i in range(0, len(touched), SQLITE_CHUNK):
            person_flags_refresh(person_ids=touched[i : i + SQLITE_CHUNK], source=source)
        step(7, 7, "Selesai menyimpan")
    return result


def _payment_candidates(plan: _Plan) -> list[int]:
    """People whose engagements changed and who may now (or no longer) be paid twice.

    A payment conflict needs two engagements, and person_flags_refresh reads every engagement
    of whom it is given: so a person registered by this import is a candidate only with two or
    more new engagements, and a registered one only with two or more engagements in all or an
    open payment flag to close.
    """
    new = plan.new_engagements.select("nik", "person_id")  # narrow: filters copy rows
    several_new = new.filter(pl.col("person_id").is_null()).group_by("nik").len()
    niks = several_new.filter(pl.col("len") > 1)["nik"].to_list()
    candidates = set(_existing_people(niks)["person_id"].to_list()) if niks else set()
    touched = set(plan.engagement_updates["person_id"].to_list())
    touched |= set(plan.ending["person_id"].to_list()) if plan.ending.height else set()
    touched |= set(new["person_id"].drop_nulls().to_list())
    ids = sorted(touched)
    if ids:
        several = _select_in(
            "SELECT person_id FROM registry_engagement WHERE {cond} GROUP BY person_id "
            "HAVING COUNT(*) > 1",
            "person_id",
            ids,
            {"person_id": pl.Int64},
        )
        flagged = _select_in(
            "SELECT person_id FROM registry_flag WHERE resolved_at IS NULL AND code IN (%s, %s) "
            "AND {cond}",
            "person_id",
            ids,
            {"person_id": pl.Int64},
            extra=[Flag.Code.CONCURRENT_PAID.value, Flag.Code.ASN_ALSO_PAID.value],
        )
        candidates |= set(several["person_id"].to_list()) | set(flagged["person_id"].to_list())
    return sorted(candidates)


def _change_sample(plan: _Plan, limit: int = 200) -> list[dict[str, Any]]:
    """A few changed engagements for the preview (the audit has them all)."""
    out = []
    for row in plan.engagement_updates.head(limit).iter_rows(named=True):
        fields = {
            FACT_LABELS[f]: [_json(row[f"db_{f}"]), _json(row[f])]
            for f in ENGAGEMENT_FACTS
            if row[f"chg_{f}"]
        }
        if row["chg_status"]:
            fields[FACT_LABELS["status"]] = [row["db_status"], Engagement.Status.ACTIVE]
        out.append(
            {
                "src": row["src"],
                "nik": row["nik"],
                "regency_id": row["regency_id"],
                "fields": fields,
            }
        )
    return out
