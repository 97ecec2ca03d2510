"""Issue 22: the import report writes formula names as text, even from rejected rows."""

import io

import pytest

from imports.services import ImportSource, legacy_import
from tests.imports.conftest import person_row, write_csv
from tests.spreadsheets import FORMULA_NAMES, assert_xlsx_safe, xlsx_cells


@pytest.mark.django_db
def test_the_report_quotes_formula_names_of_accepted_and_rejected_rows(
    tmp_path, operator, programmes
):
    # given: each name once on a good row (warned) and once on a row rejected for its NIK
    rows = [person_row(n, name=name) for n, name in enumerate(FORMULA_NAMES, start=1)] + [
        person_row(n, name=name, nik="123") for n, name in enumerate(FORMULA_NAMES, start=11)
    ]
    path = write_csv(tmp_path / "rumus.csv", rows)

    # when
    result = legacy_import(
        actor=operator,
        programme=programmes["lanjut-usia"],
        sources=[ImportSource(path=path)],
        report=True,
    )

    # then
    assert_xlsx_safe(result.report)
    from openpyxl import load_workbook

    fix_sheet = load_workbook(io.BytesIO(result.report))["Perbaiki & unggah ulang"]
    header, *rejected = fix_sheet.iter_rows(values_only=True)
    names = [row[header.index("Nama")] for row in rejected]
    assert names == ["'" + name for name in FORMULA_NAMES]  # the rejected rows themselves
    assert "rumus.csv" in xlsx_cells(result.report)
