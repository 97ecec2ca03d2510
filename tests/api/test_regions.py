"""/api/v1/regions/<level>/ and /api/v1/programmes/: reference data for clients."""

import pytest

from tests.api_errors import field_errors

URL = "/api/v1/regions/"


def test_provinces(admin_api):
    # when
    response = admin_api.get(f"{URL}provinces/")

    # then
    assert response.status_code == 200
    provinces = response.json()
    assert len(provinces) == 38
    assert provinces[0] == {"code": "11", "name": "Aceh"}
    assert {"code": "65", "name": "Kalimantan Utara"} in provinces


@pytest.mark.parametrize("query", ["parent=32", "province=32"])
def test_regencies_of_west_java(admin_api, query):
    # when
    regencies = admin_api.get(f"{URL}regencies/?{query}").json()

    # then
    assert len(regencies) == 27
    assert {"code": "32.04", "name": "Kabupaten Bandung"} in regencies
    assert {"code": "32.73", "name": "Kota Bandung"} in regencies
    assert all(r["code"].startswith("32.") for r in regencies)


def test_districts_of_kabupaten_bandung(admin_api):
    # when
    districts = admin_api.get(f"{URL}districts/?parent=32.04").json()

    # then
    assert len(districts) == 31
    assert {"code": "32.04.05", "name": "Cileunyi"} in districts


def test_villages_of_a_district(admin_api):
    # when
    villages = admin_api.get(f"{URL}villages/?parent=32.04.05").json()

    # then
    assert villages
    assert all(v["code"].startswith("32.04.05.") for v in villages)


def test_a_child_level_needs_its_parent(admin_api):
    # when
    response = admin_api.get(f"{URL}regencies/")

    # then
    assert response.status_code == 400
    assert field_errors(response)["parent"][0].startswith("Sebutkan kode")


def test_unknown_level(admin_api):
    # when
    response = admin_api.get(f"{URL}kelurahan/")

    # then
    assert response.status_code == 404


def test_programmes(admin_api):
    # when
    programmes = admin_api.get("/api/v1/programmes/").json()

    # then
    slugs = {p["slug"] for p in programmes}
    assert {
        "lanjut-usia",
        "disabilitas",
        "anak",
        "napza",
        "tuna-sosial-kpo",
        "pkh",
        "tksk",
    } <= slugs
