"""What an import leaves behind: audit entries per file, the XLSX report, its ImportRun rows."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import polars as pl
from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.models import AuditEntry, User
from accounts.services import audit_record
from imports.models import ImportRun, MappingProfile
from imports.report import report_write
from imports.services.outcome import FileReport, ImportOutcome
from imports.services.sources import ImportSource
from imports.validation import Validated
from jobs.services import failure_reason
from registry.models import Programme

SCREEN_ISSUES = 2000
SCREEN_ENDING = 1000


def audit(
    *,
    actor: User,
    programme: Programme,
    files: list[FileReport],
    outcome: ImportOutcome,
    options: dict[str, Any],
) -> None:
    for report in files:
        result = "ditolak semua" if report.failed else "berhasil"
        audit_record(
            actor=actor,
            action=AuditEntry.Action.IMPORT,
            obj=report.run,
            object_repr=f"Impor {report.name}",
            changes={
                "berkas": report.name,
                "sha256": report.sha256,
                "ukuran": report.size,
                "klaster": programme.slug,
                "jumlah": report.counts,
                "jumlah_batch": outcome.counts,
                "hasil": result,
                "opsi": options,
            },
            note=f"Impor {report.name} ({programme.name}): {result}.",
        )


def audit_failure(
    *, actor: User, programme: Programme, files: list[FileReport], error: str
) -> None:
    for report in files:
        audit_record(
            actor=actor,
            action=AuditEntry.Action.IMPORT,
            obj=report.run,
            object_repr=f"Impor {report.name}",
            changes={
                "berkas": report.name,
                "sha256": report.sha256,
                "klaster": programme.slug,
                "hasil": "gagal",
                "galat": error[:500],
            },
            note=f"Impor {report.name} gagal; tidak ada data yang disimpan.",
        )


def import_report(
    target: Path | io.BytesIO,
    *,
    actor: User,
    programme: Programme,
    outcome: ImportOutcome,
    validated: Validated,
    dry_run: bool,
) -> None:
    rejected = outcome.rows.filter(pl.col("outcome") == "reject").select("src")
    assert validated.values is not None  # rows_validate always sets it
    values = validated.values.join(rejected, on="src").join(validated.sources, on="src")
    report_write(
        target,
        summary={
            "Jenis": "Uji coba (tidak disimpan)" if dry_run else "Impor disimpan ke registri",
            "Klaster/program": programme.name,
            "Operator": actor.get_username(),
            "Waktu": timezone.localtime().strftime("%d-%m-%Y %H:%M"),
            "counts": outcome.counts,
        },
        files=[{"name": f.name, "counts": f.counts, "sheets": f.sheets} for f in outcome.files],
        issues=outcome.issues.select(
            "file", "sheet", "row", "column", "value", "severity", "code", "message", "fix"
        ),
        rejected_values=values.drop("src"),
        ending=outcome.ending,
    )


# --- ImportRun bookkeeping -------------------------------------------------------------------


def runs_prepare(
    *,
    actor: User,
    programme: Programme,
    sources: list[ImportSource],
    dry_run: bool,
    full_roster: bool,
    default_status: str,
    profile: MappingProfile | None,
) -> list[ImportRun]:
    runs = []
    batch = None
    for source in sources:
        run = source.run or ImportRun(
            operator=actor if actor.pk else None,
            programme=programme,
            file_name=source.name,
            file_sha256="",
        )
        if batch is None:
            batch = run.batch
        run.batch = batch
        run.dry_run = dry_run
        run.status = ImportRun.Status.RUNNING
        run.mapping_profile = profile or run.mapping_profile
        run.options = {
            **run.options,
            "full_roster": full_roster,
            "default_status": str(default_status),
        }
        run.save()
        runs.append(run)
    return runs


def runs_fail(files: list[FileReport], *, message: str) -> None:
    for report in files:
        if report.run is None:
            continue
        report.run.status = ImportRun.Status.FAILED
        report.run.message = (report.error or message)[:2000]
        report.run.file_sha256 = report.sha256 or report.run.file_sha256
        report.run.sheets = report.sheets
        report.run.finished_at = timezone.now()
        report.run.save(update_fields=["status", "message", "file_sha256", "sheets", "finished_at"])


def runs_abort(runs: list[ImportRun], exc: BaseException) -> None:
    """Runs still marked running when the import stopped on an error become failed."""
    ImportRun.objects.filter(pk__in=[r.pk for r in runs], status=ImportRun.Status.RUNNING).update(
        status=ImportRun.Status.FAILED,
        message=f"Gagal; tidak ada data yang disimpan: {failure_reason(exc)}"[:2000],
        finished_at=timezone.now(),
    )
    for run in runs:
        run.refresh_from_db(fields=["status", "message", "finished_at"])


def runs_finish(files: list[FileReport], outcome: ImportOutcome) -> None:
    report_name: str | None = ""
    for index, report in enumerate(files):
        run = report.run
        if run is None:
            continue
        mine = outcome.issues.filter(pl.col("file") == report.name)
        run.status = ImportRun.Status.CHECKED if outcome.dry_run else ImportRun.Status.COMMITTED
        run.file_sha256, run.file_size = report.sha256, report.size
        run.counts = {**outcome.counts, "file": report.counts}
        run.issues = _jsonable(
            mine.head(SCREEN_ISSUES)
            .select("sheet", "row", "column", "value", "severity", "code", "message", "fix")
            .to_dicts()
        )
        run.ending = _jsonable(outcome.ending[:SCREEN_ENDING]) if index == 0 else []
        run.changes = _jsonable(outcome.changes) if index == 0 else []
        run.sheets = report.sheets
        run.mapping = {s["name"]: s["mapping"] for s in report.sheets if "mapping" in s}
        run.message = (
            "Semua baris ditolak."
            if report.failed
            else f"{report.counts.get('accepted', 0)} baris diterima, "
            f"{report.counts.get('rejected', 0)} ditolak."
        )
        run.finished_at = timezone.now()
        if outcome.report:
            if not report_name:
                stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
                run.report.save(
                    f"laporan-impor-{stamp}.xlsx", ContentFile(outcome.report), save=False
                )
                report_name = run.report.name
            else:
                run.report.name = report_name
        run.save()


def _jsonable(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    def fix(value: Any) -> Any:
        return value.isoformat() if isinstance(value, dt.date) else value

    return [{k: fix(v) for k, v in item.items()} for item in items]
