"""Caseloads: workload index against the standard, over/under-loaded flags, distribution."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from distribution import selectors, services
from distribution.models import CaseloadRecord
from tests.distribution.conftest import engage, write_csv
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
JUNE = dt.date(2025, 6, 1)


@pytest.fixture
def loads(admin, programmes, pkh_standard):
    pkh = programmes["pkh"]
    engagements = [engage(pkh, "32.04", "32.04.05") for _ in range(4)]
    for engagement, cases in zip(engagements, [100, 250, 301, 500], strict=True):
        services.caseload_record_set(actor=admin, engagement=engagement, period=JUNE, cases=cases)
    return engagements


def test_flags_and_index(admin, loads):
    data = selectors.workload(user=admin, code="32.04", cluster="pkh", period=JUNE)
    ((programme, load),) = data["totals"]
    # standard caseload 250; overloaded above 1.2 × 250 = 300, under-loaded below 0.5 × 250
    assert load.reporting == 4
    assert load.overloaded == 2  # 301 and 500
    assert load.underloaded == 1  # 100
    assert load.mean_cases == pytest.approx(287.75)
    assert load.workload_index == pytest.approx(287.75 / 250)
    assert load.max_cases == 500
    # distribution: 0.4 → "< 0,5"; 1.0 → "1,0–1,2"; 1.204 → "1,2–1,5"; 2.0 → "≥ 2,0"
    assert load.histogram == [1, 0, 0, 1, 1, 0, 1]


def test_latest_period_is_the_default(admin, loads):
    services.caseload_record_set(
        actor=admin, engagement=loads[0], period=dt.date(2025, 5, 20), cases=10
    )
    assert selectors.workload(user=admin, code="32.04")["period"] == JUNE


def test_entering_twice_corrects_the_month(admin, loads):
    services.caseload_record_set(actor=admin, engagement=loads[0], period=JUNE, cases=120)
    assert CaseloadRecord.objects.get(engagement=loads[0], period=JUNE).cases == 120


def test_import_all_or_nothing_with_indonesian_errors(tmp_path, admin, loads):
    good = loads[0]
    path = write_csv(
        tmp_path / "kasus.csv",
        ["id_penugasan", "periode", "jumlah_kasus"],
        [
            [str(good.uid), "2025-07", 240],
            [str(loads[1].uid), "Juli", 200],
            ["00000000-0000-0000-0000-000000000000", "2025-07", 10],
            [str(loads[2].uid), "2025-07", "dua ratus"],
        ],
    )
    with pytest.raises(ValidationError) as error:
        services.caseload_import(actor=admin, path=path)
    text = "\n".join(error.value.messages)
    assert "kasus.csv, baris 3, kolom 'periode'" in text
    assert "Cara memperbaiki" in text
    assert "baris 4" in text and "tidak ditemukan" in text
    assert "kasus.csv, baris 5, kolom 'jumlah_kasus'" in text
    assert not CaseloadRecord.objects.filter(period=dt.date(2025, 7, 1)).exists()


def test_import_by_nik_cluster_and_regency(tmp_path, admin, loads):
    engagement = loads[0]
    path = write_csv(
        tmp_path / "kasus.csv",
        ["nik", "klaster", "kode_kabupaten", "periode", "jumlah_kasus"],
        [[engagement.person.nik, "pkh", "32.04", "2025-07", 260]],
    )
    assert services.caseload_import(actor=admin, path=path) == 1
    assert (
        CaseloadRecord.objects.get(engagement=engagement, period=dt.date(2025, 7, 1)).cases == 260
    )


def test_operator_of_another_regency_cannot_enter(admin, loads):
    other = UserFactory(role="operator_kabkota", scope_province_id="32", scope_regency_id="32.73")
    with pytest.raises(Exception, match="tidak berwenang"):
        services.caseload_record_set(actor=other, engagement=loads[0], period=JUNE, cases=1)
