"""Files to import: the source, its hash, and reading every sheet with its column mapping."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from imports.columns import (
    FIELD_BY_KEY,
    SheetMapping,
    column_letter,
    detect_mapping,
    mapping_apply_profile,
)
from imports.layout import not_data_sheet, sheet_read
from imports.models import ImportRun, MappingProfile
from imports.reading import FileReadError, Sheet, file_sheets, release_freed_memory
from imports.report import REPORT_MARKER
from imports.services.outcome import FileReport
from imports.validation import SheetInput

ProgressFn = Callable[[int, int, str], None]


@dataclass
class ImportSource:
    """A file to import: where it is, what to call it, and an operator's corrected mapping."""

    path: Path
    name: str = ""
    mapping: dict[str, dict[str, Any]] | None = None  # {sheet name: SheetMapping.as_json()}
    run: ImportRun | None = None

    def __post_init__(self) -> None:
        self.path = Path(self.path)
        self.name = self.name or self.path.name


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def is_report_sheet(sheet: Sheet) -> bool:
    first = sheet.head[0][0] if sheet.head and sheet.head[0] else ""
    return str(first).strip() == REPORT_MARKER


def sheet_mapping(
    sheet: Sheet, *, explicit: dict[str, Any] | None, profile: MappingProfile | None
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
    months = ""
    if mapping.months:
        months = (
            " Kolom bulanan: "
            + ", ".join(f"{column_letter(int(m[0]))} ({m[3]})" for m in mapping.months)
            + "."
        )
    ignored = "".join(
        f" Diabaikan: {column_letter(int(i[0]))} ('{i[1]}', {i[2]})." for i in mapping.ignored
    )
    return f"Baris judul kolom: {mapping.header_row}. Kolom: {found}.{months}{ignored}"


def source_read(
    sources: list[ImportSource],
    profile: MappingProfile | None,
    # Called with fractions (a sheet's share of its file): legacy's _staged scales them.
    progress: Callable[[float, int, str], None],
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
            sheet: Sheet | None
            for sheet in file_sheets(source.path, name=source.name):
                if is_report_sheet(sheet):
                    report.sheets.append({"name": sheet.name, "note": "Lembar laporan; dilewati."})
                    continue
                if why := not_data_sheet(sheet):
                    report.sheets.append(
                        {
                            "name": sheet.name,
                            "note": why,
                            "layout": [{"kind": "lembar", "text": why}],
                        }
                    )
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
                frame, layout = sheet_read(
                    sheet,
                    mapping,
                    # mypy cannot infer a lambda with a default argument (the loop's index).
                    progress=lambda done, total, message, index=index: progress(  # type: ignore[misc]
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
                    {
                        "name": sheet.name,
                        "note": _sheet_note(mapping),
                        "mapping": mapping.as_json(),
                        "layout": layout,
                    }
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
