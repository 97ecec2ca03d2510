"""Reports and trends: one row per region and cluster, one point per snapshot."""

from django.core.exceptions import ValidationError
from django.db.models import Q, Sum
from django.utils.translation import gettext

from accounts.models import User
from distribution.models import RegionLevel, SnapshotRow, StaffingStandard
from distribution.selectors.figures import RegionRow
from distribution.selectors.rollups import level_rows
from distribution.selectors.scope import (
    NATION,
    RegionRef,
    Scope,
    current_standards,
    home_region,
    programmes_in,
    scope_for,
)
from registry.models import Programme


def trend(*, scope: Scope, region: RegionRef, programmes: list[Programme]) -> list[dict]:
    """Actual and required per snapshot for this region and the clusters in view."""
    grouped = (
        SnapshotRow.objects.filter(
            region_code=region.code, programme_id__in=[p.pk for p in programmes]
        )
        .values("snapshot_id", "snapshot__period", "snapshot__taken_at")
        .annotate(
            sum_actual=Sum("actual"),
            sum_actual_standard=Sum("actual", filter=Q(required__isnull=False)),
            sum_required=Sum("required"),
        )
        .order_by("snapshot__period", "snapshot__taken_at")
    )
    out = []
    for g in grouped:
        required = g["sum_required"]
        out.append(
            {
                "period": g["snapshot__period"],
                "taken_at": g["snapshot__taken_at"],
                "actual": g["sum_actual"] or 0,
                "required": required,
                "wisn_ratio": (g["sum_actual_standard"] or 0) / required if required else None,
            }
        )
    return out


REPORT_COLUMNS = [
    "region_code",
    "region_name",
    "region_level",
    "cluster",
    "need",
    "actual",
    "required",
    "wisn_difference",
    "wisn_ratio",
    "population",
    "density_per_10k",
    "standard",
]


REPORT_LEVELS = [NATION, RegionLevel.PROVINCE, RegionLevel.REGENCY, RegionLevel.DISTRICT]


def num(value: float | None, places: int = 4) -> float | str:
    return "" if value is None else round(value, places)


def report_rows(*, user: User, level: str, cluster: str = "") -> list[list]:
    """Rows of REPORT_COLUMNS for every region at ``level`` in the user's scope and cluster.

    A remainder row (e.g. facilitators without a district) keeps its parent's code with
    region_level "<level>_sisa", so that the rows of a level still add up to their parents.
    """
    if level not in REPORT_LEVELS:
        raise ValidationError(
            gettext("Tingkat harus salah satu dari: nation, province, regency, district.")
        )
    scope = scope_for(user)
    programmes = programmes_in(scope, cluster)
    standards = current_standards()
    rows = level_rows(
        scope=scope,
        level=level,
        within=home_region(scope),
        programmes=programmes,
        standards=standards,
    )
    return report_lines(rows, programmes, standards)


def report_lines(
    rows: list[RegionRow], programmes: list[Programme], standards: dict[int, StaffingStandard]
) -> list[list]:
    out = []
    for row in rows:
        for programme in programmes:
            cell = row.cell(programme.pk)
            standard = standards.get(programme.pk)
            out.append(
                [
                    row.export_code,
                    row.name,
                    f"{row.level}_sisa" if row.is_remainder else row.level,
                    programme.slug,
                    cell.need,
                    cell.actual,
                    num(cell.required),
                    num(cell.wisn_difference),
                    num(cell.wisn_ratio),
                    "" if row.population is None else row.population,
                    num(cell.density_per_10k),
                    standard.name if standard else "",
                ]
            )
    return out


TREND_COLUMNS = ["region_code", "period", "actual", "required", "wisn_ratio"]


def trend_lines(region: RegionRef, items: list[dict]) -> list[list]:
    return [
        [
            region.export_code,
            item["period"].isoformat()[:7],
            item["actual"],
            num(item["required"]),
            num(item["wisn_ratio"]),
        ]
        for item in items
    ]
