"""Fixtures for the import tests: sample files, small spreadsheets written on the fly, users."""

import csv
from pathlib import Path

import pytest
from django.conf import settings
from openpyxl import Workbook

from tests.factories import UserFactory, make_nik

SAMPLES = Path(settings.BASE_DIR).parent / "shared" / "samples" / "legacy"
HEADER = [
    "No",
    "NIK",
    "Nama",
    "Tanggal Lahir",
    "L/P",
    "Provinsi",
    "Kab/Kota",
    "Jabatan",
    "Status",
    "Insentif",
    "No HP",
]


def person_row(
    n: int,
    *,
    nik: str | None = None,
    name: str | None = None,
    regency: str = "Kabupaten Bandung",
    province: str = "Jawa Barat",
    title: str = "Pendamping Lansia",
    status: str = "Kontrak",
    incentive: object = "Rp 2.500.000,-",
    phone: str = "0812-3456-7890",
    birth: str = "17-08-1985",
    sex: str = "L",
) -> list[object]:
    return [
        n,
        nik if nik is not None else make_nik(serial=n),
        name or f"Orang Uji {n}",
        birth,
        sex,
        province,
        regency,
        title,
        status,
        incentive,
        phone,
    ]


def write_xlsx(
    path: Path,
    rows: list[list[object]],
    *,
    header: list[str] = HEADER,
    title_rows: int = 2,
    sheet: str = "Data",
) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    for i in range(title_rows):
        ws.append([f"JUDUL BARIS {i + 1}"])
    if title_rows:
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    ws.append(header)
    for row in rows:
        ws.append(row)
    ws.append(["", "JUMLAH", f"{len(rows)} orang"])
    wb.save(path)
    return path


def write_csv(
    path: Path,
    rows: list[list[object]],
    *,
    header: list[str] = HEADER,
    delimiter: str = ";",
    encoding: str = "utf-8",
) -> Path:
    with open(path, "w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture
def operator(db, programmes):
    """A national admin acting as the importing operator."""
    return UserFactory(role="admin_nasional", username="operator-impor")


@pytest.fixture
def regency_operator(db, programmes):
    """A Kabupaten Bandung operator for the elderly cluster only."""
    user = UserFactory(
        role="operator_kabkota", username="op-bandung", programmes=[programmes["lanjut-usia"]]
    )
    user.scope_province_id, user.scope_regency_id = "32", "32.04"
    user.save()
    return user
