"""distribution_report, distribution_snapshot and the trend they feed."""

import csv
import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from accounts.models import AuditEntry
from distribution import selectors
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
REQUIRED_COLUMNS = [
    "region_code",
    "region_name",
    "cluster",
    "actual",
    "required",
    "wisn_difference",
    "wisn_ratio",
    "population",
    "density_per_10k",
]


def _read(path):
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize(
    ("level", "rows_per_cluster"),
    [("nation", 1), ("province", 38), ("regency", 514)],
)
def test_report_columns_and_one_row_per_region_and_cluster(
    world, tmp_path, level, rows_per_cluster
):
    output = tmp_path / "laporan.csv"
    call_command("distribution_report", level=level, output=str(output), stdout=io.StringIO())
    rows = _read(output)
    assert set(REQUIRED_COLUMNS) <= set(rows[0])
    assert len(rows) == rows_per_cluster * 9  # nine clusters/programmes
    if level == "nation":
        pkh = next(r for r in rows if r["cluster"] == "pkh")
        assert pkh["region_code"] == "ID"
        assert int(pkh["actual"]) == 7
        # 2,250 households ÷ 250 = 9 required; difference −2, ratio 0.7778
        assert float(pkh["required"]) == pytest.approx(9.0)
        assert float(pkh["wisn_difference"]) == pytest.approx(-2.0)
        assert float(pkh["wisn_ratio"]) == pytest.approx(0.7778)
        assert int(pkh["population"]) == 48000


def test_report_district_cluster_and_user(world, tmp_path):
    UserFactory(
        role="operator_kabkota", username="op", scope_province_id="32", scope_regency_id="32.04"
    )
    output = tmp_path / "kec.csv"
    call_command(
        "distribution_report",
        level="district",
        cluster="pkh",
        user="op",
        output=str(output),
        stdout=io.StringIO(),
    )
    rows = _read(output)
    assert {r["cluster"] for r in rows} == {"pkh"}
    assert all(r["region_code"].startswith("32.04") for r in rows)
    cileunyi = next(r for r in rows if r["region_code"] == "32.04.05")
    assert (cileunyi["actual"], cileunyi["required"], cileunyi["wisn_ratio"]) == (
        "5",
        "4.0",
        "1.25",
    )
    assert cileunyi["density_per_10k"] == "2.5"
    remainder = next(r for r in rows if r["region_level"] == "kecamatan_sisa")
    assert (remainder["region_code"], remainder["actual"]) == ("32.04", "1")
    assert AuditEntry.objects.filter(action="export", object_type="distribution.export").exists()


def test_report_xlsx_and_refusals(world, tmp_path):
    output = tmp_path / "laporan.xlsx"
    call_command("distribution_report", level="province", output=str(output), stdout=io.StringIO())
    sheet = load_workbook(output).active
    assert [c.value for c in sheet[1]][:4] == [
        "region_code",
        "region_name",
        "region_level",
        "cluster",
    ]
    UserFactory(
        role="operator_kabkota", username="op2", scope_province_id="32", scope_regency_id="32.04"
    )
    with pytest.raises(CommandError, match="di atas cakupan"):
        call_command(
            "distribution_report", level="province", user="op2", output=str(tmp_path / "x.csv")
        )
    with pytest.raises(CommandError):
        call_command(
            "distribution_report", level="nation", cluster="nope", output=str(tmp_path / "y.csv")
        )


def test_snapshots_make_a_trend(world, admin):
    call_command("distribution_snapshot", period="2025-05", stdout=io.StringIO())
    call_command("distribution_snapshot", period="2025-06", stdout=io.StringIO())
    data = selectors.dashboard(user=admin, code="32.04", cluster="pkh")
    assert [t["period"] for t in data["trend"]] == [dt.date(2025, 5, 1), dt.date(2025, 6, 1)]
    june = data["trend"][-1]
    assert june["actual"] == 7
    assert june["required"] == pytest.approx(7.0)  # (1,000 + 750) ÷ 250
    nation = selectors.dashboard(user=admin, code="", cluster="pkh")["trend"][-1]
    assert nation["actual"] == 7 and nation["required"] == pytest.approx(9.0)


def test_retaking_a_month_replaces_it(world, admin):
    for _ in range(2):
        call_command("distribution_snapshot", period="2025-06", stdout=io.StringIO())
    assert len(selectors.dashboard(user=admin, code="")["trend"]) == 1


def test_refresh_and_snapshot_run_as_jobs(world, admin):
    from jobs.models import Job
    from jobs.services import job_execute

    for kind in ["distribution_refresh", "distribution_snapshot"]:
        job = Job.objects.create(kind=kind, title=kind, owner=admin)
        assert job_execute(job).status == Job.Status.DONE, job.result
        assert job.result["rows"] > 0
