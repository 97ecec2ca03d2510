"""load_regions: every Kemendagri area from idn-area-data 4.0.1, idempotent, versioned."""

import io

import pytest
from django.core.management import call_command

from regions.models import DataVersion, District, Province, Regency, Village
from regions.selectors import region_code_sets

pytestmark = pytest.mark.django_db

EXPECTED = {"province": 38, "regency": 514, "district": 7285, "village": 83762}


def _counts() -> dict[str, int]:
    return {
        "province": Province.objects.count(),
        "regency": Regency.objects.count(),
        "district": District.objects.count(),
        "village": Village.objects.count(),
    }


def test_every_area_is_loaded():
    # given: the session fixture ran load_reference

    # then
    assert _counts() == EXPECTED


def test_the_data_version_is_recorded():
    # when
    version = DataVersion.objects.get()

    # then
    assert (version.source, version.version) == ("idn-area-data", "4.0.1")
    assert version.regulation == "Kepmendagri 300.2.2-2138/2025"
    assert "ODbL" in version.license
    assert version.counts == EXPECTED


def test_names_that_repeat_keep_apart_by_code():
    # then: "Bandung" is both a kabupaten and a kota in Jawa Barat
    kabupaten = Regency.objects.get(code="32.04")
    kota = Regency.objects.get(code="32.73")
    assert (kabupaten.name, kabupaten.province_id, kabupaten.is_city) == (
        "Kabupaten Bandung",
        "32",
        False,
    )
    assert (kota.name, kota.province_id, kota.is_city) == ("Kota Bandung", "32", True)
    assert Province.objects.get(code="32").name == "Jawa Barat"


def test_provinces_created_since_2012_are_present():
    # then: Kalimantan Utara (2012) and the four Papua provinces of 2022
    new = {"65", "93", "94", "95", "96"}
    assert set(Province.objects.filter(code__in=new).values_list("code", flat=True)) == new
    assert Regency.objects.get(code="93.01").name == "Kabupaten Merauke"
    # and the pre-split code of Merauke is gone, which is why old NIKs only warn
    assert not Regency.objects.filter(code="91.01").exists()


def test_every_area_hangs_under_a_parent_with_a_matching_code():
    # then: PP.RR under PP, PP.RR.SS under PP.RR, PP.RR.SS.VVVV under PP.RR.SS
    for model, parent in (
        (Regency, "province_id"),
        (District, "regency_id"),
        (Village, "district_id"),
    ):
        codes = model.objects.values_list("code", parent)
        assert all(code.rsplit(".", 1)[0] == parent_code for code, parent_code in codes), model


def test_a_rerun_keeps_the_counts_and_restores_changed_names():
    # given: a name edited by hand, and one version row
    Regency.objects.filter(code="32.04").update(name="Bandung (salah)")
    out = io.StringIO()

    # when
    call_command("load_regions", stdout=out)

    # then
    assert _counts() == EXPECTED
    assert Regency.objects.get(code="32.04").name == "Kabupaten Bandung"
    assert DataVersion.objects.count() == 1
    assert "38 provinsi, 514 kabupaten/kota, 7285 kecamatan, 83762 desa/kelurahan" in (
        out.getvalue()
    )


def test_the_code_sets_the_nik_rules_use_match_the_table():
    # when
    provinces, regencies = region_code_sets()

    # then
    assert len(provinces) == 38 and len(regencies) == 514
    assert {"65", "93"} <= provinces
    assert {"32.04", "32.73", "65.01", "93.01"} <= regencies
