"""The payment list (daftar nominatif) is asked for by region name, not only by code."""

import pytest
from django.urls import reverse

from tests.factories import EngagementFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(db):
    return UserFactory(role="operator_kabkota", scope_province_id="32", scope_regency_id="32.04")


@pytest.fixture
def paid(standard):
    return EngagementFactory(
        person=PersonFactory(full_name="Ani Bandung"), regency_id="32.04", position_level=3
    )


def test_roster_for_a_regency_typed_by_name(client, operator, paid):
    client.force_login(operator)
    response = client.get(
        reverse("incentives:roster"), {"region": "Kabupaten Bandung", "month": "2026-03"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Ani Bandung" in body
    # The form echoes the region by name, with its code in the hidden input.
    assert 'value="Kab. Bandung — Jawa Barat"' in body
    assert 'name="region__kode" value="32.04"' in body


def test_download_by_name(client, operator, paid):
    client.force_login(operator)
    response = client.get(
        reverse("incentives:roster-download", args=["xlsx"]),
        {"region": "kab bandung", "month": "2026-03"},
    )
    assert response.status_code == 200
    assert "nominatif-32.04-202603" in response["Content-Disposition"]


def test_unknown_or_outside_region_is_explained_not_blank(client, operator, paid):
    client.force_login(operator)
    response = client.get(
        reverse("incentives:roster"), {"region": "Kota Bandung", "month": "2026-03"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "tidak ditemukan sebagai provinsi/kabupaten/kota dalam wilayah kerja Anda" in body
    assert "Ani Bandung" not in body


def test_ambiguous_name_lists_the_choices(client, national_admin, paid):
    client.force_login(national_admin)
    response = client.get(reverse("incentives:roster"), {"region": "Bandung", "month": "2026-03"})
    body = response.content.decode()
    assert "cocok dengan 2 wilayah" in body
    assert "Kota Bandung" in body


def test_roster_rows_show_the_regency_by_name(client, operator, paid):
    client.force_login(operator)
    body = client.get(
        reverse("incentives:roster"), {"region": "32.04", "month": "2026-03"}
    ).content.decode()
    assert '<td><span title="32.04">Kab. Bandung</span></td>' in body
