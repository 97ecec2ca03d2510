"""End to end: a month approved in the logbook pays the incentives' caseload allowance.

The incentives ask for the fact ``caseloads`` (incentives.facts), which the distribution app
provides (satupintu.provides, declared in DistributionConfig.ready): nothing is replaced here.
"""

from decimal import Decimal

import pytest

from incentives.facts import facts_on
from incentives.models import AllowanceKind
from incentives.selectors.engagements import engagement_breakdown
from logbook import services
from tests.logbook.allowance import caseload_allowance_scale


@pytest.fixture
def scale_with_caseload_allowance(national_admin, programmes):
    return caseload_allowance_scale(admin=national_admin, programme=programmes["lanjut-usia"])


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
