"""Where figures come from: need and population aggregates, engagement counts (cached or live)."""

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.exceptions import FieldError
from django.db.models import Count, Q, Sum
from django.utils import timezone

from distribution.models import (
    ActualAggregate,
    AggregateState,
    NeedDataset,
    NeedFigure,
    PopulationFigure,
    RegionAggregate,
    RegionLevel,
)
from distribution.selectors.scope import (
    ENGAGEMENT_FIELD,
    MODELS,
    NATION,
    PARENT_FIELD,
    PARENT_LEVEL,
    RegionRef,
    Scope,
)
from registry.models import Engagement, Programme


def within_engagements(within: RegionRef) -> Q:
    if within.level == NATION:
        return Q()
    return Q(**{ENGAGEMENT_FIELD[within.level]: within.code})


def _within_codes(within: RegionRef, level: str) -> Q:
    """Aggregate rows at ``level`` inside ``within`` (codes are hierarchical prefixes)."""
    if within.level == NATION:
        return Q()
    if within.level == level:
        return Q(code=within.code)
    if PARENT_LEVEL.get(level) == within.level:
        return Q(parent_code=within.code)  # direct children: an exact, indexed match
    return Q(code__startswith=within.code + ".")


def region_names(level: str, within: RegionRef) -> dict[str, str]:
    qs = MODELS[level].objects.all()
    if within.level == level:
        qs = qs.filter(pk=within.code)
    elif within.level != NATION:
        qs = qs.filter(code__startswith=within.code + ".")
    return dict(qs.order_by("code").values_list("code", "name"))


def current_need_q() -> Q:
    """Need figures in force: per current dataset, the clusters it still covers."""
    q = Q(pk__in=[])
    programme_ids = dict(Programme.objects.values_list("slug", "pk"))
    for dataset in NeedDataset.objects.filter(is_current=True).only("pk", "current_programmes"):
        ids = [programme_ids[s] for s in dataset.current_programmes if s in programme_ids]
        if ids:
            q |= Q(dataset_id=dataset.pk, programme_id__in=ids)
    return q


def need_and_population(level: str, within: RegionRef, programme_ids: list[int]):
    """({(code, programme): (need, districts, regencies)}, {code: population}) at a level."""
    need: dict[tuple[str, int], tuple[int, int, int]] = {}
    population: dict[str, int] = {}
    if level == RegionLevel.VILLAGE:
        figures = (
            NeedFigure.objects.filter(current_need_q(), district_code=within.code)
            .filter(programme_id__in=programme_ids)
            .exclude(village_code="")
            .values("village_code", "programme_id")
            .annotate(total=Sum("value"))
            .order_by()
        )
        for f in figures:
            need[(f["village_code"], f["programme_id"])] = (f["total"] or 0, 0, 0)
        people = (
            PopulationFigure.objects.filter(dataset__is_current=True, district_code=within.code)
            .exclude(village_code="")
            .values_list("village_code", "population")
        )
        population = dict(people)
        return need, population
    rows = RegionAggregate.objects.filter(_within_codes(within, level), level=level).filter(
        Q(programme_id__in=programme_ids) | Q(programme__isnull=True)
    )
    for code, programme_id, total, districts, regencies, people in rows.values_list(
        "code", "programme_id", "need", "need_districts", "need_regencies", "population"
    ):
        if programme_id is None:
            population[code] = people
        else:
            need[(code, programme_id)] = (total, districts, regencies)
    return need, population


# The engagement count caches are read only when rebuilt this recently; older, the selectors
# count live, so a stopped refresh job makes pages slower, never wrong by more than this.
AGGREGATE_MAX_AGE = dt.timedelta(minutes=30)


def aggregates_as_of() -> dt.datetime | None:
    """When the engagement count caches were rebuilt, if recently enough to be used."""
    state = AggregateState.objects.filter(name="actual").values_list("refreshed_at", flat=True)
    refreshed = state.first()
    if refreshed is None or refreshed < timezone.now() - AGGREGATE_MAX_AGE:
        return None
    return refreshed


_CACHE_READS: ContextVar[list[dt.datetime] | None] = ContextVar("cache_reads", default=None)


@contextmanager
def cache_reads() -> Iterator[list[dt.datetime]]:
    """Collect, while open, the rebuild time of every count cache a read actually used, so a
    page can say from when its figures are (none: every figure was counted live)."""
    reads: list[dt.datetime] = []
    token = _CACHE_READS.set(reads)
    try:
        yield reads
    finally:
        _CACHE_READS.reset(token)


def cache_read(as_of: dt.datetime) -> None:
    """Note that figures were just read from a cache rebuilt at ``as_of``."""
    reads = _CACHE_READS.get()
    if reads is not None:
        reads.append(as_of)


def _grouped(qs, keys: list[str], count) -> list[dict]:
    return list(qs.values(*keys, "programme_id").annotate(n=count).order_by())


def actual_counts(scope: Scope, level: str, within: RegionRef, programme_ids: list[int]):
    """{(code or None, parent code, programme): active engagements} in one GROUP BY.

    From ActualAggregate when it is fresh and the access filter applies to it (its columns
    are named as Engagement's); else from the registry itself. Villages are always live.
    """
    field_name = ENGAGEMENT_FIELD[level]
    parent = PARENT_FIELD[level]
    keys = [field_name] + ([parent] if parent else [])
    filters = [scope.engagement_q, within_engagements(within)]
    active = {"status": Engagement.Status.ACTIVE, "programme_id__in": programme_ids}
    grouped = None
    as_of = aggregates_as_of() if level != RegionLevel.VILLAGE else None
    if as_of is not None:
        try:
            grain = (
                ActualAggregate.Grain.DISTRICT
                if level == RegionLevel.DISTRICT or within.level == RegionLevel.DISTRICT
                else ActualAggregate.Grain.REGENCY
            )
            qs = ActualAggregate.objects.filter(*filters).filter(grain=grain, **active)
            grouped = _grouped(qs, keys, Sum("engagements"))
            cache_read(as_of)
        except FieldError:
            grouped = None  # the access filter names a column the cache does not have
    if grouped is None:
        qs = Engagement.objects.filter(*filters).filter(**active)
        grouped = _grouped(qs, keys, Count("id"))
    return {
        (g[field_name], g[parent] if parent else None, g["programme_id"]): g["n"] for g in grouped
    }
