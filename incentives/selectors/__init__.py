"""Reads for incentives: which scale and index apply, prices, aggregates, scenarios, rosters.

Every read of engagements is scoped through ``accounts.access.engagement_scope``. Prices are
computed live by ``incentives.engine`` over ``values_list`` rows (no model instances), so a page,
the CLI, the API and the stored ``Engagement.standard_incentive`` all use the same arithmetic.

Modules: ``filters`` (region, programme, level), ``standard`` (which index and scales apply, the
calculator), ``engagements`` (engagement rows, one breakdown), ``aggregates`` (totals by group,
summary, not computable), ``scenarios`` (side-by-side comparison and transition), ``pages`` (lists
and details for the standard's pages) and ``roster`` (the monthly roster).
"""

from incentives.engine import ROMAN
from incentives.selectors.aggregates import (
    GROUPS,
    Summary,
    Totals,
    group_key,
    group_labels,
    incentive_summary,
    not_computable_list,
    summarise,
)
from incentives.selectors.engagements import (
    all_engagement_facts,
    engagement_breakdown,
    engagement_facts,
)
from incentives.selectors.filters import LEVEL_BY_ROMAN, IncentiveFilters
from incentives.selectors.pages import (
    adoption_list,
    area_designations,
    area_list_detail,
    area_lists,
    index_detail,
    index_list,
    index_values,
    scale_detail,
    scale_list,
)
from incentives.selectors.roster import (
    HOLD_CODES,
    HeldOut,
    Roster,
    RosterLine,
    calc_reason,
    month_bounds,
    region_label,
    roster_build,
)
from incentives.selectors.scenarios import (
    IN_FORCE_KEY,
    Comparison,
    ScenarioColumn,
    scenario_compare,
    scenario_list,
    scenarios_by_keys,
)
from incentives.selectors.standard import (
    applicable_scales,
    calculator,
    index_in_force,
    scale_snapshot,
    scenario_resolver,
    standard_resolver,
    today,
)

__all__ = [
    "GROUPS",
    "HOLD_CODES",
    "IN_FORCE_KEY",
    "LEVEL_BY_ROMAN",
    "ROMAN",
    "Comparison",
    "HeldOut",
    "IncentiveFilters",
    "Roster",
    "RosterLine",
    "ScenarioColumn",
    "Summary",
    "Totals",
    "adoption_list",
    "all_engagement_facts",
    "applicable_scales",
    "area_designations",
    "area_list_detail",
    "area_lists",
    "calc_reason",
    "calculator",
    "engagement_breakdown",
    "engagement_facts",
    "group_key",
    "group_labels",
    "incentive_summary",
    "index_detail",
    "index_in_force",
    "index_list",
    "index_values",
    "month_bounds",
    "not_computable_list",
    "region_label",
    "roster_build",
    "scale_detail",
    "scale_list",
    "scale_snapshot",
    "scenario_compare",
    "scenario_list",
    "scenario_resolver",
    "scenarios_by_keys",
    "standard_resolver",
    "summarise",
    "today",
]
