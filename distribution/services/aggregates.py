"""Rebuilding the need, population and engagement count aggregates, set-based in SQL."""

import time

from django.db import connection, transaction
from django.utils import timezone

from distribution.models import (
    ActualAggregate,
    AggregateState,
    BreakdownAggregate,
    NeedDataset,
    NeedFigure,
    PersonAggregate,
    PopulationDataset,
    PopulationFigure,
    RegionAggregate,
    RegionLevel,
)
from registry.models import Engagement, Programme


def _current_need_sql() -> tuple[str, list]:
    """The figures in force as a SQL condition (see selectors.current_need_q)."""
    programme_ids = dict(Programme.objects.values_list("slug", "pk"))
    parts, params = [], []
    for dataset in NeedDataset.objects.filter(is_current=True).only("pk", "current_programmes"):
        ids = [programme_ids[s] for s in dataset.current_programmes if s in programme_ids]
        if ids:
            parts.append(f"(dataset_id = %s AND programme_id IN ({', '.join(['%s'] * len(ids))}))")
            params.extend([dataset.pk, *ids])
    return (" OR ".join(parts) or "1 = 0"), params


def aggregates_refresh() -> int:
    """Rebuild RegionAggregate from the need and population in force. Returns rows written.

    Set-based: one INSERT … SELECT … GROUP BY per level, run inside the database, so it
    takes seconds even for every village in the country. Called after every import; safe to
    run at any time (``python manage.py distribution_refresh``).
    """
    target = RegionAggregate._meta.db_table
    need_table = NeedFigure._meta.db_table
    population_table = PopulationFigure._meta.db_table
    population_dataset = PopulationDataset.objects.filter(is_current=True).first()
    current, params = _current_need_sql()
    levels = [
        (RegionLevel.PROVINCE, "province_code", "''"),
        (RegionLevel.REGENCY, "regency_code", "province_code"),
        (RegionLevel.DISTRICT, "district_code", "regency_code"),
    ]
    columns = (
        "level, code, parent_code, programme_id, need, need_districts, need_regencies, population"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {target}")
        for level, field, parent in levels:
            group = f"{field}, {parent}" if parent != "''" else field
            cursor.execute(
                f"INSERT INTO {target} ({columns}) "
                f"SELECT %s, {field}, {parent}, programme_id, SUM(value), "
                "COUNT(DISTINCT CASE WHEN value > 0 AND district_code <> '' "
                "THEN district_code END), "
                "COUNT(DISTINCT CASE WHEN value > 0 THEN regency_code END), NULL "
                f"FROM {need_table} WHERE ({current}) AND {field} <> '' "
                f"GROUP BY {group}, programme_id",
                [level, *params],
            )
            if population_dataset is not None:
                cursor.execute(
                    f"INSERT INTO {target} ({columns}) "
                    f"SELECT %s, {field}, {parent}, NULL, 0, 0, 0, SUM(population) "
                    f"FROM {population_table} WHERE dataset_id = %s AND {field} <> '' "
                    f"GROUP BY {group}",
                    [level, population_dataset.pk],
                )
    return RegionAggregate.objects.count()


def actual_aggregates_refresh() -> int:
    """Rebuild the engagement count caches (ActualAggregate, BreakdownAggregate,
    PersonAggregate) from the registry in three INSERT … SELECT … GROUP BY statements.

    Run by the ``distribution_refresh`` job every 10 minutes (jobs/schedule.py) or command;
    readers count live when the cache is older than selectors.sources.AGGREGATE_MAX_AGE.
    """
    started = time.monotonic()
    source = Engagement._meta.db_table
    actual = ActualAggregate._meta.db_table
    breakdown = BreakdownAggregate._meta.db_table
    people = PersonAggregate._meta.db_table
    active = Engagement.Status.ACTIVE
    with transaction.atomic(), connection.cursor() as cursor:
        for table in (actual, breakdown, people):
            cursor.execute(f"DELETE FROM {table}")
        cursor.execute(
            f"INSERT INTO {actual} (grain, province_id, regency_id, district_id, programme_id, "
            "status, engagements) SELECT %s, province_id, regency_id, district_id, programme_id, "
            f"status, COUNT(*) FROM {source} "
            "GROUP BY province_id, regency_id, district_id, programme_id, status",
            [ActualAggregate.Grain.DISTRICT],
        )
        cursor.execute(
            f"INSERT INTO {actual} (grain, province_id, regency_id, district_id, programme_id, "
            "status, engagements) SELECT %s, province_id, regency_id, NULL, programme_id, "
            f"status, SUM(engagements) FROM {actual} WHERE grain = %s "
            "GROUP BY province_id, regency_id, programme_id, status",
            [ActualAggregate.Grain.REGENCY, ActualAggregate.Grain.DISTRICT],
        )
        cursor.execute(
            f"INSERT INTO {breakdown} (province_id, programme_id, status, harmonised_level, "
            "employment_status, engagements) SELECT province_id, programme_id, status, "
            f"harmonised_level, employment_status, COUNT(*) FROM {source} "
            "GROUP BY province_id, programme_id, status, harmonised_level, employment_status"
        )
        for province, programme, group in [
            ("province_id", "programme_id", "GROUP BY province_id, programme_id"),
            ("province_id", "NULL", "GROUP BY province_id"),
            ("''", "programme_id", "GROUP BY programme_id"),
            ("''", "NULL", ""),
        ]:
            cursor.execute(
                f"INSERT INTO {people} (province_id, programme_id, people, engagements) "
                f"SELECT {province}, {programme}, COUNT(DISTINCT person_id), COUNT(*) "
                f"FROM {source} WHERE status = %s {group}",
                [active],
            )
        if connection.vendor == "postgresql":
            # Fresh statistics: the planner must not take the rebuilt tables for empty ones.
            for table in (actual, breakdown, people):
                cursor.execute(f"ANALYZE {table}")
        rows = sum(
            m.objects.count() for m in (ActualAggregate, BreakdownAggregate, PersonAggregate)
        )
        AggregateState.objects.update_or_create(
            name="actual",
            defaults={
                "refreshed_at": timezone.now(),
                "rows": rows,
                "seconds": round(time.monotonic() - started, 3),
            },
        )
    return rows


def actual_aggregates_refresh_regions(*, regency_ids: list[str]) -> int:
    """Rebuild the engagement count caches for these regencies only (and their provinces'
    breakdowns and people, and the national people rows), after an import, merge, merge undo
    or approved change there. Returns the rows written.

    The rest of the caches is left as it is and so is their rebuild time (``AggregateState``):
    the figures of other regions are no fresher than the last full rebuild. Nothing is done
    when no full rebuild exists yet (the pages count live then).
    """
    regencies = sorted({r for r in regency_ids if r})
    if not regencies or not AggregateState.objects.filter(name="actual").exists():
        return 0
    provinces = sorted({r[:2] for r in regencies})
    in_regencies = f"({', '.join(['%s'] * len(regencies))})"
    in_provinces = f"({', '.join(['%s'] * len(provinces))})"
    source = Engagement._meta.db_table
    actual = ActualAggregate._meta.db_table
    breakdown = BreakdownAggregate._meta.db_table
    people = PersonAggregate._meta.db_table
    active = Engagement.Status.ACTIVE
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {actual} WHERE regency_id IN {in_regencies}", regencies)
        cursor.execute(f"DELETE FROM {breakdown} WHERE province_id IN {in_provinces}", provinces)
        cursor.execute(
            f"DELETE FROM {people} WHERE province_id IN {in_provinces} OR province_id = ''",
            provinces,
        )
        cursor.execute(
            f"INSERT INTO {actual} (grain, province_id, regency_id, district_id, programme_id, "
            "status, engagements) SELECT %s, province_id, regency_id, district_id, programme_id, "
            f"status, COUNT(*) FROM {source} WHERE regency_id IN {in_regencies} "
            "GROUP BY province_id, regency_id, district_id, programme_id, status",
            [ActualAggregate.Grain.DISTRICT, *regencies],
        )
        cursor.execute(
            f"INSERT INTO {actual} (grain, province_id, regency_id, district_id, programme_id, "
            "status, engagements) SELECT %s, province_id, regency_id, NULL, programme_id, "
            f"status, SUM(engagements) FROM {actual} WHERE grain = %s "
            f"AND regency_id IN {in_regencies} "
            "GROUP BY province_id, regency_id, programme_id, status",
            [ActualAggregate.Grain.REGENCY, ActualAggregate.Grain.DISTRICT, *regencies],
        )
        cursor.execute(
            f"INSERT INTO {breakdown} (province_id, programme_id, status, harmonised_level, "
            "employment_status, engagements) SELECT province_id, programme_id, status, "
            f"harmonised_level, employment_status, COUNT(*) FROM {source} "
            f"WHERE province_id IN {in_provinces} "
            "GROUP BY province_id, programme_id, status, harmonised_level, employment_status",
            provinces,
        )
        # People are not summed across provinces (one person may serve in two): the national
        # rows are counted again whole.
        for province, programme, where, group, params in [
            (
                "province_id",
                "programme_id",
                f"AND province_id IN {in_provinces}",
                "GROUP BY province_id, programme_id",
                provinces,
            ),
            (
                "province_id",
                "NULL",
                f"AND province_id IN {in_provinces}",
                "GROUP BY province_id",
                provinces,
            ),
            ("''", "programme_id", "", "GROUP BY programme_id", []),
            ("''", "NULL", "", "", []),
        ]:
            cursor.execute(
                f"INSERT INTO {people} (province_id, programme_id, people, engagements) "
                f"SELECT {province}, {programme}, COUNT(DISTINCT person_id), COUNT(*) "
                f"FROM {source} WHERE status = %s {where} {group}",
                [active, *params],
            )
        rows = (
            ActualAggregate.objects.filter(regency_id__in=regencies).count()
            + BreakdownAggregate.objects.filter(province_id__in=provinces).count()
            + PersonAggregate.objects.filter(province_id__in=[*provinces, ""]).count()
        )
    return rows
