"""Reading the uploaded index and area tables (CSV or XLSX) into plain rows.

Headers are matched loosely (case, spaces, Indonesian or English names) because offices type
them by hand. Codes may arrive as numbers from Excel ("32.04" as 32.04 → "32.04", "11" as 11).
"""

import csv
import io
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO

from satupintu.workbooks import upload_check

ALIASES = {
    "kode_provinsi": "province",
    "provinsi": "province",
    "province": "province",
    "province_code": "province",
    "kode_kabkota": "regency",
    "kode_kabupaten_kota": "regency",
    "kabkota": "regency",
    "regency": "regency",
    "regency_code": "regency",
    "kode_kecamatan": "district",
    "kecamatan": "district",
    "district": "district",
    "district_code": "district",
    "indeks": "value",
    "index": "value",
    "nilai": "value",
    "value": "value",
    "dasar": "basis",
    "basis": "basis",
    "keterangan": "basis",
    "kategori": "category",
    "category": "category",
}


def _key(header: object) -> str:
    text = str(header or "").strip().lower().replace("/", "_").replace(" ", "_").replace("-", "_")
    return ALIASES.get(text, text)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_table(handle: IO[bytes], filename: str) -> list[dict[str, str]]:
    """Rows as dicts keyed by canonical names (province, regency, district, value, ...)."""
    suffix = Path(filename).suffix.lower()
    # Size, zip bomb, entity bomb, password, macros: refused before openpyxl unpacks anything.
    upload_check(handle, name=Path(filename).name)
    if suffix in {".xlsx", ".xlsm"}:
        from openpyxl import load_workbook

        workbook = load_workbook(handle, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        raw: Iterable[tuple] = sheet.iter_rows(values_only=True)
    elif suffix == ".csv":
        text = handle.read().decode("utf-8-sig")
        # The header decides the delimiter: offices save with ";" (Excel, Indonesian locale) or ",".
        header_line = text.split("\n", 1)[0]
        delimiter = max(",;\t", key=header_line.count)
        raw = csv.reader(io.StringIO(text), delimiter=delimiter)
    else:
        raise ValueError("Format tabel harus CSV atau XLSX.")
    rows = iter(raw)
    header = next(rows, None)
    if not header:
        return []
    keys = [_key(h) for h in header]
    out = []
    for values in rows:
        cells = [_cell(v) for v in values]
        if not any(cells):
            continue
        out.append(dict(zip(keys, cells, strict=False)))
    return out


def parse_decimal(text: str) -> Decimal | None:
    """``1,2345`` or ``1.2345`` -> Decimal; None when it is not a number."""
    try:
        return Decimal(text.replace(",", ".").strip())
    except (InvalidOperation, AttributeError):
        return None


def normalise_code(text: str, parts: int) -> str:
    """``3204`` -> ``32.04``; digits grouped by two as Kemendagri writes them.

    A regency code that Excel stored as a number lost its trailing zero (32.10 → 32.1), so a
    one-digit last group is read as that: ``32.1`` -> ``32.10``.
    """
    text = text.strip()
    if not text:
        return ""
    if "." in text:
        pieces = text.split(".")
        if all(p.isdigit() for p in pieces):
            if len(pieces[-1]) == 1:
                pieces[-1] += "0"
            return ".".join(p.zfill(2) for p in pieces)
        return text
    if text.isdigit() and len(text) == parts * 2:
        return ".".join(text[i : i + 2] for i in range(0, len(text), 2))
    return text
