"""Helpers for fast loads (demo data and benchmarks)."""

import math
from collections.abc import Iterable

from django.db import connection

from distribution.models import CODE_LENGTH


def copy_rows(table: str, columns: list[str], rows: Iterable[tuple]) -> int:
    """Insert many rows: COPY on PostgreSQL, executemany elsewhere. Returns the count."""
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cols = ", ".join(columns)
            with cursor.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
        else:
            marks = ", ".join(["%s"] * len(columns))
            sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
            batch: list[tuple] = []
            for row in rows:
                batch.append(row)
                if len(batch) >= 10000:
                    cursor.executemany(sql, batch)
                    count += len(batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)
                count += len(batch)
    return count


def level_code_length(level: str) -> int:
    return CODE_LENGTH[level]


def ceil_int(value: float) -> int:
    return math.ceil(value - 1e-9)
