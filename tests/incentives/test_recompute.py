"""The stored standard incentive: computed in bulk, written set-based, audited; the commands."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils.module_loading import import_string
from openpyxl import load_workbook

from accounts.models import AuditEntry
from incentives import services
from incentives.models import Scale, State
from jobs.models import Job
from jobs.services import HANDLERS
from registry.models import Engagement
from tests.factories import EngagementFactory

pytestmark = pytest.mark.django_db


def test_recompute_writes_every_engagement_and_only_changes(national_admin, standard):
    priced = EngagementFactory(regency_id="11.01", position_level=3)
    unpriced = EngagementFactory(regency_id="11.01", position_level=None)
    Engagement.objects.filter(pk=unpriced.pk).update(standard_incentive=123)  # stale value

    result = services.standard_incentives_recompute(actor=national_admin, on=dt.date(2026, 3, 1))

    priced.refresh_from_db()
    unpriced.refresh_from_db()
    assert priced.standard_incentive == 2_200_000
    assert unpriced.standard_incentive is None
    assert result["changed"] == 2 and result["not_computable"] == {"tanpa_jenjang": 1}
    again = services.standard_incentives_recompute(actor=national_admin, on=dt.date(2026, 3, 1))
    assert again["changed"] == 0
    assert AuditEntry.objects.filter(object_type="incentives.recompute").count() == 2


def test_recompute_is_a_registered_background_job(national_admin, standard):
    engagement = EngagementFactory(regency_id="11.01", position_level=5)
    assert HANDLERS["incentives_recompute"].endswith("standard_incentives_recompute_job")
    job = Job.objects.create(
        kind="incentives_recompute",
        title="uji",
        owner=national_admin,
        params={"on": "2026-03-01"},
    )
    seen = []
    result = import_string(HANDLERS[job.kind])(job, lambda *args: seen.append(args))
    engagement.refresh_from_db()
    assert engagement.standard_incentive == 2_850_000
    assert result["engagements"] == 1 and seen[-1][0] == seen[-1][1] == 1


def test_example_loads_labelled_and_in_force(national_admin, programmes):
    out = io.StringIO()
    call_command("load_incentive_example", stdout=out)
    scale = Scale.objects.get(state=State.IN_FORCE)
    assert scale.is_example and "CONTOH" in scale.name
    assert scale.amounts.count() == 7 and scale.allowances.count() == 5
    assert scale.regional_index is None  # uses the index in force for the year
    from incentives.selectors import index_in_force

    index = index_in_force(on=dt.date(2026, 6, 1))
    assert index.is_example and "PMK 32/2025" in index.source
    assert str(index.values.get(province_id="11").value) == "1.0000"
    assert str(index.values.get(province_id="91").value) == "1.6111"
    call_command("load_incentive_example", "--if-empty", stdout=out)
    assert Scale.objects.count() == 1


def test_cli_scenario_summary_and_recompute(national_admin, standard, tmp_path):
    EngagementFactory(regency_id="11.01", position_level=3, monthly_incentive=2_000_000)
    services.scenario_create(actor=national_admin, name="Sama", start_year=2026)
    out = io.StringIO()
    call_command("recompute_incentives", "--on", "2026-03-01", stdout=out)
    assert "1 penugasan dihitung" in out.getvalue()

    csv_path = tmp_path / "ringkasan.csv"
    call_command(
        "incentive_scenario",
        "--scenario",
        "berlaku",
        "--scenario",
        "Sama",
        "--on",
        "2026-03-01",
        "--output",
        str(csv_path),
        stdout=out,
    )
    text = csv_path.read_text(encoding="utf-8-sig")
    assert "Standar berlaku,JUMLAH,1,0,2000000,24000000,2200000,26400000" in text
    assert "Sama,JUMLAH,1" in text

    xlsx_path = tmp_path / "ringkasan.xlsx"
    call_command("incentive_scenario", "--output", str(xlsx_path), "--on", "2026-03-01", stdout=out)
    sheet = load_workbook(xlsx_path)["Ringkasan"]
    assert sheet.cell(2, 1).value == "Standar berlaku" and sheet.cell(2, 7).value == 2_200_000
    assert AuditEntry.objects.filter(object_type="incentives.scenario_export").count() == 2
