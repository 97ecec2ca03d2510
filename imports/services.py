"""Importing legacy spreadsheets. One entry point, ``legacy_import``, serves the web job, the
``import_legacy`` command and the benchmark, so all three run the same code.

The procedure (see ``legacy_import``): read and validate outside any transaction, reporting
progress as it goes (on SQLite the write transaction blocks other writers, progress included);
then one transaction applies every accepted row of every file through
``registry.bulk.registry_bulk_upsert`` and records the import, or applies nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from accounts import access
from accounts.models import AuditEntry, User
from accounts.services import audit_record, system_user
from imports.columns import FIELD_BY_KEY, SheetMapping, detect_mapping, mapping_apply_profile
from imports.models import ImportRun, MappingProfile
from imports.reading import (
    FileReadError,
    Sheet,
    file_open,
    file_sheets,
    release_freed_memory,
)
from imports.regions import region_index
from imports.report import REPORT_MARKER, report_write
from imports.validation import FIELD_KEYS, SheetInput, rows_validate, standardise
from jobs.models import Job
from jobs.services import HANDLERS, job_start
from registry.bulk import NOTE_SCHEMA, registry_bulk_upsert
from registry.models import EmploymentStatus, Programme

logger = logging.getLogger(__name__)

JOB_KIND = "legacy_import"
SCREEN_ISSUES = 2000
SCREEN_ENDING = 1000
ProgressFn = Callable[[int, int, str], None]
# Share of the progress bar each stage takes (reading is the slow part of a workbook).
STAGES = {"read": (0, 40), "validate": (40, 55), "write": (55, 95), "report": (95, 100)}


@dataclass
class ImportSource:
    """A file to import: where it is, what to call it, and an operator's corrected mapping."""

    path: Path
    name: str = ""
    mapping: dict[str, dict] | None = None  # {sheet name: SheetMapping.as_json()}
    run: ImportRun | None = None

    def __post_init__(self) -> None:
        self.path = Path(self.path)
        self.name = self.name or self.path.name


