"""One rule for region codes in cells, used by every upload (issue 15 item 3)."""

import io
from pathlib import Path

import pytest
from openpyxl import Workbook

from regions.codes import code_from_cell, looks_like_code


@pytest.mark.parametrize(
    ("value", "level", "code"),
    [
        ("32.04", None, "32.04"),
        (32.04, "regency", "32.04"),
        (3204, "regency", "32.04"),
        ("3204", None, "32.04"),
        ("32 04 05", "district", "32.04.05"),
        ("320405", None, "32.04.05"),
        ("3204052001", "village", "32.04.05.2001"),
        (11.0, "province", "11"),
        ("11", None, "11"),
    ],
)
def test_codes_as_offices_write_them(value, level, code):
    assert code_from_cell(value, level=level) == code_from_cell(code)
    assert code_from_cell(value, level=level).code == code


@pytest.mark.parametrize("value", [32.1, "32.1"])
def test_excels_lost_zero_is_put_back_with_a_note(value):
    reading = code_from_cell(value, level="regency")
    assert reading.code == "32.10"
    assert "dibaca sebagai 32.10" in reading.note


@pytest.mark.parametrize(
    ("value", "level", "why"),
    [
        (None, None, "kosong"),
        ("  ", None, "kosong"),
        ("Bandung", None, "bukan kode wilayah"),
        (3.2, None, "bukan kode wilayah"),
        (3204.5, None, "angka desimal"),
        ("12345", None, "jumlah digit"),
        ("32.04.5", None, "bukan kode wilayah"),
        ("32.04", "province", "bukan kode provinsi (contoh: 32)"),
        (True, None, "bukan kode wilayah"),
    ],
)
def test_what_is_no_code_is_refused_with_the_reason(value, level, why):
    reading = code_from_cell(value, level=level)
    assert reading.code is None and why in reading.why


def test_a_name_is_not_taken_for_a_code():
    assert looks_like_code("32.04") and looks_like_code(3204) and looks_like_code("32 04")
    assert not looks_like_code("Kabupaten Bandung") and not looks_like_code("")


@pytest.mark.django_db
def test_every_upload_reads_the_same_cell_the_same_way(tmp_path: Path, national_admin):
    """32.10 (Kabupaten Majalengka) typed into a number cell is 32.1 in the file: the need,
    caseload, incentive and registry readers all read it as 32.10."""
    from distribution.services.tables import read_codes
    from imports.regions import region_index
    from incentives import services
    from incentives.tables import read_table
    from satupintu import tables

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["kategori", "kode_kabkota"])
    sheet.append(["terpencil", 32.1])
    buffer = io.BytesIO()
    workbook.save(buffer)
    # incentives: the special-area list
    buffer.seek(0)
    area = services.area_list_load(
        actor=national_admin, name="Uji", year=2026, source="Uji", rows=read_table(buffer, "a.xlsx")
    )
    assert list(area.areas.values_list("regency_id", flat=True)) == ["32.10"]
    # distribution: need and population tables
    buffer.seek(0)
    table = tables.read_table(buffer, name="a.xlsx", required={"kode_kabkota"})
    problems = tables.Problems(table.file)
    level, codes = read_codes(table, problems, 1, None)
    assert (level, codes, bool(problems)) == ("kabupaten", {2: "32.10"}, False)
    # imports: the registry's regency column
    assert region_index().regency(str(table.rows[0][1][1])).code == "32.10"
