"""Fixtures for distribution: standards, small need/population tables and engagements.

The world is small and hand-countable: Kabupaten Bandung (32.04) and Kota Bandung (32.73) in
Jawa Barat, and Aceh Selatan (11.01) elsewhere, so that every roll-up can be checked.
"""

import csv
import datetime as dt
from pathlib import Path

import pytest

from distribution import services
from registry.models import Engagement, Programme
from tests.factories import EngagementFactory, PersonFactory, UserFactory


def write_csv(path: Path, header: list[str], rows: list[list]) -> Path:
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture
def admin(db):
    return UserFactory(role="admin_nasional", username="admin-sebaran")


@pytest.fixture
def pkh_standard(admin, programmes):
    return services.staffing_standard_create(
        actor=admin,
        programme=programmes["pkh"],
        name="Uji: PKH 1:250",
        kind="rasio",
        source="Uji",
        need_unit="keluarga",
        caseload_per_facilitator=250,
    )


@pytest.fixture
def wisn_standard(admin, programmes):
    """A WISN model in the style of the WHO manual's worked example, small enough to check by
    hand (see test_wisn.py for the arithmetic)."""
    return services.staffing_standard_create(
        actor=admin,
        programme=programmes["lanjut-usia"],
        name="Uji: WISN lansia",
        kind="wisn",
        source="Uji, mengikuti langkah WHO WISN",
        need_unit="lansia",
        wisn={
            "working_days": 260,
            "public_holidays": 15,
            "annual_leave": 12,
            "sick_leave": 6,
            "other_leave": 7,
            "hours_per_day": 8,
            "allowance_level": "kecamatan",
        },
        activities=[
            {"kind": "layanan", "name": "Kunjungan rumah", "times_per_case": 4, "minutes_each": 30},
            {"kind": "layanan", "name": "Asesmen", "times_per_case": 1, "minutes_each": 60},
            {"kind": "kategori", "name": "Rapat", "hours_per_year": 88},
            {"kind": "kategori", "name": "Pelatihan", "hours_per_year": 88},
            {"kind": "individu", "name": "Koordinator kecamatan", "hours_per_year": 176},
        ],
    )


def engage(programme: Programme, regency: str, district: str | None = None, **extra):
    village = extra.pop("village", None)
    return EngagementFactory(
        programme=programme,
        regency_id=regency,
        province_id=regency[:2],
        district_id=district,
        village_id=village,
        **extra,
    )


@pytest.fixture
def world(tmp_path, admin, programmes, pkh_standard, wisn_standard):
    """Need at three levels, population per village, and engagements with and without district.

    - lanjut-usia: village-level need in 32.04.05 (2 villages), 32.04.06 (1), 32.73.01 (1),
      11.01.01 (1).
    - pkh: district-level need in 32.04.05, 32.04.06 and 32.73.01; regency-level need for
      32.73 as a whole is in a separate regency-level dataset for "anak" (no standard).
    - population for a few villages only: the rest of a district is missing, as in real data.
    """
    need_villages = write_csv(
        tmp_path / "lansia.csv",
        ["kode_wilayah", "klaster", "jumlah"],
        [
            ["32.04.05.2001", "lanjut-usia", 600],
            ["32.04.05.2002", "lanjut-usia", 400],
            ["32.04.06.2003", "lanjut-usia", 250],
            ["32.73.01.1001", "lanjut-usia", 120],
            ["11.01.01.2001", "lanjut-usia", 30],
        ],
    )
    services.need_dataset_import(
        actor=admin, path=need_villages, name="Uji lansia", source="Uji", period="2025"
    )
    need_districts = write_csv(
        tmp_path / "pkh.csv",
        ["kode_wilayah", "pkh"],
        [["32.04.05", 1000], ["32.04.06", 750], ["32.73.01", 500]],
    )
    services.need_dataset_import(
        actor=admin, path=need_districts, name="Uji PKH", source="Uji", period="2025"
    )
    need_regency = write_csv(
        tmp_path / "anak.csv", ["kode_wilayah", "klaster", "jumlah"], [["32.73", "anak", 80]]
    )
    services.need_dataset_import(
        actor=admin, path=need_regency, name="Uji anak", source="Uji", period="2025"
    )
    population = write_csv(
        tmp_path / "penduduk.csv",
        ["kode_wilayah", "jumlah_penduduk"],
        [
            ["32.04.05.2001", 12000],
            ["32.04.05.2002", 8000],
            ["32.04.06.2003", 5000],
            ["32.73.01.1001", 20000],
            ["11.01.01.2001", 3000],
        ],
    )
    services.population_dataset_import(
        actor=admin, path=population, name="Uji penduduk", source="Uji", period="2025"
    )
    lu, pkh, anak = programmes["lanjut-usia"], programmes["pkh"], programmes["anak"]
    person_two = PersonFactory()
    engagements = [
        engage(lu, "32.04", "32.04.05", village="32.04.05.2001", person=person_two),
        engage(pkh, "32.04", "32.04.05", person=person_two),  # one person, two clusters
        engage(pkh, "32.04", "32.04.05"),
        engage(pkh, "32.04", "32.04.05"),
        engage(pkh, "32.04", "32.04.05"),
        engage(pkh, "32.04", "32.04.05"),
        engage(pkh, "32.04", "32.04.06"),
        engage(pkh, "32.04", None),  # no district: counts at the regency
        engage(lu, "32.73", "32.73.01"),
        engage(anak, "32.73", None),
        engage(lu, "11.01", "11.01.01"),
        engage(
            pkh,
            "32.04",
            "32.04.06",
            status=Engagement.Status.ENDED,
            end_date=dt.date(2024, 12, 31),
            start_date=dt.date(2020, 1, 1),
        ),
    ]
    return {"engagements": engagements, "person_two": person_two}
