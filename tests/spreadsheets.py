"""Assertions on the CSV and XLSX files the product writes: no cell can run as a formula."""

from __future__ import annotations

import csv
import io
import zipfile

from openpyxl import load_workbook

from satupintu.formulas import FORMULA_STARTS

# The names of issue 22, as an adversary would import them.
FORMULA_NAMES = ['=HYPERLINK("http://x";"klik")', "+SUM(1+1) Ani", "@SUM(A1)", "-1+2"]


def csv_cells(data: bytes | str) -> list[str]:
    text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def xlsx_cells(data: bytes) -> list[object]:
    book = load_workbook(io.BytesIO(data), read_only=True)
    return [c for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row]


def _number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def assert_csv_safe(data: bytes | str, *, names: list[str] = FORMULA_NAMES) -> None:
    """No cell begins with a formula character, and each name is there, quoted."""
    cells = csv_cells(data)
    # A number written as a number ("-3") is what it is; text that starts a formula is not.
    assert not [c for c in cells if c.startswith(FORMULA_STARTS) and not _number(c)]
    for name in names:
        assert "'" + name in cells


def assert_xlsx_safe(data: bytes, *, names: list[str] = FORMULA_NAMES) -> None:
    """No ``<f>`` element in any sheet's XML, no text cell beginning with a formula character,
    and each name is there, quoted, as a string."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for part in archive.namelist():
            if part.startswith("xl/worksheets/"):
                xml = archive.read(part)
                assert b"<f>" not in xml and b"<f " not in xml, part
    cells = xlsx_cells(data)
    assert not [c for c in cells if isinstance(c, str) and c.startswith(FORMULA_STARTS)]
    for name in names:
        assert "'" + name in cells
