"""The dashboard of one region: totals, breakdowns, people, shortages, datasets in force."""

from collections import defaultdict

from django.core.exceptions import FieldError
from django.db.models import Count, Sum
from django.utils.translation import gettext

from accounts.models import User
from distribution.models import (
    BreakdownAggregate,
    DistributionSnapshot,
    NeedDataset,
    PersonAggregate,
    PopulationDataset,
    RegionLevel,
)
from distribution.selectors.cartogram import cartogram
from distribution.selectors.figures import RegionRow, merge
from distribution.selectors.reports import trend
from distribution.selectors.rollups import level_rows
from distribution.selectors.scope import (
    EPS,
    LEVEL_LABEL,
    NATION,
    RegionRef,
    Scope,
    current_standards,
    programmes_in,
    region_get,
    scope_for,
)
from distribution.selectors.sources import (
    aggregates_as_of,
    cache_read,
    cache_reads,
    within_engagements,
)
from registry.models import ROMAN, EmploymentStatus, Engagement, Programme


def region_total(rows: list[RegionRow], region: RegionRef) -> RegionRow:
    total = RegionRow(level=region.level, code=region.code, name=region.name)
    for row in rows:
        merge(total, row)
    return total


def engagement_breakdown(
    *, scope: Scope, region: RegionRef, programmes: list[Programme]
) -> dict[str, object]:
    """Counts by cluster x status, by harmonised level and by employment status, one query
    (from BreakdownAggregate for the nation and provinces while it is fresh)."""
    keys = ["programme_id", "status", "harmonised_level", "employment_status"]
    filters = [scope.engagement_q, within_engagements(region)]
    ids = [p.pk for p in programmes]
    grouped = None
    as_of = aggregates_as_of() if region.level in (NATION, RegionLevel.PROVINCE) else None
    if as_of is not None:
        try:
            grouped = list(
                BreakdownAggregate.objects.filter(*filters, programme_id__in=ids)
                .values(*keys)
                .annotate(n=Sum("engagements"))
                .order_by()
            )
            cache_read(as_of)
        except FieldError:
            grouped = None
    if grouped is None:
        grouped = list(
            Engagement.objects.filter(*filters, programme_id__in=ids)
            .values(*keys)
            .annotate(n=Count("id"))
            .order_by()
        )
    by_status: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    by_level: dict[str, int] = defaultdict(int)
    by_employment: dict[str, int] = defaultdict(int)
    for g in grouped:
        by_status[g["programme_id"]][g["status"]] += g["n"]
        if g["status"] == Engagement.Status.ACTIVE:
            by_level[ROMAN.get(g["harmonised_level"] or 0, "") or "belum"] += g["n"]
            by_employment[g["employment_status"]] += g["n"]
    levels = [(roman, by_level.get(roman, 0)) for roman in ROMAN.values() if roman in by_level]
    if by_level.get("belum"):
        levels.append((gettext("Belum diharmonisasi"), by_level["belum"]))
    labels = dict(EmploymentStatus.choices)
    return {
        "status": [
            {
                "programme": p,
                "active": by_status[p.pk].get(Engagement.Status.ACTIVE, 0),
                "ended": by_status[p.pk].get(Engagement.Status.ENDED, 0),
            }
            for p in programmes
        ],
        "levels": levels,
        "employment": [(str(labels.get(k, k)), v) for k, v in sorted(by_employment.items())],
    }


