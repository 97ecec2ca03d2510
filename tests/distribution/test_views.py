"""Pages, exports and API: they render, stay scoped and keep their query count flat."""

import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from distribution.models import CaseloadRecord
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def client_admin(client, admin):
    client.force_login(admin)
    return client


@pytest.mark.parametrize(
    "url",
    [
        "/sebaran/",
        "/sebaran/?cluster=pkh",
        "/sebaran/wilayah/32/",
        "/sebaran/wilayah/32.04/",
        "/sebaran/wilayah/32.04.05/",
        "/sebaran/beban-kerja/?region=32.04",
        "/sebaran/redistribusi/32/?cluster=pkh",
        "/sebaran/standar/",
        "/sebaran/data/",
    ],
)
def test_pages_render(world, client_admin, url):
    response = client_admin.get(url)
    assert response.status_code == 200
    assert "Satu Pintu" in response.content.decode()


def test_datasets_name_the_clusters_they_are_current_for(world, client_admin, programmes):
    html = client_admin.get("/sebaran/data/").content.decode()
    assert f"<td>{programmes['lanjut-usia'].name}</td>" in html
    assert "<td>lanjut-usia</td>" not in html and "<td>pkh</td>" not in html


def test_dashboard_shows_figures_and_cartogram(world, client_admin):
    html = client_admin.get("/sebaran/wilayah/32/?cluster=pkh").content.decode()
    assert 'id="cartogram"' in html and 'data-code="32.04"' in html
    assert "Kabupaten Bandung" in html
    # below the provinces a tile carries the region's name, readable without hover (phones)
    tile = re.search(r'<a class="tile [^"]*"[^>]*data-code="32.04">([^<]*)</a>', html)
    assert tile and tile[1] == "Bandung"
    assert re.search(r'data-code="32.73">Kota Bandung</a>', html)
    national = client_admin.get("/sebaran/").content.decode()
    assert national.count('class="tile r') >= 38  # one tile per province (+ legend)


def test_dashboard_query_count_does_not_grow_with_regions(world, client_admin):
    with CaptureQueriesContext(connection) as nation:
        client_admin.get("/sebaran/")
    with CaptureQueriesContext(connection) as regency:
        client_admin.get("/sebaran/wilayah/32.04/")
    # 38 provinces and 31 districts: the same handful of GROUP BY queries, no N+1
    assert len(nation) <= 25
    assert len(regency) <= 25


def test_exports(world, client_admin):
    csv_response = client_admin.get("/sebaran/ekspor/wilayah.csv?region=32")
    assert csv_response["Content-Type"].startswith("text/csv")
    assert csv_response.content.decode("utf-8-sig").startswith("region_code,region_name")
    xlsx = client_admin.get("/sebaran/ekspor/laporan.xlsx?level=kabupaten&cluster=pkh")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.max_row == 1 + 514
    for table in ["beban", "redistribusi", "rekrutmen", "tren"]:
        response = client_admin.get(f"/sebaran/ekspor/{table}.csv?region=32&cluster=pkh")
        assert response.status_code == 200, table


def test_regency_operator_pages_and_api_are_scoped(world, client):
    operator = UserFactory(
        role="operator_kabkota", scope_province_id="32", scope_regency_id="32.04"
    )
    client.force_login(operator)
    assert client.get("/sebaran/")["Location"] == "/sebaran/wilayah/32.04/"
    assert client.get("/sebaran/wilayah/32/").status_code == 404
    assert client.get("/sebaran/ekspor/wilayah.csv?region=32.73").status_code == 404
    assert client.get("/api/v1/distribution/regions/?region=32").status_code == 404
    body = client.get("/api/v1/distribution/regions/").json()
    assert body["region"]["code"] == "32.04"
    assert body["region"]["all_clusters"]["actual"] == 8


def test_api_region_report_standards(world, client_admin):
    body = client_admin.get("/api/v1/distribution/regions/?region=32.04&cluster=pkh").json()
    cileunyi = next(c for c in body["children"] if c["region_code"] == "32.04.05")
    assert cileunyi["clusters"]["pkh"]["required"] == pytest.approx(4.0)
    assert body["people"] == 7
    report = client_admin.get("/api/v1/distribution/report/?level=provinsi&cluster=pkh").json()
    assert len(report["rows"]) == 38 and "wisn_ratio" in report["rows"][0]
    standards = client_admin.get("/api/v1/distribution/standards/").json()["standards"]
    lansia = next(s for s in standards if s["cluster"] == "lanjut-usia")
    assert lansia["standard"]["wisn"]["caf"] == pytest.approx(1 / 0.9)
    plan = client_admin.get("/api/v1/distribution/redeployment/32/?cluster=pkh").json()
    assert {"moves", "recruitment", "total_cost"} <= set(plan)


def test_api_caseload_entry_and_workload(world, client_admin):
    engagement = world["engagements"][2]
    response = client_admin.post(
        "/api/v1/distribution/caseloads/",
        {"engagement": str(engagement.uid), "period": "2025-06", "cases": 320},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert CaseloadRecord.objects.get(engagement=engagement).cases == 320
    body = client_admin.get("/api/v1/distribution/workload/?region=32.04&cluster=pkh").json()
    assert body["period"] == "2025-06"
    assert body["rows"][0]["overloaded"] == 1


def test_workload_region_typed_by_name(world, client_admin):
    by_name = client_admin.get("/sebaran/beban-kerja/", {"region": "Kabupaten Bandung"})
    assert by_name.context["region"].code == "32.04"
    assert 'value="Kab. Bandung — Jawa Barat"' in by_name.content.decode()
    district = client_admin.get("/sebaran/beban-kerja/", {"region": "Cileunyi"})
    assert district.context["region"].code == "32.04.05"
    by_code = client_admin.get("/sebaran/beban-kerja/", {"region": "32.73"})
    assert by_code.context["region"].code == "32.73"
    assert 'value="Kota Bandung — Jawa Barat"' in by_code.content.decode()


def test_workload_unknown_or_outside_region_is_explained(world, client):
    operator = UserFactory(
        role="operator_kabkota", scope_province_id="32", scope_regency_id="32.04"
    )
    client.force_login(operator)
    unknown = client.get("/sebaran/beban-kerja/", {"region": "Atlantis"})
    assert unknown.status_code == 200
    assert "“Atlantis” tidak ditemukan" in unknown.content.decode()
    assert unknown.context["region"].code == "32.04"  # meanwhile, the operator's own regency
    outside = client.get("/sebaran/beban-kerja/", {"region": "Kota Bandung"})
    assert "dalam wilayah kerja Anda" in outside.content.decode()
    assert outside.context["region"].code == "32.04"
    # another regency's code is not found, as on the region pages
    assert client.get("/sebaran/beban-kerja/", {"region": "32.73"}).status_code == 404
