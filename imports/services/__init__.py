"""Importing legacy spreadsheets. One entry point, ``legacy_import``, serves the web job, the
``import_legacy`` command and the benchmark, so all three run the same code.

The procedure (see ``legacy_import``): read and validate outside any transaction, reporting
progress as it goes (on SQLite the write transaction blocks other writers, progress included);
then one transaction applies every accepted row of every file through
``registry.bulk.registry_bulk_upsert`` and records the import, or applies nothing.

Modules: ``sources`` (the files to import, their hash, reading every sheet with its column
mapping), ``outcome`` (per-file reports, the batch outcome, row outcomes and counts), ``legacy``
(``legacy_import`` itself), ``records`` (audit entries, the XLSX report, ImportRun bookkeeping),
``web`` (upload and preview, mapping corrections, mapping profiles, starting the job) and ``job``
(the background job handler, registered by ``imports.apps`` under this package's name).
"""

from imports.services.job import JOB_KIND, legacy_import_job
from imports.services.legacy import legacy_import
from imports.services.outcome import FileReport, ImportOutcome
from imports.services.records import SCREEN_ENDING, SCREEN_ISSUES
from imports.services.sources import ImportSource, ProgressFn, file_sha256, sheet_mapping
from imports.services.web import (
    import_run_create,
    import_run_mapping_update,
    import_run_start,
    mapping_profile_save,
)

__all__ = [
    "JOB_KIND",
    "SCREEN_ENDING",
    "SCREEN_ISSUES",
    "FileReport",
    "ImportOutcome",
    "ImportSource",
    "ProgressFn",
    "file_sha256",
    "import_run_create",
    "import_run_mapping_update",
    "import_run_start",
    "legacy_import",
    "legacy_import_job",
    "mapping_profile_save",
    "sheet_mapping",
]
