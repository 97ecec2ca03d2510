"""``/wilayah/cari/``: the picker's listbox fragment and its JSON variant."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_fragment_lists_matches_as_options_with_context(admin_client):
    response = admin_client.get(reverse("regions:search"), {"q": "cileunyi", "tingkat": "district"})
    body = response.content.decode()
    assert response.status_code == 200
    assert 'role="option"' in body
    assert 'data-code="32.04.05"' in body
    assert 'data-label="Cileunyi — Kab. Bandung, Jawa Barat"' in body
    assert "Kecamatan · Kab. Bandung, Jawa Barat" in body


def test_fragment_reads_the_field_named_by_bidang(admin_client):
    response = admin_client.get(
        reverse("regions:search"), {"bidang": "village", "village": "cileu", "tingkat": "village"}
    )
    assert "Cileunyi Kulon" in response.content.decode()


def test_fragment_says_when_nothing_matches(admin_client):
    body = admin_client.get(reverse("regions:search"), {"q": "zzzqqq"}).content.decode()
    assert "Tidak ada wilayah yang cocok dengan “zzzqqq”" in body
    short = admin_client.get(reverse("regions:search"), {"q": "c"}).content.decode()
    assert "paling sedikit 2 huruf" in short


def test_json_variant(admin_client):
    data = admin_client.get(
        reverse("regions:search"), {"q": "kab bandung", "tingkat": "regency", "format": "json"}
    ).json()
    assert data["results"][0] == {
        "code": "32.04",
        "name": "Kab. Bandung",
        "level": "regency",
        "context": "Jawa Barat",
        "label": "Kab. Bandung — Jawa Barat",
    }


def test_operator_gets_only_their_scope_unless_all_regions_is_asked(client):
    operator = UserFactory(
        role="operator_kabkota", scope_province_id="32", scope_regency_id="32.04"
    )
    client.force_login(operator)
    url = reverse("regions:search")
    scoped = client.get(url, {"q": "kota bandung", "format": "json"}).json()
    assert scoped["results"] == []
    everywhere = client.get(url, {"q": "kota bandung", "semua": "1", "format": "json"}).json()
    assert [r["code"] for r in everywhere["results"]][:1] == ["32.73"]


def test_sign_in_required(client):
    response = client.get(reverse("regions:search"), {"q": "bandung"})
    assert response.status_code == 302