@dataclass
class FileReport:
    name: str
    sha256: str = ""
    size: int = 0
    sheets: list[dict[str, Any]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    error: str = ""
    run: ImportRun | None = None

    @property
    def failed(self) -> bool:
        """Unreadable, or not one data row of it could be accepted."""
        return bool(self.error) or not self.counts.get("accepted")


@dataclass
class ImportOutcome:
    files: list[FileReport]
    counts: dict[str, int] = field(default_factory=dict)
    issues: pl.DataFrame = field(default_factory=pl.DataFrame)
    rows: pl.DataFrame = field(default_factory=pl.DataFrame)  # file, sheet, row, outcome, reason
    ending: list[dict[str, Any]] = field(default_factory=list)
    changes: list[dict[str, Any]] = field(default_factory=list)
    dry_run: bool = True
    committed: bool = False
    report: bytes = b""

    @property
    def failed(self) -> bool:
        return any(f.failed for f in self.files)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _staged(progress: ProgressFn | None, stage: str) -> ProgressFn:
    low, high = STAGES[stage]

    def report(done: int, total: int, message: str = "") -> None:
        if progress:
            share = (done / total) if total else 0
            progress(int(low + (high - low) * min(share, 1)), 100, message)

    return report


def _is_report_sheet(sheet: Sheet) -> bool:
    first = sheet.head[0][0] if sheet.head and sheet.head[0] else ""
    return str(first).strip() == REPORT_MARKER


def sheet_mapping(
    sheet: Sheet, *, explicit: dict | None, profile: MappingProfile | None
) -> SheetMapping:
    """The operator's corrected mapping, else the profile's, else the detected one."""
    if explicit:
        return SheetMapping.from_json(explicit)
    if profile is not None:
        mapping = mapping_apply_profile(
            sheet.head, sheet.merged, {"columns": profile.columns, "header_row": profile.header_row}
        )
        if mapping.found:
            return mapping
    return detect_mapping(sheet.head, sheet.merged)


def _sheet_note(mapping: SheetMapping) -> str:
    found = ", ".join(
        f"{FIELD_BY_KEY[k].label} = {mapping.label_of(k)}" for k in mapping.columns if k != "no"
    )
    return f"Baris judul kolom: {mapping.header_row}. Kolom: {found}."


def _read(
    sources: list[ImportSource], profile: MappingProfile | None, progress: ProgressFn
) -> tuple[list[FileReport], list[SheetInput], dict[tuple[str, str], SheetMapping]]:
    files, inputs, mappings = [], [], {}
    for index, source in enumerate(sources):
        report = FileReport(name=source.name, run=source.run)
        files.append(report)
        try:
            if not source.path.exists():
                raise FileReadError(f"Berkas {source.name} tidak ditemukan.")
            report.sha256, report.size = file_sha256(source.path), source.path.stat().st_size
            progress(index, len(sources), f"Membuka {source.name}")
            used = 0
            for sheet in file_sheets(source.path, name=source.name):
                if _is_report_sheet(sheet):
                    report.sheets.append({"name": sheet.name, "note": "Lembar laporan; dilewati."})
                    continue
                explicit = (source.mapping or {}).get(sheet.name)
                mapping = sheet_mapping(sheet, explicit=explicit, profile=profile)
                if not mapping.found:
                    report.sheets.append(
                        {"name": sheet.name, "note": "Tidak ada baris judul kolom; dilewati."}
                    )
                    continue
                if mapping.missing_required:
                    labels = ", ".join(FIELD_BY_KEY[k].label for k in mapping.missing_required)
                    raise FileReadError(
                        f"Lembar '{sheet.name}' pada {source.name}: kolom wajib tidak ditemukan "
                        f"({labels}). Beri judul kolom yang jelas atau atur pemetaan kolom."
                    )
                columns = sorted(set(mapping.columns.values()))
                frame = sheet.frame(
                    columns=columns,
                    first_row=mapping.first_data_row,
                    progress=lambda done, total, message, index=index: progress(
                        index + (done / total if total else 0), len(sources), message
                    ),
                )
                inputs.append(
                    SheetInput(
                        file_name=source.name, sheet=sheet.name, mapping=mapping, frame=frame
                    )
                )
                mappings[(source.name, sheet.name)] = mapping
                report.sheets.append(
                    {"name": sheet.name, "note": _sheet_note(mapping), "mapping": mapping.as_json()}
                )
                used += 1
            sheet = None  # drop the last sheet too, then give the workbook's memory back
            release_freed_memory()
            if not used:
                raise FileReadError(
                    f"Tidak ada lembar di {source.name} yang memiliki baris judul kolom NIK, Nama "
                    "dan Kabupaten/Kota. Pastikan judul kolom ada di atas data."
                )
        except FileReadError as exc:
            report.error = str(exc)
    return files, inputs, mappings


# A stated birth date or place may come from the combined "Tempat, Tgl Lahir" column.
_LABEL_FALLBACK = {"birth_date": "birth_place_date", "birth_place": "birth_place_date"}


def _labels(mappings: dict[tuple[str, str], SheetMapping]) -> pl.DataFrame:
    def label(mapping: SheetMapping, key: str) -> str:
        fallback = _LABEL_FALLBACK.get(key)
        if key not in mapping.columns and fallback in mapping.columns:
            return mapping.label_of(fallback)
        return mapping.label_of(key)

    rows = [
        (file_name, sheet, key, label(mapping, key))
        for (file_name, sheet), mapping in mappings.items()
        for key in FIELD_KEYS
    ]
    return pl.DataFrame(
        rows,
        schema={"file": pl.String, "sheet": pl.String, "field": pl.String, "column": pl.String},
        orient="row",
    )


def _outcomes(sources: pl.DataFrame, issues: pl.DataFrame) -> pl.DataFrame:
    """One outcome per data row: reject > flag > accept, with the first reason of that kind."""
    rank = {"reject": 0, "flag": 1, "warning": 2}
    worst = (
        issues.with_columns(pl.col("severity").replace_strict(rank, default=3).alias("rank"))
        .sort("src", "rank")
        .group_by("src", maintain_order=True)
        .agg(pl.col("rank").first(), pl.col("code").first().alias("reason"))
    )
    return (
        sources.join(worst, on="src", how="left")
        .with_columns(
            pl.when(pl.col("rank") == 0)
            .then(pl.lit("reject"))
            .when(pl.col("rank") == 1)
            .then(pl.lit("flag"))
            .otherwise(pl.lit("accept"))
            .alias("outcome"),
            pl.when(pl.col("rank") <= 1).then(pl.col("reason")).otherwise(None).alias("reason"),
        )
        .select("src", "file", "sheet", "row", "outcome", "reason")
        .sort("src")
    )


def legacy_import(  # noqa: C901 - the steps read best in one place
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
    if not access.programmes_writable(actor).filter(pk=programme.pk).exists():
        raise PermissionDenied(f"Klaster/program {programme.name} di luar cakupan Anda.")
    runs = _runs_prepare(
        actor=actor,
        programme=programme,
        sources=sources,
        dry_run=dry_run,
        full_roster=full_roster,
        default_status=default_status,
        profile=profile,
    )
    files, inputs, mappings = _read(sources, profile, _staged(progress, "read"))
    for file_report, run in zip(files, runs, strict=True):
        file_report.run = run
    outcome = ImportOutcome(files=files, dry_run=dry_run)
    if any(f.error for f in files):
        _runs_fail(files, message="Berkas tidak dapat dibaca; tidak ada data yang disimpan.")
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
    source_label = "impor " + ", ".join(f.name for f in files)
    try:
        with transaction.atomic():
            bulk = registry_bulk_upsert(
                actor=actor,
                programme=programme,
                rows=validated.rows,
                source=source_label[:200],
                full_roster=full_roster,
                protected_niks=validated.niks_seen,
                dry_run=dry_run,
                progress=_staged(progress, "write"),
            )
            issues = pl.concat([validated.issues, bulk.notes.select(list(NOTE_SCHEMA))])
            outcome.rows = _outcomes(validated.sources, issues)
            outcome.issues = (
                issues.join(validated.sources, on="src")
                .join(_labels(mappings), on=["file", "sheet", "field"], how="left")
                .with_columns(pl.coalesce("column", "field").alias("column"))
                .sort("src")
            )
            outcome.counts = _count(outcome, files, validated, bulk.counts)
            outcome.ending, outcome.changes = bulk.ending, bulk.changes
            outcome.committed = not dry_run
            if not dry_run:
                _audit(
                    actor=actor,
                    programme=programme,
                    files=files,
                    outcome=outcome,
                    options={"full_roster": full_roster, "default_status": str(default_status)},
                )
                _harmonise_after_commit()
    except Exception as exc:
        _runs_fail(files, message=f"Gagal menyimpan; tidak ada data yang disimpan: {exc}")
        _audit_failure(actor=actor, programme=programme, files=files, error=str(exc))
        raise
    step = _staged(progress, "report")
    if report:
        step(0, 1, "Menyusun laporan")
        buffer = io.BytesIO()
        _report(
            buffer,
            actor=actor,
            programme=programme,
            outcome=outcome,
            validated=validated,
            dry_run=dry_run,
        )
        outcome.report = buffer.getvalue()
    _runs_finish(files, outcome)
    step(1, 1, "Selesai")
    return outcome


def _count(outcome: ImportOutcome, files: list[FileReport], validated, bulk_counts: dict) -> dict:
    per_file = (
        outcome.rows.group_by("file", "outcome")
        .len()
        .pivot(on="outcome", index="file", values="len")
        .fill_null(0)
    )
    by_file = {r["file"]: r for r in per_file.iter_rows(named=True)}
    totals = {"rows_read": 0, "accepted": 0, "rejected": 0, "flagged": 0, "skipped": 0}
    for report in files:
        got = by_file.get(report.name, {})
        skipped = sum(n for (f, _), n in validated.skipped.items() if f == report.name)
        report.counts = {
            "rows_read": got.get("accept", 0) + got.get("flag", 0) + got.get("reject", 0),
            "accepted": got.get("accept", 0) + got.get("flag", 0),
            "rejected": got.get("reject", 0),
            "flagged": got.get("flag", 0),
            "skipped": skipped,
        }
        for key in totals:
            totals[key] += report.counts[key]
    return {**totals, **bulk_counts}


def _audit(
    *,
    actor: User,
    programme: Programme,
    files: list[FileReport],
    outcome: ImportOutcome,
    options: dict,
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


def _audit_failure(
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


def _report(
    target, *, actor: User, programme: Programme, outcome: ImportOutcome, validated, dry_run: bool
) -> None:
    rejected = outcome.rows.filter(pl.col("outcome") == "reject").select("src")
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


def _runs_prepare(
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


def _runs_fail(files: list[FileReport], *, message: str) -> None:
    for report in files:
        if report.run is None:
            continue
        report.run.status = ImportRun.Status.FAILED
        report.run.message = (report.error or message)[:2000]
        report.run.file_sha256 = report.sha256 or report.run.file_sha256
        report.run.sheets = report.sheets
        report.run.finished_at = timezone.now()
        report.run.save(update_fields=["status", "message", "file_sha256", "sheets", "finished_at"])


def _runs_finish(files: list[FileReport], outcome: ImportOutcome) -> None:
    report_name = ""
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


def _jsonable(items: list[dict]) -> list[dict]:
    def fix(value: Any) -> Any:
        return value.isoformat() if isinstance(value, dt.date) else value

    return [{k: fix(v) for k, v in item.items()} for item in items]


# --- web: upload, mapping, profiles, background job --------------------------------------------


def import_run_create(
    *,
    actor: User,
    programme: Programme,
    upload: UploadedFile,
    profile: MappingProfile | None = None,
) -> ImportRun:
    """Store an uploaded file and detect its sheets' mappings for the preview."""
    access.require(access.can_write(actor), "Peran Anda tidak boleh mengimpor data registri.")
    if not access.programmes_writable(actor).filter(pk=programme.pk).exists():
        raise PermissionDenied(f"Klaster/program {programme.name} di luar cakupan Anda.")
    run = ImportRun(
        operator=actor, programme=programme, file_name=upload.name[:255], mapping_profile=profile
    )
    run.file.save(upload.name, upload, save=False)
    path = Path(run.file.path)
    try:
        sheets = file_open(path, name=upload.name)
    except FileReadError as exc:
        run.file.delete(save=False)
        raise ValidationError({"file": str(exc)}) from exc
    run.file_sha256, run.file_size = file_sha256(path), path.stat().st_size
    mapping = {}
    for sheet in sheets:
        if _is_report_sheet(sheet):
            continue
        found = sheet_mapping(sheet, explicit=None, profile=profile)
        if found.found:
            mapping[sheet.name] = found.as_json()
    run.mapping = mapping
    run.save()
    _preview_refresh(run, actor=actor, sheets=sheets)
    return run


def _preview_refresh(run: ImportRun, *, actor: User, sheets: list[Sheet]) -> None:
    from imports.selectors import preview_build

    run.preview = preview_build(run, user=actor, sheets=sheets)
    run.save(update_fields=["preview"])


def import_run_mapping_update(
    *, actor: User, run: ImportRun, sheet: str, header_row: int, columns: dict[str, int | None]
) -> ImportRun:
    """The operator's corrections: header row and which column holds which field."""
    _require_owner(actor, run)
    if run.is_busy:
        raise ValidationError("Impor ini sedang diproses.")
    sheets = {s.name: s for s in file_open(Path(run.file.path), name=run.file_name)}
    if sheet not in sheets:
        raise ValidationError({"sheet": "Lembar tidak ditemukan."})
    if header_row < 1 or header_row > len(sheets[sheet].head):
        raise ValidationError({"header_row": "Baris judul kolom di luar jangkauan pratinjau."})
    detected = detect_mapping(sheets[sheet].head[header_row - 1 : header_row], sheets[sheet].merged)
    labels = {
        c: str(v).strip()
        for c, v in enumerate(sheets[sheet].head[header_row - 1])
        if str(v).strip()
    }
    chosen = {k: int(v) for k, v in columns.items() if v is not None and k in FIELD_BY_KEY}
    if len(set(chosen.values())) != len(chosen):
        raise ValidationError({"columns": "Satu kolom hanya boleh dipetakan ke satu isian."})
    mapping = SheetMapping(
        header_row=header_row,
        header_rows=1,
        columns=chosen,
        labels=labels or detected.labels,
        source="operator",
    )
    run.mapping = {**run.mapping, sheet: mapping.as_json()}
    run.status = ImportRun.Status.UPLOADED  # a new mapping needs a new dry run
    run.save(update_fields=["mapping", "status"])
    _preview_refresh(run, actor=actor, sheets=list(sheets.values()))
    return run


def mapping_profile_save(
    *, actor: User, name: str, run: ImportRun, sheet: str, description: str = ""
) -> MappingProfile:
    """Save a sheet's mapping as a named profile ({field: header text})."""
    _require_owner(actor, run)
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Beri nama profil."})
    mapping = SheetMapping.from_json(run.mapping.get(sheet) or {})
    if not mapping.found:
        raise ValidationError({"sheet": "Lembar ini belum punya pemetaan kolom."})
    profile, _ = MappingProfile.objects.update_or_create(
        name=name,
        defaults={
            "columns": {k: mapping.labels.get(c, "") for k, c in mapping.columns.items()},
            "header_row": None,
            "description": description[:200],
            "created_by": actor,
        },
    )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=profile,
        changes={"columns": profile.columns},
        note="Profil pemetaan kolom disimpan",
    )
    return profile


def _require_owner(actor: User, run: ImportRun) -> None:
    if run.operator_id != actor.pk and not access.can_browse_audit(actor):
        raise PermissionDenied("Impor ini milik operator lain.")
    access.require(access.can_write(actor), "Peran Anda tidak boleh mengimpor data registri.")


def import_run_start(
    *,
    actor: User,
    run: ImportRun,
    dry_run: bool,
    full_roster: bool = False,
    confirm_ending: bool = False,
) -> Job:
    """Start the dry run or the commit as a background job.

    A commit needs a finished dry run of the same file and options, so the operator has seen
    the report; with ``full_roster`` they must also confirm the list of who would end.
    """
    _require_owner(actor, run)
    with transaction.atomic():
        run = ImportRun.objects.select_for_update().get(pk=run.pk)
        if run.is_busy:
            raise ValidationError("Impor ini sedang diproses.")
        if run.status == ImportRun.Status.COMMITTED:
            raise ValidationError("Berkas ini sudah disimpan ke registri.")
        if not dry_run:
            if run.status != ImportRun.Status.CHECKED:
                raise ValidationError("Jalankan uji coba terlebih dahulu dan periksa laporannya.")
            if full_roster != bool(run.options.get("full_roster")):
                raise ValidationError(
                    "Pilihan 'daftar lengkap' berbeda dari uji coba; jalankan uji coba lagi."
                )
            if full_roster and run.ending and not confirm_ending:
                raise ValidationError(
                    "Centang konfirmasi bahwa penugasan dalam daftar 'akan diakhiri' memang "
                    "sudah berakhir."
                )
        run.status = ImportRun.Status.RUNNING
        run.options = {**run.options, "full_roster": full_roster}
        run.save(update_fields=["status", "options"])
        job = job_start(
            kind=JOB_KIND,
            title=f"{'Uji coba' if dry_run else 'Impor'} {run.file_name}",
            owner=actor,
            params={"run": str(run.uid), "dry_run": dry_run, "full_roster": full_roster},
        )
        run.job = job
        run.save(update_fields=["job"])
    return job


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


def legacy_import_job(job: Job, progress: ProgressFn) -> dict:
    """The background job: run one uploaded file's dry run or commit."""
    run = ImportRun.objects.select_related("programme", "mapping_profile").get(
        uid=job.params["run"]
    )
    actor = job.owner
    try:
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
    except Exception:
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
