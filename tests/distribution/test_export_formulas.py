"""Issue 22: distribution tables (CSV and XLSX) write formula-like text as text."""

import io

import pytest

from distribution.exports import table_write
from tests.spreadsheets import FORMULA_NAMES, assert_csv_safe, assert_xlsx_safe, csv_cells


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_table_write_quotes_text_and_keeps_numbers(fmt):
    # given: region names as an adversary might have loaded them, and a negative gap
    rows = [[name, -3, 1.5] for name in FORMULA_NAMES]
    handle = io.BytesIO()

    # when
    table_write(
        columns=["wilayah", "selisih", "rasio"], rows=rows, fmt=fmt, handle=handle, sheet="t"
    )

    # then
    if fmt == "csv":
        assert_csv_safe(handle.getvalue())
        assert "-3" in csv_cells(handle.getvalue())  # a number, left as it is
    else:
        assert_xlsx_safe(handle.getvalue())
        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(handle.getvalue())).active
        assert sheet["B2"].value == -3 and sheet["B2"].data_type == "n"
