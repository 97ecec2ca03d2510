"""The import itself: ``legacy_import``, from reading the files to the commit and the report."""

from __future__ import annotations

import io
import logging
from collections.abc import Callable

import polars as pl
from django.core.exceptions import PermissionDenied
from django.db import transaction

from accounts import access
from accounts.models import User
from accounts.services import system_user
from collaboration.services import engagement_claim_submit
from imports.models import ImportRun, MappingProfile
from imports.regions import region_index
from imports.services.outcome import FileReport, ImportOutcome, count, labels, outcomes
from imports.services.records import (
    audit,
    audit_failure,
    import_report,
    runs_abort,
    runs_fail,
    runs_finish,
    runs_prepare,
)
from imports.services.sources import ImportSource, ProgressFn, source_read
from imports.validation import Validated, rows_validate, standardise
from jobs.services import HANDLERS, job_start
from registry import access as registry_access
from registry.bulk import NOTE_SCHEMA, BulkResult, registry_bulk_upsert
from registry.models import EmploymentStatus, Engagement, Programme
from registry.services import counts_refresh_enqueue

logger = logging.getLogger(__name__)


# Share of the progress bar each stage takes (reading is the slow part of a workbook).
STAGES = {"read": (0, 40), "validate": (40, 55), "write": (55, 95), "report": (95, 100)}


def _staged(progress: ProgressFn | None, stage: str) -> Callable[[float, int, str], None]:
    low, high = STAGES[stage]

    def report(done: float, total: int, message: str = "") -> None:
        if progress:
            share = (done / total) if total else 0
            progress(int(low + (high - low) * min(share, 1)), 100, message)

    return report


def legacy_import(
    *,
    actor: User,
    programme: Programme,
    sources: list[ImportSource],
    profile: MappingProfile | None = None,
    dry_run: bool = False,
    full_roster: bool = False,
    default_status: str = EmploymentStatus.CONTRACT,
    progress: ProgressFn | None = None,
    report: bool = True,
) -> ImportOutcome:
    """Import legacy files of one programme into the registry (or, with ``dry_run``, report
    what would happen without writing).

    1. Access: the actor must be able to write and the programme must be in their scope;
       rows outside their regions are rejected one by one.
    2. Read every sheet of every file, find its header, map its columns. A file that cannot
       be read stops the whole batch before anything is written.
    3. Validate all rows (vectorised), then hand the accepted ones to the registry's bulk
       path: a dry run computes the same plan and stops there.
    4. Commit: one transaction for the batch, with an audit entry per file (hash, operator,
       counts, outcome). A failure rolls everything back and is itself audited.
    5. The report (XLSX) of every rejected, flagged or annotated row, unless ``report`` is
       False (the command line builds it only when asked for a report file).
    """
    access.require(access.can_write(actor), "Peran Anda tidak boleh mengimpor data registri.")
    if not registry_access.programmes_writable(actor).filter(pk=programme.pk).exists():
        raise PermissionDenied(f"Klaster/program {programme.name} di luar cakupan Anda.")
    runs = runs_prepare(
        actor=actor,
        programme=programme,
        sources=sources,
        dry_run=dry_run,
        full_roster=full_roster,
        default_status=default_status,
        profile=profile,
    )
    try:
        return _legacy_import_runs(
            runs,
            actor=actor,
            programme=programme,
            sources=sources,
            profile=profile,
            dry_run=dry_run,
            full_roster=full_roster,
            default_status=default_status,
            progress=progress,
            report=report,
        )
    except BaseException as exc:
        # Whatever went wrong (a polars panic is a BaseException), no run stays "running":
        # a running run refuses a retry ("Impor ini sedang diproses").
        runs_abort(runs, exc)
        raise


