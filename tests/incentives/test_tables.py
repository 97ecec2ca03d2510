"""Index and area tables loaded from CSV and XLSX, with row-numbered errors."""

import io

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook

from incentives import services
from incentives.tables import read_table, region_code
from regions.models import Province

pytestmark = pytest.mark.django_db


def _csv(rows):
    return io.BytesIO(("\n".join(rows) + "\n").encode("utf-8-sig"))


def test_index_from_csv_with_comma_decimals_and_a_regency_override(national_admin):
    provinces = list(Province.objects.values_list("code", flat=True))
    lines = ["kode_provinsi;kode_kabkota;indeks;dasar"]
    lines += [f"{code};;1,0000;uji" for code in provinces]
    lines.append("32;32.73;1,2345;kota")
    index = services.regional_index_load(
        actor=national_admin,
        name="Uji",
        year=2026,
        source="Uji",
        rows=read_table(_csv(lines), "indeks.csv"),
    )
    assert index.values.count() == len(provinces) + 1
    assert str(index.values.get(regency_id="32.73").value) == "1.2345"


def test_index_errors_name_the_row_and_missing_provinces(national_admin):
    rows = read_table(_csv(["provinsi,indeks", "11,1.0", "99,1.0", "12,-1"]), "x.csv")
    with pytest.raises(ValidationError) as error:
        services.regional_index_load(
            actor=national_admin, name="X", year=2026, source="X", rows=rows
        )
    assert error.value.messages == [
        "Baris 3: kode provinsi '99' tidak dikenal.",
        "Baris 4: indeks harus angka positif, mis. 1,0556.",
    ]
    rows = read_table(_csv(["provinsi,indeks", "11,1.0"]), "x.csv")
    with pytest.raises(ValidationError, match="Indeks provinsi belum ada"):
        services.regional_index_load(
            actor=national_admin, name="X", year=2026, source="X", rows=rows
        )


def test_area_list_from_xlsx_with_numeric_codes(national_admin):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Kategori", "Kode kabkota", "Kode kecamatan"])
    sheet.append(["terpencil", 93.01, None])  # Excel turned the code into a number
    sheet.append(["perbatasan", None, "32.04.05"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    area = services.area_list_load(
        actor=national_admin,
        name="Uji",
        year=2026,
        source="Uji",
        rows=read_table(buffer, "wilayah.xlsx"),
    )
    assert set(area.areas.values_list("regency_id", "district_id")) == {
        (None, "32.04.05"),
        ("93.01", None),
    }


def test_region_code():
    assert region_code("3204", "regency") == "32.04"
    assert region_code("32.1", "regency") == "32.10"
    assert region_code("11", "province") == "11"
    assert region_code("Bandung", "regency") == "Bandung"  # named as unknown by the caller


def test_index_errors_give_the_row_as_the_spreadsheet_shows_it(national_admin):
    # given a blank line and a broken code below the header
    rows = read_table(_csv(["provinsi,indeks", "11,1.0", "", "1x,1.0"]), "x.csv")
    # then the error names spreadsheet row 4, not the 3rd data row
    with pytest.raises(ValidationError) as error:
        services.regional_index_load(
            actor=national_admin, name="X", year=2026, source="X", rows=rows
        )
    assert error.value.messages == ["Baris 4: kode provinsi '1x' tidak dikenal."]
