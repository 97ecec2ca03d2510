"""The area team is asked for by district or village name, not only by code."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

AREA_TEAM = "collaboration:area-team"


def test_area_team_for_a_district_typed_by_name(client, world):
    client.force_login(world.operator)
    response = client.get(reverse(AREA_TEAM), {"wilayah": "Cileunyi"})
    body = response.content.decode()
    assert response.status_code == 200
    assert response.context["district"].pk == "32.04.05"
    assert {m.name for m in response.context["members"]} >= {"Rina", "Budi"}
    # Echoed by name, the code kept in the hidden input.
    assert 'value="Cileunyi — Kab. Bandung, Jawa Barat"' in body
    assert 'name="wilayah__kode" value="32.04.05"' in body


def test_area_team_for_a_village_by_name_and_by_code(client, world):
    client.force_login(world.operator)
    response = client.get(reverse(AREA_TEAM), {"wilayah": "Cileunyi Kulon"})
    assert response.context["village"].pk == "32.04.05.2001"
    assert "Desa Cileunyi Kulon, Kec. Cileunyi" in response.content.decode()
    by_code = client.get(reverse(AREA_TEAM), {"wilayah": "32.04.05"})
    assert by_code.context["district"].pk == "32.04.05"
    assert "Rina" in by_code.content.decode()


def test_unknown_name_is_explained_not_blank(client, world):
    client.force_login(world.operator)
    response = client.get(reverse(AREA_TEAM), {"wilayah": "Atlantis"})
    body = response.content.decode()
    assert response.status_code == 200
    assert response.context["district"] is None
    assert (
        "Kecamatan atau desa/kelurahan: “Atlantis” tidak ditemukan sebagai "
        "kecamatan/desa/kelurahan dalam wilayah kerja Anda" in body
    )
    assert 'value="Atlantis"' in body


def test_district_outside_the_operators_scope_is_refused(client, world):
    # Coblong is a district of Kota Bandung, next door to the operator's Kab. Bandung.
    client.force_login(world.operator)
    response = client.get(reverse(AREA_TEAM), {"wilayah": "Coblong"})
    assert response.context["district"] is None
    assert "dalam wilayah kerja Anda" in response.content.decode()
    # Another regency's operator cannot reach Kab. Bandung's team by code either.
    client.force_login(world.operator_out)
    outside = client.get(reverse(AREA_TEAM), {"wilayah": "32.04.05"})
    assert outside.context["district"] is None
    assert "Budi" not in outside.content.decode()