def _legacy_import_runs(
    runs: list[ImportRun],
    *,
    actor: User,
    programme: Programme,
    sources: list[ImportSource],
    profile: MappingProfile | None,
    dry_run: bool,
    full_roster: bool,
    default_status: str,
    progress: ProgressFn | None,
    report: bool,
) -> ImportOutcome:
    files, inputs, mappings = source_read(sources, profile, _staged(progress, "read"))
    for file_report, run in zip(files, runs, strict=True):
        file_report.run = run
    outcome = ImportOutcome(files=files, dry_run=dry_run)
    if any(f.error for f in files):
        runs_fail(files, message="Berkas tidak dapat dibaca; tidak ada data yang disimpan.")
        return outcome

    # Hand the stacked frame over without keeping a reference here, and let the per-sheet
    # frames go: validation can then release the raw cells it no longer needs (memory).
    stacked = [standardise(inputs)]
    inputs.clear()
    validated = rows_validate(
        frame=stacked.pop(),
        actor=actor,
        programme=programme,
        regions=region_index(),
        default_status=default_status,
        progress=_staged(progress, "validate"),
    )
    _attach_layout(files, validated)
    source_label = "impor " + ", ".join(f.name for f in files)
    try:
        with transaction.atomic():
            bulk = registry_bulk_upsert(
                actor=actor,
                programme=programme,
                rows=validated.rows,
                source=source_label[:200],
                full_roster=full_roster,
                protected_niks=validated.niks_seen if validated.niks_seen is not None else (),
                flag_notes=validated.conflicts,
                dry_run=dry_run,
                progress=_staged(progress, "write"),
            )
            issues = pl.concat([validated.issues, bulk.notes.select(list(NOTE_SCHEMA))])
            outcome.rows = outcomes(validated.sources, issues)
            outcome.issues = (
                issues.join(validated.sources, on="src")
                .join(labels(mappings), on=["file", "sheet", "field"], how="left")
                .with_columns(pl.coalesce("column", "field").alias("column"))
                .sort("src")
            )
            outcome.counts = count(outcome, files, validated, bulk.counts)
            outcome.ending, outcome.changes = bulk.ending, bulk.changes
            outcome.committed = not dry_run
            if not dry_run:
                outcome.counts["pending_confirmation"] = _claims_submit(
                    actor=actor, programme=programme, claims=bulk.claims
                )
                audit(
                    actor=actor,
                    programme=programme,
                    files=files,
                    outcome=outcome,
                    options={"full_roster": full_roster, "default_status": str(default_status)},
                )
                _harmonise_after_commit()
                counts_refresh_enqueue(regency_ids=_regencies_touched(validated, bulk, programme))
    except Exception as exc:
        runs_fail(files, message=f"Gagal menyimpan; tidak ada data yang disimpan: {exc}")
        audit_failure(actor=actor, programme=programme, files=files, error=str(exc))
        raise
    step = _staged(progress, "report")
    if report:
        step(0, 1, "Menyusun laporan")
        buffer = io.BytesIO()
        import_report(
            buffer,
            actor=actor,
            programme=programme,
            outcome=outcome,
            validated=validated,
            dry_run=dry_run,
        )
        outcome.report = buffer.getvalue()
    runs_finish(files, outcome)
    step(1, 1, "Selesai")
    return outcome


def _claims_submit(*, actor: User, programme: Programme, claims: pl.DataFrame) -> int:
    """Rows of people the uploader cannot see become requests to confirm their engagement
    (``registry.bulk`` kept them out of the write); returns how many were asked for."""
    asked = 0
    for row in claims.iter_rows(named=True):
        request = engagement_claim_submit(
            actor=actor,
            person_id=row["person_id"],
            programme=programme,
            facts=row,
            origin=row["origin"] or "",
        )
        asked += request is not None
    return asked


def _attach_layout(files: list[FileReport], validated: Validated) -> None:
    """Each sheet's entry in its file's report gets what the validation concluded on it: the
    rows skipped by reason and the regencies not read as written."""
    for report in files:
        for sheet in report.sheets:
            key = (report.name, sheet["name"])
            skipped = {
                reason: n
                for (f, s, reason), n in validated.skipped_reasons.items()
                if (f, s) == key
            }
            if skipped:
                sheet["skipped"] = skipped
            resolutions = [r for r in validated.resolutions if (r["file"], r["sheet"]) == key]
            if resolutions:
                sheet["resolutions"] = resolutions


def _regencies_touched(validated: Validated, bulk: BulkResult, programme: Programme) -> set[str]:
    """The regencies whose engagement counts an import may have changed: those of its rows and
    those of the engagements a full roster ended (the result lists the first 5,000 of these;
    beyond, every regency where the programme serves)."""
    regencies: set[str] = set()
    if "regency_id" in validated.rows.columns:
        regencies |= set(validated.rows["regency_id"].drop_nulls().unique().to_list())
    regencies |= {row["regency_id"] for row in bulk.ending}
    if bulk.counts.get("ended", 0) > len(bulk.ending):
        served = Engagement.objects.filter(programme=programme).values_list("regency_id")
        regencies |= set(served.distinct().values_list("regency_id", flat=True))
    return regencies


def _harmonise_after_commit() -> None:
    """Imported engagements get their harmonised level from the framework in force.

    The framework capability registers the "harmonize" job; asking for it by kind keeps imports
    free of the framework's internals. It runs after this transaction commits, as the system actor
    (harmonising the registry is a national task), and costs seconds when little changed.
    """
    if "harmonize" in HANDLERS:
        job_start(
            kind="harmonize", title="Harmonisasi setelah impor", owner=system_user(), params={}
        )
