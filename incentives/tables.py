"""Reading the uploaded index and area tables (CSV or XLSX) into plain rows.

Headers are matched loosely (``satupintu.tables.header_key``; Indonesian or English names)
because offices type them by hand. Codes follow ``regions.codes``: they may arrive as numbers
from Excel ("32.04" as 32.04, "11" as 11, "32.10" as 32.1).
"""

from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO

from regions.codes import code_from_cell
from satupintu import tables
from satupintu.tables import Record

ALIASES = {
    "kode_provinsi": "province",
    "provinsi": "province",
    "province": "province",
    "province_code": "province",
    "kode_kabkota": "regency",
    "kode_kabupaten_kota": "regency",
    "kode_kab_kota": "regency",
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


def read_table(handle: IO[bytes], filename: str) -> list[Record]:
    """Rows keyed by canonical names (province, regency, district, value, ...), numbered as the
    spreadsheet shows them."""
    return tables.read_table(handle, name=Path(filename).name).records(ALIASES)


def parse_decimal(text: str) -> Decimal | None:
    """``1,2345`` or ``1.2345`` -> Decimal; None when it is not a number."""
    try:
        return Decimal(text.replace(",", ".").strip())
    except (InvalidOperation, AttributeError):
        return None


def region_code(text: str, level: str) -> str:
    """The dotted code of a cell (``3204`` -> ``32.04``, Excel's ``32.1`` -> ``32.10``), or the
    text as written when it is no code of that level (the caller names it as unknown)."""
    return code_from_cell(text, level=level).code or (text or "").strip()
