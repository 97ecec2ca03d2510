"""The incentive pages render for the roles that use them, and the actions go through."""

import datetime as dt

import pytest
from django.urls import reverse

from accounts.models import AuditEntry
from incentives import selectors
from incentives.models import Scenario
from tests.factories import EngagementFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, national_admin):
    client.force_login(national_admin)
    return client


def test_overview_and_standard_pages_render(admin_client, standard):
    engagement = EngagementFactory(regency_id="32.04", position_level=3)
    index = selectors.index_in_force(on=dt.date(2026, 3, 1))
    urls = [
        reverse("incentives:index"),
        reverse("incentives:index") + "?group=level&region=32",
        reverse("incentives:not-computable"),
        reverse("incentives:scale-list"),
        reverse("incentives:scale-detail", args=[standard.uid]),
        reverse("incentives:index-list"),
        reverse("incentives:index-detail", args=[index.uid]),
        reverse("incentives:area-list"),
        reverse("incentives:area-detail", args=[standard.area_list.uid]),
        reverse("incentives:adoption-list"),
        reverse("incentives:scenario-list"),
        reverse("incentives:breakdown", args=[engagement.uid]) + "?on=2026-03-01",
        reverse("incentives:roster") + "?region=32.04&month=2026-03",
    ]
    for url in urls:
        response = admin_client.get(url)
        assert response.status_code == 200, url
    page = admin_client.get(
        reverse("incentives:breakdown", args=[engagement.uid]) + "?on=2026-03-01"
    )
    assert "Rp2.627.680" in page.content.decode()


def test_create_scenario_and_compare_with_charts_and_xlsx(admin_client, standard):
    EngagementFactory(regency_id="32.04", position_level=3, monthly_incentive=2_000_000)
    response = admin_client.post(
        reverse("incentives:scenario-list"),
        {"name": "Hemat", "transition_cap_percent": "10", "start_year": "2026"},
    )
    scenario = Scenario.objects.get(name="Hemat")
    assert response.status_code == 302
    data = {f"amount_{lv}": "" for lv in range(3, 10)}
    data.update(
        {
            "amount_3": "1500000",
            "start_year": "2026",
            "transition_cap_percent": "10",
            "index_values": "32=1,0000",
        }
    )
    assert (
        admin_client.post(
            reverse("incentives:scenario-detail", args=[scenario.uid]), data
        ).status_code
        == 302
    )
    url = reverse("incentives:scenario-compare") + f"?s=berlaku&s={scenario.uid}&on=2026-03-01"
    page = admin_client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in html and "Transisi bertahap" in html
    export = admin_client.get(
        reverse("incentives:scenario-export") + f"?s=berlaku&s={scenario.uid}&on=2026-03-01"
    )
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_roster_downloads(client, standard):
    operator = UserFactory(
        role="operator_kabkota", scope_province_id="32", scope_regency_id="32.04"
    )
    EngagementFactory(
        person=PersonFactory(bank_account="9876543210"), regency_id="32.04", position_level=3
    )
    client.force_login(operator)
    for fmt, kind in (("pdf", "application/pdf"), ("xlsx", "application/vnd.openxmlformats")):
        response = client.get(
            reverse("incentives:roster-download", args=[fmt]) + "?region=32.04&month=2026-03"
        )
        assert response.status_code == 200
        assert response["Content-Type"].startswith(kind)
    assert AuditEntry.objects.filter(object_type="incentives.roster").count() == 2


def test_operator_cannot_change_the_standard(client, standard):
    operator = UserFactory(
        role="operator_kabkota", scope_province_id="32", scope_regency_id="32.04"
    )
    client.force_login(operator)
    response = client.post(reverse("incentives:scale-state", args=[standard.uid, "berlakukan"]))
    assert response.status_code == 403


