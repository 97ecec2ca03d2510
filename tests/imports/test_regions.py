"""Regions by code or by name; never a guess between same-named regencies."""

import pytest

from imports.regions import region_index


@pytest.mark.django_db
@pytest.mark.parametrize(
    "written,province,code",
    [
        ("32.04", "", "32.04"),
        ("3204", "", "32.04"),
        ("32.04.05", "", "32.04"),
        ("KAB. BANDUNG", "", "32.04"),
        ("Kab Bandung", "Jawa Barat", "32.04"),
        ("Kabupaten Bandung", "", "32.04"),
        ("kota bandung", "", "32.73"),
        ("KABUPATEN BATANG HARI", "", "15.04"),
        ("Banjar", "Jawa Barat", "32.79"),
        ("Banjar", "Kalimantan Selatan", "63.03"),
        ("Kota Adm. Jakarta Selatan", "DKI", "31.74"),
        ("Kab. Kep. Selayar", "Sulsel", "73.01"),
    ],
)
def test_regency_resolution(written, province, code):
    assert region_index().regency(written, province_text=province).code == code


@pytest.mark.django_db
def test_bandung_alone_is_ambiguous_even_with_its_province():
    # when
    result = region_index().regency("Bandung", province_text="Jawa Barat")

    # then
    assert result.code is None
    assert result.error == "region_ambiguous"
    assert "32.04" in result.message and "32.73" in result.message


@pytest.mark.django_db
def test_unknown_and_mismatched_regions_are_rejected_with_a_hint():
    index = region_index()
    # Two letters off: no longer a one-letter typo (see test_region_resolver), only a hint.
    unknown = index.regency("Kab. Bndng", province_text="Jawa Barat")
    assert unknown.error == "region_unknown" and "Kabupaten Bandung" in unknown.fix
    assert index.regency("99.99").error == "region_unknown"
    assert index.regency("Kab. Bandung", province_text="Jawa Tengah").error == "region_mismatch"
    assert index.regency("").error == "region_missing"


@pytest.mark.django_db
def test_code_typed_into_a_number_cell_keeps_its_trailing_zero():
    result = region_index().regency("32.1")
    assert (result.code, result.how) == ("32.10", "nol_hilang")
    assert "dibaca sebagai 32.10" in result.note
