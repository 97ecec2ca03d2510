"""Writes for incentives: indexes, area lists, scales, allowances, scenarios, adoptions.

Every write checks ``incentives.access``, runs in a transaction and is audited. A scale or index
changes only while it is a draft; after that it moves forward through its states (agreed → in
force → superseded) and the history stays.

Modules: ``common`` (access checks, audit, agreeing a draft), ``indexes`` (regional index
versions), ``areas`` (special-area lists), ``scales`` (scales and base amounts), ``allowances`` (a
scale's allowances), ``scenarios`` (scenario copies), ``recompute`` (adoption and the stored
standard incentive, with its job) and ``example`` (the shipped example).
"""

from incentives.services.allowances import (
    ALLOWANCE_FIELDS,
    allowance_create,
    allowance_delete,
    allowance_update,
)
from incentives.services.areas import area_list_load
from incentives.services.example import DATA_DIR, incentive_example_load
from incentives.services.indexes import (
    regional_index_agree,
    regional_index_copy,
    regional_index_enact,
    regional_index_load,
    regional_index_values_update,
)
from incentives.services.recompute import (
    adoption_record,
    standard_incentives_recompute,
    standard_incentives_recompute_job,
    standard_incentives_recompute_outcome,
)
from incentives.services.scales import (
    scale_agree,
    scale_copy,
    scale_create,
    scale_enact,
    scale_update,
)
from incentives.services.scenarios import (
    scale_in_force,
    scenario_create,
    scenario_delete,
    scenario_update,
)

__all__ = [
    "ALLOWANCE_FIELDS",
    "DATA_DIR",
    "adoption_record",
    "allowance_create",
    "allowance_delete",
    "allowance_update",
    "area_list_load",
    "incentive_example_load",
    "regional_index_agree",
    "regional_index_copy",
    "regional_index_enact",
    "regional_index_load",
    "regional_index_values_update",
    "scale_agree",
    "scale_copy",
    "scale_create",
    "scale_enact",
    "scale_in_force",
    "scale_update",
    "scenario_create",
    "scenario_delete",
    "scenario_update",
    "standard_incentives_recompute",
    "standard_incentives_recompute_job",
    "standard_incentives_recompute_outcome",
]
