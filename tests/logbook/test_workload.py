"""Workload per person, the national aggregate, and redeployment that names people."""

import pytest
from django.urls import reverse

from collaboration.models import Request
from distribution import services as distribution
from logbook import selectors, services
from tests.distribution.conftest import write_csv
from tests.factories import EngagementFactory, UserFactory


@pytest.fixture
def standard(national_admin, programmes):
    return distribution.staffing_standard_create(
        actor=national_admin,
        programme=programmes["lanjut-usia"],
        name="Uji: lansia 1:10",
        kind="rasio",
        source="Uji",
        need_unit="lansia",
        caseload_per_facilitator=10,
    )


def _approve(user, coordinator, log, today, served):
    log(user, clients_served=served)
    report = services.report_submit(actor=user, engagement=user.engagement, month=today)
    return services.report_approve(actor=coordinator, report=report)


def test_each_facilitator_against_the_standard(
    standard, facilitator, colleague, coordinator, log, today
):
    _approve(facilitator, coordinator, log, today, 15)  # index 1.5: overloaded
    _approve(colleague, coordinator, log, today, 3)  # index 0.3: room

    data = selectors.workload_people(user=coordinator, code="32.04")

    states = {row.engagement.person_id: row.state for row in data["rows"]}
    assert states == {facilitator.person_id: "berlebih", colleague.person_id: "longgar"}
    assert data["summary"]["berlebih"] == 1 and data["summary"]["longgar"] == 1
    row = next(r for r in data["rows"] if r.engagement.person_id == facilitator.person_id)
    assert row.latest[1:] == (15, "logbook")
    assert row.index == pytest.approx(1.5)


def test_missing_reports_are_named(standard, facilitator, colleague, coordinator, log, today):
    from logbook.models import MonthlyReport

    last = selectors.previous_month(today)
    _approve(facilitator, coordinator, log, today, 5)
    MonthlyReport.objects.update(month=last)  # the approved report belongs to last month

    data = selectors.workload_people(user=coordinator, code="32.04", state="terlambat")

    assert [r.engagement.person_id for r in data["rows"]] == [colleague.person_id]
    assert data["rows"][0].missing == [last]


def test_the_national_view_counts_the_same_states(
    standard, facilitator, colleague, coordinator, log, today, national_admin
):
    from logbook.models import MonthlyReport

    _approve(facilitator, coordinator, log, today, 5)
    MonthlyReport.objects.update(month=selectors.previous_month(today))

    data = selectors.workload_people(user=national_admin, code="")

    west_java = next(r for r in data["rows"] if r["code"] == "32")
    assert (west_java["active"], west_java["approved"], west_java["missing"]) == (2, 1, 1)


def test_redeployment_names_the_lightest_loaded_and_one_click_requests_a_transfer(
    client, standard, coordinator, national_admin, programmes, tmp_path, today
):
    # Baleendah (32.04.05) has 3 facilitators for a need of 10 (1 required); Banjaran
    # (32.04.06) none for a need of 20 (2 required).
    path = write_csv(
        tmp_path / "need.csv",
        ["kode_wilayah", "klaster", "jumlah"],
        [["32.04.05", "lanjut-usia", 10], ["32.04.06", "lanjut-usia", 20]],
    )
    distribution.need_dataset_import(
        actor=national_admin, path=path, name="Uji", source="Uji", period="2026"
    )
    people = [
        EngagementFactory(programme=programmes["lanjut-usia"], district_id="32.04.05")
        for _ in range(3)
    ]
    month = selectors.previous_month(today)
    for engagement, cases in zip(people, (30, 4, 9), strict=True):
        distribution.caseload_records_from_logbook(rows=[(engagement.pk, month, cases)], actor=None)

    data = selectors.redeployment_named(user=coordinator, code="32.04", cluster="lanjut-usia")

    named = [(s["engagement"].pk, s["cases"], s["distance"]) for s in data["suggestions"]]
    assert named == [(people[1].pk, 4, 1), (people[2].pk, 9, 1)]

    operator = UserFactory(
        role="operator_kabkota",
        username="op-mutasi",
        scope_province_id="32",
        scope_regency_id="32.04",
    )
    client.force_login(operator)
    page = client.get(
        reverse("logbook:redeployment", args=["32.04"]) + "?cluster=lanjut-usia"
    ).content.decode()
    assert people[1].person.full_name in page and "Ajukan mutasi" in page

    response = client.post(
        reverse("logbook:transfer-propose"),
        {
            "engagement": str(people[1].uid),
            "district": "32.04.06",
            "sk_number": "800/12/2026",
            "effective_date": today.isoformat(),
            "reason": "Usulan redistribusi",
            "cases": "4",
            "distance": "1",
        },
    )

    request = Request.objects.get(engagement=people[1])
    assert response.status_code == 302 and str(request.uid) in response["Location"]
    assert (request.kind, request.status) == ("mutasi", "diajukan")
    assert request.payload == {
        "regency_id": "32.04",
        "district_id": "32.04.06",
        "sk_number": "800/12/2026",
    }
    assert request.evidence["redistribusi"]["ke"] == "32.04.06"
