"""The bulk write path's column contracts, facts compared, limits and small helpers."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import polars as pl
from django.db import connection

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


def notes_of(frame: pl.DataFrame, **columns: pl.Expr | str) -> pl.DataFrame:
    exprs = []
    for key, dtype in NOTE_SCHEMA.items():
        value = columns.get(key, pl.col(key) if key == "src" else None)
        if isinstance(value, str):
            value = pl.lit(value)
        exprs.append((value if value is not None else pl.lit(None)).cast(dtype).alias(key))
    return frame.select(exprs)


def empty(schema: dict[str, Any]) -> pl.DataFrame:
    return pl.DataFrame(schema=schema)


# --- reads -----------------------------------------------------------------------------------


def is_pg() -> bool:
    return connection.vendor == "postgresql"


def copy_stage(table: str, columns: dict[str, str], frame: pl.DataFrame) -> None:
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
