"""Incentive pages. Views translate only: parse, ask the access modules, call a service/selector.

Modules: ``common`` (helpers the pages share), ``overview`` (summary, not computable, recompute,
breakdown), ``scales`` (scales and allowances), ``indexes`` (regional indexes, special areas,
adoptions), ``scenarios`` (scenarios and their comparison) and ``monthly_roster`` (the monthly
roster and its downloads).
"""

from incentives.views.indexes import (
    adoption_list,
    area_detail,
    area_list,
    index_detail,
    index_list,
    index_state,
)
from incentives.views.monthly_roster import roster, roster_download
from incentives.views.overview import breakdown, index, not_computable, recompute
from incentives.views.scales import (
    allowance_create,
    allowance_delete,
    scale_copy,
    scale_detail,
    scale_list,
    scale_state,
)
from incentives.views.scenarios import (
    scenario_compare,
    scenario_delete,
    scenario_detail,
    scenario_export,
    scenario_list,
)

__all__ = [
    "adoption_list",
    "allowance_create",
    "allowance_delete",
    "area_detail",
    "area_list",
    "breakdown",
    "index",
    "index_detail",
    "index_list",
    "index_state",
    "not_computable",
    "recompute",
    "roster",
    "roster_download",
    "scale_copy",
    "scale_detail",
    "scale_list",
    "scale_state",
    "scenario_compare",
    "scenario_delete",
    "scenario_detail",
    "scenario_export",
    "scenario_list",
]
