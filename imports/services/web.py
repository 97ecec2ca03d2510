"""The web flow: upload and preview, mapping corrections, mapping profiles, starting the job."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from accounts import access
from accounts.models import AuditEntry, User
from accounts.services import audit_record
from imports.columns import FIELD_BY_KEY, SheetMapping, detect_mapping
from imports.models import ImportRun, MappingProfile
from imports.reading import FileReadError, Sheet, file_open
from imports.selectors import preview_build
from imports.services.job import JOB_KIND
from imports.services.sources import file_sha256, is_report_sheet, sheet_mapping
from jobs.models import Job
from jobs.services import job_start
from registry import access as registry_access
from registry.models import Programme


def import_run_create(
    *,
    actor: User,
    programme: Programme,
    upload: UploadedFile[bytes],
    profile: MappingProfile | None = None,
) -> ImportRun:
    """Store an uploaded file and detect its sheets' mappings for the preview."""
    access.require(access.can_write(actor), "Peran Anda tidak boleh mengimpor data registri.")
    if not registry_access.programmes_writable(actor).filter(pk=programme.pk).exists():
        raise PermissionDenied(f"Klaster/program {programme.name} di luar cakupan Anda.")
    assert upload.name is not None  # FileField.clean refuses a file without a name
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
        if is_report_sheet(sheet):
            continue
        found = sheet_mapping(sheet, explicit=None, profile=profile)
        if found.found:
            mapping[sheet.name] = found.as_json()
    run.mapping = mapping
    run.save()
    _preview_refresh(run, actor=actor, sheets=sheets)
    return run


def _preview_refresh(run: ImportRun, *, actor: User, sheets: list[Sheet]) -> None:
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
    # The month columns of a wide layout stay what they were, unless the operator has mapped
    # one of them to a field (the form has no control for them).
    before = SheetMapping.from_json(run.mapping.get(sheet) or {})
    if before.months and not {m[0] for m in before.months} & set(chosen.values()):
        mapping.months, mapping.ignored = before.months, before.ignored
        mapping.header_rows = before.header_rows if before.header_row == header_row else 1
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
