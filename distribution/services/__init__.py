"""Writes of the distribution app: standards, need and population imports, aggregates,
caseloads and snapshots. Each is one named action in a transaction, audited.

Modules: ``permissions`` (who may load national reference data), ``standards`` (staffing
standards: WISN computation, creation, loading from JSON), ``tables`` (reading need and
population tables: column names, region codes), ``need`` and ``population`` (the dataset
imports), ``aggregates`` (rebuilding the need, population and engagement count aggregates),
``caseloads`` (entering and importing caseloads), ``snapshots`` (the monthly snapshot for
trends) and ``fast_load`` (COPY-based loading for demo data and benchmarks).
"""

from distribution.services.aggregates import (
    actual_aggregates_refresh,
    actual_aggregates_refresh_regions,
    aggregates_refresh,
)
from distribution.services.caseloads import (
    caseload_import,
    caseload_record_set,
    caseload_records_from_logbook,
)
from distribution.services.fast_load import copy_rows
from distribution.services.need import need_dataset_create, need_dataset_import
from distribution.services.permissions import may_load_datasets, require_national_writer
from distribution.services.population import population_dataset_create, population_dataset_import
from distribution.services.snapshots import distribution_snapshot_take
from distribution.services.standards import (
    staffing_standard_compute,
    staffing_standard_create,
    staffing_standards_load,
)

__all__ = [
    "need_dataset_create",
    "population_dataset_create",
    "require_national_writer",
    "actual_aggregates_refresh",
    "actual_aggregates_refresh_regions",
    "aggregates_refresh",
    "caseload_import",
    "caseload_record_set",
    "caseload_records_from_logbook",
    "copy_rows",
    "distribution_snapshot_take",
    "may_load_datasets",
    "need_dataset_import",
    "population_dataset_import",
    "staffing_standard_compute",
    "staffing_standard_create",
    "staffing_standards_load",
]
