"""The scenario comparison (and its export) is asked for by region name, not only by code."""

import pytest
from django.urls import reverse

from tests.factories import EngagementFactory, UserFactory

pytestmark = pytest.mark.django_db

COMPARE = "incentives:scenario-compare"


@pytest.fixture
def operator(db):
    return UserFactory(role="operator_kabkota", scope_province_id="32", scope_regency_id="32.04")


@pytest.fixture
def two_regencies(standard):
    EngagementFactory(regency_id="32.04", position_level=3)
    EngagementFactory(regency_id="32.73", position_level=3)
    EngagementFactory(regency_id="32.73", position_level=5)


def _headcount(response) -> int:
    return response.context["comparison"].columns[0].summary.total.headcount


def test_comparison_for_a_regency_typed_by_name(client, national_admin, two_regencies):
    client.force_login(national_admin)
    response = client.get(reverse(COMPARE), {"region": "Kota Bandung", "on": "2026-03-01"})
    body = response.content.decode()
    assert response.status_code == 200
    assert _headcount(response) == 2
    # The form echoes the region by name, its code in the hidden input; the export link keeps
    # the same parameters.
    assert 'value="Kota Bandung — Jawa Barat"' in body
    assert 'name="region__kode" value="32.73"' in body
    assert "region=Kota+Bandung" in body


def test_comparison_by_code_and_by_province_name(client, national_admin, two_regencies):
    client.force_login(national_admin)
    assert _headcount(client.get(reverse(COMPARE), {"region": "32.04"})) == 1
    assert _headcount(client.get(reverse(COMPARE), {"region": "Jawa Barat"})) == 3
    assert _headcount(client.get(reverse(COMPARE))) == 3


def test_unknown_name_is_explained_not_blank(client, national_admin, two_regencies):
    client.force_login(national_admin)
    response = client.get(reverse(COMPARE), {"region": "Kabupaten Atlantis"})
    body = response.content.decode()
    assert response.status_code == 200
    assert response.context["comparison"] is None
    assert "“Kabupaten Atlantis” tidak ditemukan sebagai provinsi/kabupaten/kota" in body
    assert 'value="Kabupaten Atlantis"' in body  # shown as typed, beside its error
    assert "Unduh XLSX" not in body


def test_ambiguous_name_lists_the_choices(client, national_admin, two_regencies):
    client.force_login(national_admin)
    body = client.get(reverse(COMPARE), {"region": "Bandung"}).content.decode()
    assert "“Bandung” cocok dengan 2 wilayah: Kab. Bandung — Jawa Barat, Kota Bandung" in body


def test_region_outside_the_operators_scope_is_refused(client, operator, two_regencies):
    client.force_login(operator)
    response = client.get(reverse(COMPARE), {"region": "Kota Bandung"})
    body = response.content.decode()
    assert response.context["comparison"] is None
    assert "tidak ditemukan sebagai provinsi/kabupaten/kota dalam wilayah kerja Anda" in body
    # Their own regency by name works, and by code.
    assert _headcount(client.get(reverse(COMPARE), {"region": "Kabupaten Bandung"})) == 1
    assert _headcount(client.get(reverse(COMPARE), {"region": "32.04"})) == 1


def test_export_takes_the_same_region_parameter(client, national_admin, two_regencies):
    client.force_login(national_admin)
    export = reverse("incentives:scenario-export")
    by_name = client.get(export, {"region": "kota bandung", "on": "2026-03-01"})
    assert by_name.status_code == 200
    assert by_name["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client.get(export, {"region": "32.73"}).status_code == 200
    unknown = client.get(export, {"region": "Kabupaten Atlantis"})
    assert unknown.status_code == 400
    assert "tidak ditemukan" in unknown.content.decode()
