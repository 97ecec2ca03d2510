"""Files for the budget office and the paymasters: scenario workbooks and the monthly roster.

The roster carries personal data (UU PDP 27/2022): it is built in the user's scope, bank account
and NPWP are masked except for payment roles, and every export is audited with its row count.
"""

import csv
import datetime as dt
import io
from pathlib import Path
from typing import IO, Any

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext

from accounts import access
from accounts.models import AuditEntry, User
from accounts.services import audit_record
from incentives import access as incentive_access
from incentives import selectors
from incentives.facts import FactsProvider
from satupintu.formulas import SafeSheet, rows_safe

MONTHS = [
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
]  # fmt: skip

SUMMARY_COLUMNS = [
    "skenario",
    "kelompok",
    "jumlah_penugasan",
    "tidak_dapat_dihitung",
    "biaya_saat_ini_bulanan",
    "biaya_saat_ini_tahunan",
    "biaya_standar_bulanan",
    "biaya_standar_tahunan",
    "selisih_bulanan",
    "selisih_tahunan",
    "naik",
    "turun",
    "tetap",
]


def month_label(month: dt.date) -> str:
    return f"{MONTHS[month.month - 1]} {month.year}"


def _totals_row(name: str, group: str, t: selectors.Totals) -> list[Any]:
    return [
        name,
        group,
        t.headcount,
        t.not_computable,
        t.current,
        t.current_yearly,
        t.standard,
        t.standard_yearly,
        t.difference,
        t.difference_yearly,
        t.winners,
        t.losers,
        t.unchanged,
    ]


def summary_rows(comparison: selectors.Comparison) -> list[list[Any]]:
    """One line per scenario for the whole, then one per scenario and group."""
    rows = [_totals_row(c.name, "JUMLAH", c.summary.total) for c in comparison.columns]
    for column in comparison.columns:
        for _, label, totals in column.summary.groups:
            rows.append(_totals_row(column.name, label, totals))
    return rows


def _audit_scenario(user: User, comparison: selectors.Comparison, fmt: str, rows: int) -> None:
    audit_record(
        actor=user,
        action=AuditEntry.Action.EXPORT,
        object_type="incentives.scenario_export",
        object_repr=f"Ekspor perbandingan skenario {fmt.upper()} ({rows} baris)",
        changes={
            "scenarios": [c.name for c in comparison.columns],
            "group": comparison.group,
            "on": comparison.on.isoformat(),
            "format": fmt,
            "rows": rows,
        },
    )


def scenario_summary_write(
    *, user: User, comparison: selectors.Comparison, output: Path | IO[bytes], fmt: str
) -> int:
    """The summary as CSV or as an XLSX workbook (summary, groups, transition). Returns rows."""
    rows = summary_rows(comparison)
    if fmt == "csv":
        text = [SUMMARY_COLUMNS, *rows_safe(rows)]
        if isinstance(output, Path):
            with open(output, "w", encoding="utf-8-sig", newline="") as handle:
                csv.writer(handle).writerows(text)
        else:
            buffer = io.StringIO()
            csv.writer(buffer).writerows(text)
            output.write(buffer.getvalue().encode("utf-8-sig"))
    elif fmt == "xlsx":
        _scenario_xlsx(comparison, rows, output)
    else:
        raise ValueError("Format harus csv atau xlsx.")
    _audit_scenario(user, comparison, fmt, len(rows))
    return len(rows)


def _scenario_xlsx(
    comparison: selectors.Comparison, rows: list[list[Any]], output: Path | IO[bytes]
) -> None:
    # Inside: openpyxl is heavy and only the spreadsheet path needs it.
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    # The sheet names and the column names are the file's layout and stay as they are; the
    # notes on the first sheet are for the reader, in the language of the page it came from.
    info = SafeSheet(workbook.create_sheet("Keterangan"))
    info.append([gettext("Perbandingan skenario insentif standar")])
    info.append([gettext("Tanggal perhitungan"), comparison.on.isoformat()])
    info.append([gettext("Dibuat"), timezone.localtime().strftime("%Y-%m-%d %H:%M")])
    info.append([gettext("Skenario"), ", ".join(c.name for c in comparison.columns)])
    info.append(
        [
            gettext("Catatan"),
            gettext(
                "Rupiah bulat; tahunan = bulanan × 12. Penugasan yang tidak dapat dihitung dengan "
                "standar dianggap tetap menerima insentif saat ini. Data contoh ditandai CONTOH."
            ),
        ]
    )
    sheet = SafeSheet(workbook.create_sheet("Ringkasan"))
    sheet.append(SUMMARY_COLUMNS)
    for row in rows:
        sheet.append(row)
    transition = [c for c in comparison.columns if c.years]
    if transition:
        sheet = SafeSheet(workbook.create_sheet("Transisi"))
        sheet.append(
            ["skenario", "batas_turun_per_tahun_persen", "tahun", "biaya_bulanan", "biaya_tahunan"]
        )
        for column in transition:
            for year, cost in zip(column.years, column.yearly_monthly_cost, strict=True):
                sheet.append([column.name, str(column.cap_percent), year, cost, cost * 12])
        paths = [c for c in transition if c.paths]
        if paths:
            sheet = SafeSheet(workbook.create_sheet("Jalur per penugasan"))
            sheet.append(["skenario", "id_penugasan", "tahun_ke", "jumlah_bulanan"])
            for column in paths:
                for engagement_id, path in column.paths.items():
                    for year, amount in zip(column.years, path, strict=False):
                        sheet.append([column.name, engagement_id, year, amount])
    workbook.save(output)


