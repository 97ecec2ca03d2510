"""Need and population imports: layouts, errors in Indonesian with row and column, versions."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import Workbook

from distribution import services
from distribution.models import NeedDataset, NeedFigure, RegionAggregate
from tests.distribution.conftest import write_csv
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _import(admin, path, name="Uji"):
    return services.need_dataset_import(
        actor=admin, path=path, name=name, source="DTSEN (uji)", period="2025"
    )


def test_long_csv_at_village_level(tmp_path, admin):
    path = write_csv(
        tmp_path / "a.csv",
        ["kode_wilayah", "nama", "klaster", "jumlah"],
        [["32.04.05.2001", "Cileunyi Kulon", "lanjut-usia", 12], ["3204052002", "x", "pkh", 40]],
    )
    dataset = _import(admin, path)
    assert dataset.level == "desa"
    assert dataset.row_count == 2
    assert sorted(dataset.current_programmes) == ["lanjut-usia", "pkh"]
    figure = NeedFigure.objects.get(village_code="32.04.05.2002")
    assert (figure.province_code, figure.regency_code, figure.district_code) == (
        "32",
        "32.04",
        "32.04.05",
    )
    assert (
        RegionAggregate.objects.get(level="kecamatan", code="32.04.05", programme__slug="pkh").need
        == 40
    )


def test_wide_xlsx_at_district_level(tmp_path, admin):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Kebutuhan per kecamatan 2025"])
    sheet.append(["kode_wilayah", "pkh", "tksk"])
    sheet.append(["32.04.05", 1200, 1])
    sheet.append(["32.04.06", 800, None])
    path = tmp_path / "b.xlsx"
    workbook.save(path)
    dataset = _import(admin, path)
    assert dataset.level == "kecamatan"
    assert NeedFigure.objects.filter(dataset=dataset).count() == 3


def test_errors_name_file_row_column_and_fix_and_save_nothing(tmp_path, admin):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["kode_wilayah", "klaster", "jumlah"])
    sheet.append(["32.04.05", "pkh", 10])  # row 2: fine
    sheet.append([3204.5, "pkh", 5])  # row 3: a decimal number is no code
    sheet.append(["32.99.01", "pkh", 5])  # row 4: unknown district
    sheet.append(["32.04.05.2001", "pkh", 5])  # row 5: village in a district file
    sheet.append(["32.04.06", "lansia", 5])  # row 6: unknown cluster slug
    sheet.append(["32.04.06", "pkh", "1.250"])  # row 7: thousands separator
    sheet.append(["32.04.05", "pkh", 3])  # row 8: duplicate of row 2
    path = tmp_path / "salah.xlsx"
    workbook.save(path)
    with pytest.raises(ValidationError) as error:
        _import(admin, path)
    messages = error.value.messages
    assert messages[0].startswith("Impor dibatalkan; tidak ada data yang disimpan.")
    text = "\n".join(messages)
    assert "salah.xlsx, baris 3, kolom 'kode_wilayah'" in text and "angka desimal" in text
    assert "baris 4" in text and "tidak ada dalam data wilayah Kemendagri" in text
    assert "baris 5" in text and "tingkat desa/kelurahan" in text
    assert "baris 6, kolom 'klaster'" in text and "'lansia' tidak dikenal" in text
    assert "baris 7, kolom 'jumlah'" in text and "tanpa pemisah ribuan" in text
    assert "baris 8" in text and "sudah ada di baris 2" in text
    assert all("Cara memperbaiki" in m for m in messages[1:])
    assert not NeedDataset.objects.exists()
    assert not NeedFigure.objects.exists()


def test_new_version_takes_over_its_clusters_only(tmp_path, admin):
    first = _import(
        admin,
        write_csv(
            tmp_path / "v1.csv",
            ["kode_wilayah", "klaster", "jumlah"],
            [["32.04.05", "pkh", 100], ["32.04.05", "tksk", 1]],
        ),
        name="Seri",
    )
    second = _import(
        admin,
        write_csv(
            tmp_path / "v2.csv", ["kode_wilayah", "klaster", "jumlah"], [["32.04.05", "pkh", 300]]
        ),
        name="Seri",
    )
    first.refresh_from_db()
    assert second.version == 2
    assert first.current_programmes == ["tksk"] and first.is_current
    assert first.superseded_by == second
    pkh = RegionAggregate.objects.get(level="kecamatan", code="32.04.05", programme__slug="pkh")
    assert pkh.need == 300  # never 400: the old PKH figure is no longer in force


def test_only_national_writers_load_need(tmp_path, admin):
    operator = UserFactory(
        role="operator_kabkota", scope_province_id="32", scope_regency_id="32.04"
    )
    path = write_csv(tmp_path / "a.csv", ["kode_wilayah", "pkh"], [["32.04.05", 1]])
    with pytest.raises(PermissionDenied):
        _import(operator, path)


def test_population_import(tmp_path, admin):
    path = write_csv(
        tmp_path / "p.csv", ["kode_wilayah", "jumlah_penduduk"], [["32.04", 3_700_000]]
    )
    dataset = services.population_dataset_import(
        actor=admin, path=path, name="Dukcapil", source="Dukcapil (uji)", period="2025-S1"
    )
    assert dataset.level == "kabupaten"
    assert (
        RegionAggregate.objects.get(level="provinsi", code="32", programme=None).population
        == 3_700_000
    )
