"""CSV and XLSX of every distribution table. Aggregates only; each export is audited."""

import csv
import io
from typing import BinaryIO

from accounts.models import AuditEntry, User
from accounts.services import audit_record
from distribution import redeployment, selectors
from satupintu.formulas import SafeSheet, row_safe, rows_safe

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def table_write(
    *, columns: list[str], rows: list[list], fmt: str, handle: BinaryIO, sheet: str
) -> int:
    """Write a header and rows to ``handle`` (binary). Returns the number of data rows."""
    if fmt == "csv":
        # UTF-8 with BOM: Excel in Indonesian locales opens it with the right characters.
        text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
        writer = csv.writer(text)
        writer.writerow(row_safe(columns))
        writer.writerows(rows_safe(rows))
        text.flush()
        text.detach()
    elif fmt == "xlsx":
        # Inside: openpyxl is heavy and only the spreadsheet path needs it.
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        worksheet = SafeSheet(workbook.create_sheet(sheet[:31]))
        worksheet.append(columns)
        for row in rows:
            worksheet.append(row)
        workbook.save(handle)
    else:
        raise ValueError("Format harus csv atau xlsx.")
    return len(rows)


def _audit(user: User, what: str, fmt: str, count: int, params: dict) -> None:
    audit_record(
        actor=user,
        action=AuditEntry.Action.EXPORT,
        object_type="distribution.export",
        object_repr=f"Ekspor {what} {fmt.upper()} ({count} baris)",
        changes={"table": what, "format": fmt, "rows": count, **params},
    )


def report_export(*, user: User, level: str, cluster: str, fmt: str, handle: BinaryIO) -> int:
    rows = selectors.report_rows(user=user, level=level, cluster=cluster)
    count = table_write(
        columns=selectors.REPORT_COLUMNS, rows=rows, fmt=fmt, handle=handle, sheet="sebaran"
    )
    _audit(user, "laporan sebaran", fmt, count, {"level": level, "cluster": cluster})
    return count


TABLES = ["wilayah", "laporan", "beban", "redistribusi", "rekrutmen", "tren"]


def table_for(*, user: User, table: str, params: dict) -> tuple[list[str], list[list], str]:
    """(columns, rows, file stem) of one named table, computed through the selectors."""
    code = params.get("region", "")
    cluster = params.get("cluster", "")
    if table == "wilayah":
        data = selectors.dashboard(user=user, code=code, cluster=cluster)
        rows = selectors.report_lines(data["rows"], data["shown"], data["standards"])
        return selectors.REPORT_COLUMNS, rows, f"sebaran-{data['region'].export_code}"
    if table == "laporan":
        level = params.get("level", selectors.NATION)
        rows = selectors.report_rows(user=user, level=level, cluster=cluster)
        return selectors.REPORT_COLUMNS, rows, f"laporan-sebaran-{level}"
    if table == "beban":
        data = selectors.workload(user=user, code=code, cluster=cluster)
        rows = selectors.workload_export_rows(data)
        return selectors.WORKLOAD_COLUMNS, rows, f"beban-kerja-{data['region'].export_code}"
    if table in ("redistribusi", "rekrutmen"):
        data = redeployment.redeployment_plan(user=user, code=code, cluster=cluster)
        if table == "redistribusi":
            rows = redeployment.plan_export_rows(data)
            return redeployment.REDEPLOYMENT_COLUMNS, rows, f"redistribusi-{code}-{cluster}"
        rows = redeployment.recruitment_export_rows(data)
        return redeployment.RECRUITMENT_COLUMNS, rows, f"rekrutmen-{code}-{cluster}"
    if table == "tren":
        data = selectors.dashboard(user=user, code=code, cluster=cluster)
        rows = selectors.trend_lines(data["region"], data["trend"])
        return selectors.TREND_COLUMNS, rows, f"tren-{data['region'].export_code}"
    raise ValueError("Tabel tidak dikenal.")


def table_export(
    *, user: User, table: str, params: dict, fmt: str, handle: BinaryIO
) -> tuple[int, str]:
    columns, rows, stem = table_for(user=user, table=table, params=params)
    count = table_write(columns=columns, rows=rows, fmt=fmt, handle=handle, sheet=table)
    _audit(user, table, fmt, count, {k: v for k, v in params.items() if v})
    return count, stem