# --- Roster ------------------------------------------------------------------------------------

ROSTER_COLUMNS = [
    "no",
    "nama",
    "nik",
    "klaster_program",
    "kabupaten_kota",
    "jenjang",
    "status_kepegawaian",
    "dasar_pembayaran",
    "jumlah_bulan_ini",
    "insentif_saat_ini",
    "insentif_standar",
    "bank",
    "nomor_rekening",
    "npwp",
    "catatan",
]


def roster_export(
    *,
    user: User,
    region: str,
    month: dt.date,
    fmt: str,
    output: Path | IO[bytes],
    facts_provider: FactsProvider | None = None,
) -> selectors.Roster:
    """Write the roster as XLSX or PDF and audit it (row count, held out, masked or not)."""
    access.require(
        incentive_access.can_view_roster(user), "Peran Anda tidak boleh mengunduh daftar nominatif."
    )
    if fmt not in {"xlsx", "pdf"}:
        raise ValueError("Format harus xlsx atau pdf.")
    # The payment list is an Indonesian administrative document whatever the page's language:
    # its lines (basis, notes, reasons held out) are built and written in Indonesian.
    with translation.override("id"):
        roster = selectors.roster_build(
            user=user, region=region, month=month, facts_provider=facts_provider
        )
        if fmt == "xlsx":
            _roster_xlsx(roster, output)
        else:
            _roster_pdf(roster, output, user=user)
    roster_audit(user=user, roster=roster, fmt=fmt)
    return roster


def roster_read(
    *,
    user: User,
    region: str,
    month: dt.date,
    fmt: str,
    facts_provider: FactsProvider | None = None,
) -> selectors.Roster:
    """The roster for a page or the API: a bulk read of personal data, so audited like a file."""
    access.require(
        incentive_access.can_view_roster(user), "Peran Anda tidak boleh membuka daftar nominatif."
    )
    roster = selectors.roster_build(
        user=user, region=region, month=month, facts_provider=facts_provider
    )
    roster_audit(user=user, roster=roster, fmt=fmt)
    return roster


def roster_audit(*, user: User, roster: selectors.Roster, fmt: str) -> None:
    """A bulk read of payment data: who, which region and month, how many rows, masked or not."""
    audit_record(
        actor=user,
        action=AuditEntry.Action.EXPORT,
        object_type="incentives.roster",
        object_repr=(
            f"Daftar nominatif {roster.region or 'semua'} {month_label(roster.month)} "
            f"{fmt.upper()} ({len(roster.lines)} baris)"
        ),
        changes={
            "region": roster.region,
            "month": roster.month.isoformat(),
            "format": fmt,
            "rows": len(roster.lines),
            "held_out": len(roster.held_out),
            "total": roster.total,
            "payment_details_masked": roster.masked,
            "nik_masked": not access.sees_nik(user),
        },
    )


def _roster_xlsx(roster: selectors.Roster, output: Path | IO[bytes]) -> None:
    # Inside: openpyxl is heavy and only the spreadsheet path needs it.
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = SafeSheet(workbook.create_sheet("Daftar nominatif"))
    sheet.append([f"Daftar nominatif insentif pendamping — {roster.region_label}"])
    sheet.append([f"Periode {month_label(roster.month)}"])
    if roster.masked:
        sheet.append(["Nomor rekening dan NPWP disamarkan untuk peran Anda (UU PDP 27/2022)."])
    sheet.append(ROSTER_COLUMNS)
    for number, line in enumerate(roster.lines, start=1):
        sheet.append(
            [
                number,
                line.person_name,
                line.nik,
                line.programme,
                f"{line.regency_code} {line.regency_name}",
                line.level,
                line.employment_status,
                line.basis,
                line.amount,
                line.current if line.current is not None else "",
                line.standard if line.standard is not None else "",
                line.bank_name,
                line.bank_account,
                line.npwp,
                line.note,
            ]
        )
    sheet.append(["", "JUMLAH", "", "", "", "", "", "", roster.total])
    held = SafeSheet(workbook.create_sheet("Ditahan"))
    held.append(["nama", "nik", "klaster_program", "kabupaten_kota", "alasan"])
    for item in roster.held_out:
        held.append(
            [item.person_name, item.nik, item.programme, item.regency_code, "; ".join(item.reasons)]
        )
    workbook.save(output)


def roster_html(roster: selectors.Roster, *, user: User) -> str:
    """The page the PDF is printed from: the office's heading, the lines, the signatures."""
    return render_to_string(
        "incentives/roster_pdf.html",
        {
            "roster": roster,
            "month_label": month_label(roster.month),
            "printed_at": timezone.localtime(),
            "printed_by": user,
        },
    )


def _roster_pdf(roster: selectors.Roster, output: Path | IO[bytes], *, user: User) -> None:
    # Inside: WeasyPrint loads Pango and its fonts (slow, heavy); only the PDF path needs it.
    from weasyprint import HTML

    HTML(string=roster_html(roster, user=user)).write_pdf(output)
