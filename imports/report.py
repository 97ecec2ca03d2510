"""The import report: every rejected, flagged or corrected row, as XLSX and for the screen.

The first sheet holds the rejected rows themselves, with the reason beside each, under
headers the importer recognises: an operator corrects the cells and uploads that sheet again.
The other sheets carry a marker in A1 so that uploading the whole report never imports them.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import polars as pl
from django.utils.translation import gettext, gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill

from imports.columns import FIELD_BY_KEY, FIELDS
from imports.layout import SKIP_LABELS
from imports.regions import HOW_LABELS
from satupintu.formulas import SafeSheet

REPORT_MARKER = "LAPORAN IMPOR SATU PINTU"
CONCLUSIONS_SHEET = "Yang disimpulkan"
SEVERITY_LABELS = {"reject": "Ditolak", "flag": "Ditandai", "warning": "Catatan"}
ISSUE_COLUMNS = [
    ("file", "Berkas"),
    ("sheet", "Lembar"),
    ("row", "Baris"),
    ("column", "Kolom"),
    ("value", "Nilai"),
    ("severity_label", "Hasil"),
    ("code", "Kode"),
    ("message", "Alasan"),
    ("fix", "Cara memperbaiki"),
]
COUNT_LABELS = [
    ("rows_read", "Baris data dibaca"),
    ("accepted", "Diterima"),
    ("rejected", "Ditolak"),
    ("flagged", "Ditandai untuk verifikasi"),
    ("skipped", "Dilewati (kosong/judul/jumlah)"),
    ("new_people", "Orang baru"),
    ("new_engagements", "Penugasan baru"),
    ("updated_engagements", "Penugasan diperbarui"),
    ("updated_people", "Data orang dilengkapi/diperbarui"),
    ("unchanged", "Penugasan tidak berubah"),
    ("duplicates", "Baris ganda (tidak jadi penugasan kedua)"),
    ("ended", "Penugasan diakhiri (daftar lengkap)"),
    ("flags_raised", "Tanda verifikasi baru"),
]


def _header(ws: SafeSheet, labels: Iterable[str]) -> None:
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    cells = []
    for label in labels:
        cell = WriteOnlyCell(ws, value=label)
        cell.font, cell.fill = bold, fill
        cells.append(cell)
    ws.append(cells)


def _text(value: Any) -> Any:
    # NIKs and codes stay text: a number cell would lose a NIK's last digit again.
    return "" if value is None else str(value) if not isinstance(value, int | float) else value


def report_write(
    target: Path | io.BytesIO,
    *,
    summary: dict[str, Any],
    files: list[dict[str, Any]],
    issues: pl.DataFrame,
    rejected_values: pl.DataFrame,
    ending: list[dict[str, Any]],
) -> None:
    """Write the XLSX report.

    ``issues``: file, sheet, row, column, value, severity, code, message, fix.
    ``rejected_values``: file, sheet, row and the raw text of every field, for rejected rows.
    """
    wb = Workbook(write_only=True)
    fix_sheet = SafeSheet(wb.create_sheet("Perbaiki & unggah ulang"))
    fields = [f.key for f in FIELDS if f.key in rejected_values.columns]
    fields = [k for k in fields if (rejected_values[k].fill_null("") != "").any()] or [
        "nik",
        "name",
    ]
    _header(
        fix_sheet,
        [FIELD_BY_KEY[k].label for k in fields]
        + ["Berkas asal", "Lembar asal", "Baris asal", "Alasan penolakan", "Cara memperbaiki"],
    )
    reasons = (
        issues.filter(pl.col("severity") == "reject")
        .group_by(["file", "sheet", "row"], maintain_order=True)
        .agg(
            pl.col("message").str.join(" "), pl.col("fix").unique(maintain_order=True).str.join(" ")
        )
    )
    joined = rejected_values.join(reasons, on=["file", "sheet", "row"], how="left").sort(
        "file", "sheet", "row"
    )
    for row in joined.iter_rows(named=True):
        fix_sheet.append(
            [_text(row[k]) for k in fields]
            + [row["file"], row["sheet"], row["row"], row["message"] or "", row["fix"] or ""]
        )

    sheet = SafeSheet(wb.create_sheet("Daftar masalah"))
    sheet.append([REPORT_MARKER])
    _header(sheet, [label for _, label in ISSUE_COLUMNS])
    ordered = issues.with_columns(
        pl.col("severity").replace_strict(SEVERITY_LABELS, default="").alias("severity_label")
    ).sort("file", "sheet", "row")
    for row in ordered.iter_rows(named=True):
        sheet.append([_text(row[key]) for key, _ in ISSUE_COLUMNS])

    sheet = SafeSheet(wb.create_sheet("Ringkasan"))
    sheet.append([REPORT_MARKER])
    for key, value in summary.items():
        if key != "counts":
            sheet.append([key, _text(value)])
    sheet.append([])
    _header(sheet, ["Jumlah", "Semua berkas", *[f["name"] for f in files]])
    totals = summary.get("counts", {})
    for key, label in COUNT_LABELS:
        sheet.append([label, totals.get(key, ""), *[f["counts"].get(key, "") for f in files]])
    for f in files:
        for s in f.get("sheets", []):
            sheet.append([f"{f['name']} [{s['name']}]", s.get("note", "")])
            for reason, n in (s.get("skipped") or {}).items():
                label = SKIP_LABELS.get(reason, reason)
                sheet.append(["", gettext("Dilewati: {n} {what}").format(n=n, what=label)])

    _conclusions(wb, files)

    if ending:
        sheet = SafeSheet(wb.create_sheet("Akan diakhiri"))
        sheet.append([REPORT_MARKER])
        _header(sheet, ["Nomor induk", "Nama", "Kab/kota", "Jabatan", "Mulai"])
        for item in ending:
            sheet.append(
                [
                    item.get("nik", ""),
                    item.get("full_name", ""),
                    f"{item.get('regency_name', '')} ({item.get('regency_id', '')})",
                    item.get("legacy_title", ""),
                    _text(item.get("start_date")),
                ]
            )
    wb.save(target)


CONCLUSION_KINDS = {
    "sel_gabungan": gettext_lazy("Sel gabungan"),
    "judul_blok": gettext_lazy("Judul blok"),
    "judul_provinsi": gettext_lazy("Judul provinsi"),
    "isi_ke_bawah": gettext_lazy("Ditulis sekali per kelompok"),
    "bulan": gettext_lazy("Kolom bulanan"),
    "lembar": gettext_lazy("Lembar dilewati"),
}


def _conclusions(wb: Workbook, files: list[dict[str, Any]]) -> None:
    """What the import concluded rather than read as written, for the operator to check: the
    layout (merged cells, block and province headers, values written once, month columns,
    sheets left out) and every regency read through an abbreviation, an old name, a typo or a
    province from before a split, with the rows each covers."""
    sheet = SafeSheet(wb.create_sheet(CONCLUSIONS_SHEET))
    sheet.append([REPORT_MARKER])
    _header(
        sheet, ["Berkas", "Lembar", "Jenis", "Tertulis", "Dibaca sebagai", "Baris", "Penjelasan"]
    )
    for f in files:
        for s in f.get("sheets", []):
            for note in s.get("layout") or []:
                sheet.append(
                    [
                        f["name"],
                        s["name"],
                        str(CONCLUSION_KINDS.get(note.get("kind"), note.get("kind", ""))),
                        "",
                        "",
                        note.get("rows", ""),
                        note.get("text", ""),
                    ]
                )
            for r in s.get("resolutions") or []:
                sheet.append(
                    [
                        f["name"],
                        s["name"],
                        ", ".join(str(HOW_LABELS.get(h, h)) for h in r["how"].split(",")),
                        r["written"] + (f" / {r['province']}" if r.get("province") else ""),
                        r.get("label") or r["code"],
                        r["rows"],
                        r["note"],
                    ]
                )