def test_facilitator_sees_no_incentive_pages(client, standard):
    facilitator = UserFactory(role="pendamping")
    client.force_login(facilitator)
    assert client.get(reverse("incentives:index")).status_code == 403
    assert client.get(reverse("incentives:roster")).status_code == 403


def test_standard_life_cycle_through_the_pages(admin_client, national_admin, programmes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from incentives.models import RegionalIndex, Scale, State
    from regions.models import Province

    # given: an index table uploaded as CSV, agreed and enacted
    lines = ["kode_provinsi,indeks"] + [
        f"{code},1.0000" for code in Province.objects.values_list("code", flat=True)
    ]
    upload = SimpleUploadedFile("indeks.csv", "\n".join(lines).encode(), "text/csv")
    response = admin_client.post(
        reverse("incentives:index-list"),
        {"name": "Indeks", "year": "2026", "source": "Uji", "file": upload},
    )
    index = RegionalIndex.objects.get(name="Indeks")
    assert response.status_code == 302
    admin_client.post(
        reverse("incentives:index-state", args=[index.uid, "sepakati"]), {"decision_ref": "BA-1"}
    )
    admin_client.post(reverse("incentives:index-state", args=[index.uid, "berlakukan"]))
    index.refresh_from_db()
    assert index.state == State.IN_FORCE and index.agreed_by == national_admin

    # when: a scale is drafted, given an allowance, agreed and enacted
    response = admin_client.post(
        reverse("incentives:scale-list"),
        {"name": "Skala", "effective_from": "2026-01-01", "amount_3": "2000000"},
    )
    scale = Scale.objects.get(name="Skala")
    admin_client.post(
        reverse("incentives:allowance-create", args=[scale.uid]),
        {
            "a-kind": "sertifikasi",
            "a-name": "Sertifikat",
            "a-amount": "100000",
            "a-legal_basis": "Uji",
        },
    )
    assert scale.allowances.count() == 1
    admin_client.post(
        reverse("incentives:scale-detail", args=[scale.uid]),
        {"s-name": "Skala", "s-effective_from": "2026-01-01", "s-amount_3": "Rp 2.100.000"},
    )
    assert dict(scale.amounts.values_list("level", "base_amount")) == {3: 2_100_000}
    admin_client.post(
        reverse("incentives:scale-state", args=[scale.uid, "sepakati"]), {"decision_ref": "SK-1"}
    )
    admin_client.post(reverse("incentives:scale-state", args=[scale.uid, "berlakukan"]))
    admin_client.post(
        reverse("incentives:adoption-list"),
        {"programme": programmes["anak"].pk, "effective_month": "2026-04", "decision_ref": "SK-2"},
    )

    # then
    scale.refresh_from_db()
    assert scale.state == State.IN_FORCE and scale.decision_ref == "SK-1"
    assert scale.enacted_by == national_admin
    from incentives.models import Adoption

    assert Adoption.objects.get().effective_month == dt.date(2026, 4, 1)


def test_special_areas_upload_then_a_bad_row_is_named(admin_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from incentives.models import AreaList

    # given
    good = "kategori,kode_kabkota,kode_kecamatan,dasar\nperbatasan,21.03,,Contoh\n"
    bad = "kategori,kode_kabkota,kode_kecamatan,dasar\nperbatasan,99.99,,Contoh\n"
    # when
    response = admin_client.post(
        reverse("incentives:area-list"),
        {
            "name": "Wilayah",
            "year": "2026",
            "source": "Uji",
            "file": SimpleUploadedFile("w.csv", good.encode(), "text/csv"),
        },
    )
    rejected = admin_client.post(
        reverse("incentives:area-list"),
        {
            "name": "Salah",
            "year": "2026",
            "source": "Uji",
            "file": SimpleUploadedFile("s.csv", bad.encode(), "text/csv"),
        },
    )
    # then
    assert response.status_code == 302
    assert AreaList.objects.filter(name="Wilayah").exists()
    assert rejected.status_code == 200
    assert not AreaList.objects.filter(name="Salah").exists()
