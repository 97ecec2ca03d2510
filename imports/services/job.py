"""The background job that runs an uploaded file's dry run or commit for the web flow."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from imports.models import ImportRun
from imports.services.legacy import legacy_import
from imports.services.sources import ImportSource, ProgressFn
from jobs.models import Job
from registry.models import EmploymentStatus

JOB_KIND = "legacy_import"


def legacy_import_job(job: Job, progress: ProgressFn) -> dict[str, Any]:
    """The background job: run one uploaded file's dry run or commit."""
    run = ImportRun.objects.select_related("programme", "mapping_profile").get(
        uid=job.params["run"]
    )
    actor = job.owner
    try:
        if actor is None:  # no starter, no scope: refused (and the run failed), as before
            raise PermissionDenied("Peran Anda tidak boleh mengimpor data registri.")
        outcome = legacy_import(
            actor=actor,
            programme=run.programme,
            sources=[
                ImportSource(
                    path=Path(run.file.path),
                    name=run.file_name,
                    mapping=run.mapping or None,
                    run=run,
                )
            ],
            profile=run.mapping_profile,
            dry_run=bool(job.params.get("dry_run")),
            full_roster=bool(job.params.get("full_roster")),
            default_status=run.options.get("default_status", EmploymentStatus.CONTRACT),
            progress=progress,
        )
    except BaseException:  # a polars panic too: the run must not stay locked
        ImportRun.objects.filter(pk=run.pk, status=ImportRun.Status.RUNNING).update(
            status=ImportRun.Status.FAILED, finished_at=timezone.now()
        )
        raise
    if outcome.committed and run.file:
        # Data minimisation (UU PDP): once the rows are in the registry the uploaded copy goes;
        # the hash, the counts and the report stay.
        run.file.delete(save=False)
        ImportRun.objects.filter(pk=run.pk).update(file="", preview=[])
    return {"run": str(run.uid), "counts": outcome.counts, "failed": outcome.failed}
