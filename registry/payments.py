"""Writes of payment figures on engagements that other capabilities compute.

The registry owns writes to its models; the incentives engine computes the standard incentive and
hands the figures here. Writing is set-based: the figures go into a temporary table (COPY on
PostgreSQL) and one ``UPDATE … FROM`` applies them, touching only rows whose value changes. A
per-row ``save()`` would take minutes for half a million engagements.
"""

from collections.abc import Iterable

from django.db import connection, transaction

from registry.models import Engagement

TEMP_TABLE = "tmp_standard_incentive"
SQLITE_BATCH = 5000


@transaction.atomic
def engagement_standard_incentives_set(*, amounts: Iterable[tuple[int, int | None]]) -> int:
    """Set ``Engagement.standard_incentive`` from (engagement id, amount or None) pairs.

    Returns the number of engagements whose value changed. ``updated_at`` is left alone on
    purpose: the value is derived from the scale in force, not an edit of the engagement, and
    the caller records one audit entry for the whole recomputation.
    """
    table = Engagement._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Dropped explicitly too: inside an outer transaction (a caller's atomic block, a
            # test) ON COMMIT DROP would only fire at the outermost commit.
            cursor.execute(f"DROP TABLE IF EXISTS {TEMP_TABLE}")
            cursor.execute(
                f"CREATE TEMP TABLE {TEMP_TABLE} (id bigint, amount bigint) ON COMMIT DROP"
            )
            with cursor.copy(f"COPY {TEMP_TABLE} (id, amount) FROM STDIN") as copy:
                for row in amounts:
                    copy.write_row(row)
            # Fresh statistics make the planner hash-join instead of looping over a guess.
            cursor.execute(f"ANALYZE {TEMP_TABLE}")
            cursor.execute(
                f"UPDATE {table} AS e SET standard_incentive = t.amount FROM {TEMP_TABLE} AS t "
                "WHERE e.id = t.id AND e.standard_incentive IS DISTINCT FROM t.amount"
            )
            changed: int = cursor.rowcount
            cursor.execute(f"DROP TABLE {TEMP_TABLE}")
            return changed
        if connection.vendor == "sqlite":
            cursor.execute(f"DROP TABLE IF EXISTS temp.{TEMP_TABLE}")
            cursor.execute(
                f"CREATE TEMP TABLE {TEMP_TABLE} (id integer PRIMARY KEY, amount integer)"
            )
            batch: list[tuple[int, int | None]] = []
            insert = f"INSERT INTO {TEMP_TABLE} (id, amount) VALUES (%s, %s)"
            for row in amounts:
                batch.append(row)
                if len(batch) >= SQLITE_BATCH:
                    cursor.executemany(insert, batch)
                    batch = []
            if batch:
                cursor.executemany(insert, batch)
            cursor.execute(
                f"UPDATE {table} SET standard_incentive = t.amount FROM {TEMP_TABLE} AS t "
                f"WHERE {table}.id = t.id AND {table}.standard_incentive IS NOT t.amount"
            )
            changed = cursor.rowcount
            cursor.execute(f"DROP TABLE temp.{TEMP_TABLE}")
            return changed
    # Other databases: plain batched updates (not used by this project, kept correct).
    changed = 0
    for engagement_id, amount in amounts:
        changed += (
            Engagement.objects.filter(pk=engagement_id)
            .exclude(standard_incentive=amount)
            .update(standard_incentive=amount)
        )
    return changed
