"""Reads for distribution: actual against required per region and cluster, scoped to the user.

Everything here is set-based: a handful of GROUP BY queries per page whatever the number of
regions or facilitators (see bench/bench_distribution.py). Figures are aggregates only; no
function here returns a person.

Roll-ups add up by construction: required is kept fractional, and where a parent holds
something its children cannot (need reported only for the regency, engagements without a
district, a WISN individual allowance per regency) it appears as a "remainder" row, so the
children of every region always sum to the region.

Modules: ``scope`` (levels, the user's scope, region references, clusters and standards in
view), ``figures`` (actual against required, region rows, required from a standard),
``sources`` (need and population aggregates, engagement counts from the caches or live, and
``AGGREGATE_MAX_AGE``, the one place the caches' freshness is decided), ``rollups``
(``level_rows`` and its remainder rows), ``dashboard`` (one region's page), ``cartogram``
(ratio classes, the province grid), ``reports`` (report and trend rows), ``workload``
(caseloads in aggregate) and ``standards`` (the standards in force, their WISN steps).
"""

from distribution.selectors.cartogram import ratio_class
from distribution.selectors.caseloads import (
    caseload_source_label,
    caseloads_by_engagement,
    caseloads_in_month,
)
from distribution.selectors.dashboard import dashboard, dataset_overview
from distribution.selectors.figures import Figures, RegionRow, required_for
from distribution.selectors.reports import (
    REPORT_COLUMNS,
    TREND_COLUMNS,
    report_lines,
    report_rows,
    trend_lines,
)
from distribution.selectors.rollups import level_rows
from distribution.selectors.scope import (
    EPS,
    NATION,
    current_standards,
    national_scope,
    programmes_in,
    region_get,
    scope_for,
)
from distribution.selectors.sources import aggregates_as_of, current_need_q, region_names
from distribution.selectors.standards import standards_list, wisn_steps
from distribution.selectors.workload import WORKLOAD_COLUMNS, workload, workload_export_rows

__all__ = [
    "EPS",
    "NATION",
    "REPORT_COLUMNS",
    "TREND_COLUMNS",
    "WORKLOAD_COLUMNS",
    "Figures",
    "RegionRow",
    "region_names",
    "caseload_source_label",
    "caseloads_by_engagement",
    "caseloads_in_month",
    "aggregates_as_of",
    "current_need_q",
    "current_standards",
    "dashboard",
    "dataset_overview",
    "level_rows",
    "national_scope",
    "programmes_in",
    "ratio_class",
    "region_get",
    "report_lines",
    "report_rows",
    "required_for",
    "scope_for",
    "standards_list",
    "trend_lines",
    "wisn_steps",
    "workload",
    "workload_export_rows",
]