def person_totals(*, scope: Scope, region: RegionRef, programmes: list[Programme]) -> dict:
    """Distinct people behind the active engagements (a person in two clusters counts once).

    People cannot be added up across clusters or regions, so the cache holds exactly the
    combinations the dashboard shows: nation or province, all clusters or one.
    """
    all_programmes = scope.programme_ids is None and len(programmes) == Programme.objects.count()
    cacheable = (
        region.level in (NATION, RegionLevel.PROVINCE)
        and not scope.regency
        and (all_programmes or len(programmes) == 1)
    )
    as_of = aggregates_as_of() if cacheable else None
    if as_of is not None:
        cache_read(as_of)
        row = (
            PersonAggregate.objects.filter(
                province_id=region.code,
                programme_id=None if all_programmes else programmes[0].pk,
            )
            .values("people", "engagements")
            .first()
        )
        return row or {"people": 0, "engagements": 0}
    totals = (
        Engagement.objects.filter(scope.engagement_q, within_engagements(region))
        .filter(status=Engagement.Status.ACTIVE, programme_id__in=[p.pk for p in programmes])
        .aggregate(engagements=Count("id"), people=Count("person_id", distinct=True))
    )
    return totals


def top_shortages(
    rows: list[RegionRow], programmes: list[Programme], limit: int = 10
) -> list[dict]:
    items = []
    for row in rows:
        for programme in programmes:
            cell = row.cells.get(programme.pk)
            if cell is None or cell.wisn_difference is None or cell.wisn_difference > -EPS:
                continue
            items.append({"row": row, "programme": programme, "figures": cell})
    items.sort(key=lambda item: item["figures"].wisn_difference)
    return items[:limit]


def datasets_in_force() -> dict[str, object]:
    return {
        "need": list(NeedDataset.objects.filter(is_current=True).order_by("name")),
        "population": PopulationDataset.objects.filter(is_current=True).first(),
        "snapshots": DistributionSnapshot.objects.count(),
    }


def dataset_overview(*, user: User) -> dict[str, object]:
    """The need and population datasets, each need dataset with the names of the clusters it
    is current for (``current_programme_names``; it stores their slugs)."""
    scope_for(user)
    need = list(NeedDataset.objects.select_related("superseded_by", "created_by")[:200])
    names = dict(Programme.objects.values_list("slug", "name"))
    for dataset in need:
        dataset.current_programme_names = [names.get(s, s) for s in dataset.current_programmes]
    return {
        "need": need,
        "population": list(PopulationDataset.objects.select_related("created_by")[:50]),
        "snapshots": list(DistributionSnapshot.objects.all()[:24]),
    }


def dashboard(*, user: User, code: str = "", cluster: str = "") -> dict[str, object]:
    """Everything the dashboard of one region shows, scoped to the user."""
    scope = scope_for(user)
    region = region_get(scope, code)
    all_programmes = programmes_in(scope)
    programme = programmes_in(scope, cluster)[0] if cluster else None
    shown = [programme] if programme else all_programmes
    standards = current_standards()
    child_level = region.child_level
    with cache_reads() as reads:
        data = _dashboard_figures(
            scope=scope,
            region=region,
            programme=programme,
            shown=shown,
            all_programmes=all_programmes,
            standards=standards,
        )
    # The page says from when its figures are only when some of them came from a cache.
    return {
        "region": region,
        "child_level": child_level,
        "child_label": LEVEL_LABEL[child_level],
        "programme": programme,
        "programmes": all_programmes,
        "shown": shown,
        "standards": standards,
        **data,
        "datasets": datasets_in_force(),
        "actual_as_of": min(reads) if reads else None,
    }


def _dashboard_figures(*, scope, region, programme, shown, all_programmes, standards) -> dict:
    child_level = region.child_level
    rows = level_rows(
        scope=scope,
        level=child_level,
        within=region,
        programmes=all_programmes,
        standards=standards,
    )
    total = region_total(rows, region)
    return {
        "rows": rows,
        "total": total,
        "focus": total.cell(programme.pk) if programme else total.total,
        "breakdown": engagement_breakdown(scope=scope, region=region, programmes=shown),
        "persons": person_totals(scope=scope, region=region, programmes=shown),
        "shortages": top_shortages(rows, shown),
        "cartogram": cartogram(rows, region, programme),
        "trend": trend(scope=scope, region=region, programmes=shown),
    }
