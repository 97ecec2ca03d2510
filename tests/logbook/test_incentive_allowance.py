"""End to end: a month approved in the logbook pays the incentives' caseload allowance.

The incentives read caseloads through their facts provider (incentives.facts), which
delegates to distribution.facts.Caseloads (settings.COMPETENCY_CASELOADS_PROVIDER).
"""

import datetime as dt
from decimal import Decimal

import pytest

from incentives import services as incentives
from incentives.facts import facts_on
from incentives.models import AllowanceKind
from incentives.selectors.engagements import engagement_breakdown
from logbook import services
from regions.models import Province


@pytest.fixture
def scale_with_caseload_allowance(national_admin, programmes):
    rows = [
        {"province": code, "value": "1.0000"}
        for code in Province.objects.values_list("code", flat=True)
    ]
    index = incentives.regional_index_load(
        actor=national_admin, name="Indeks uji", year=2026, source="Uji", rows=rows
    )
    incentives.regional_index_agree(actor=national_admin, index=index, decision_ref="BA-uji")
    incentives.regional_index_enact(actor=national_admin, index=index)
    scale = incentives.scale_create(
        actor=national_admin,
        name="Skala uji",
        effective_from=dt.date(2020, 1, 1),
        amounts={3: 2_000_000},
        legal_basis="Uji",
    )
    incentives.allowance_create(
        actor=national_admin,
        scale=scale,
        data={
            "kind": AllowanceKind.CASELOAD,
            "name": "Beban kasus lansia",
            "amount": 10_000,
            "threshold": 5,
            "per_unit": True,
            "max_units": 100,
            "programme_id": programmes["lanjut-usia"].pk,
            "legal_basis": "Uji",
            "percent": None,
        },
    )
    incentives.scale_agree(actor=national_admin, scale=scale, decision_ref="SK-uji")
    incentives.scale_enact(actor=national_admin, scale=scale)
    return scale


def test_an_approved_logbook_month_pays_the_caseload_allowance(
    scale_with_caseload_allowance, facilitator, coordinator, log, types, today, national_admin
):
    # given: 12 clients served in counted activities this month (threshold 5: 7 units)
    engagement = facilitator.engagement
    engagement.harmonised_level = 3
    engagement.save(update_fields=["harmonised_level"])
    log(facilitator, clients_served=8)
    log(facilitator, clients_served=4, activity_type=types["konferensi-kasus"])
    log(facilitator, clients_served=30, activity_type=types["pelatihan-diberikan"])

    # when: submitted and approved
    report = services.report_submit(actor=facilitator, engagement=engagement, month=today)
    services.report_approve(actor=coordinator, report=report)

    # then: the incentives see the month's caseload and pay 7 × Rp10.000
    assert facts_on(on=today).caseloads.get(engagement.pk) == 12
    _e, breakdown = engagement_breakdown(user=national_admin, uid=engagement.uid, on=today)
    allowance = [c for c in breakdown.components if c.kind == AllowanceKind.CASELOAD]
    assert [c.amount for c in allowance] == [Decimal(70_000)]
