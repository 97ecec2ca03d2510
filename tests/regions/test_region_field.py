"""RegionField: a region typed by name or code, resolved on the server (no JavaScript needed)."""

import pytest
from django import forms
from django.utils import translation

from regions.forms import RegionField
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


class RegencyForm(forms.Form):
    regency = RegionField(label="Kabupaten/kota tujuan", level="regency")


class VillageForm(forms.Form):
    village = RegionField(label="Desa/kelurahan", level="village", required=False)


def test_name_resolves_to_code():
    form = RegencyForm({"regency": "Kabupaten Bandung"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["regency"] == "32.04"


def test_abbreviated_name_and_code_resolve():
    assert RegencyForm({"regency": "kab bandung"}).is_valid()
    form = RegencyForm({"regency": "32.73"})
    assert form.is_valid() and form.cleaned_data["regency"] == "32.73"


def test_ambiguous_name_names_the_field_and_the_candidates():
    form = RegencyForm({"regency": "Bandung"})
    assert not form.is_valid()
    assert form.errors["regency"] == [
        "Kabupaten/kota tujuan: “Bandung” cocok dengan 2 wilayah: Kab. Bandung — Jawa Barat, "
        "Kota Bandung — Jawa Barat — pilih salah satu dari daftar atau tulis kodenya."
    ]


def test_unknown_name_names_the_field():
    form = RegencyForm({"regency": "Kabupaten Atlantis"})
    assert not form.is_valid()
    (message,) = form.errors["regency"]
    assert message.startswith("Kabupaten/kota tujuan: “Kabupaten Atlantis” tidak ditemukan")
    assert "kabupaten/kota" in message


def test_hidden_code_is_used_while_the_text_still_shows_its_label():
    form = VillageForm(
        {
            "village": "Cileunyi Kulon — Cileunyi, Kab. Bandung, Jawa Barat",
            "village__kode": "32.04.05.2001",
        }
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["village"] == "32.04.05.2001"


def test_text_typed_over_a_picked_code_is_resolved_instead():
    form = RegencyForm({"regency": "Kota Bandung", "regency__kode": "32.04"})
    assert form.is_valid()
    assert form.cleaned_data["regency"] == "32.73"


def test_full_label_typed_without_code_resolves():
    form = RegencyForm({"regency": "Kota Bandung — Jawa Barat"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["regency"] == "32.73"


def test_widget_shows_the_current_region_by_name_and_keeps_its_code():
    html = str(RegencyForm(initial={"regency": "32.04"})["regency"])
    assert 'value="Kab. Bandung — Jawa Barat"' in html
    assert 'name="regency__kode" value="32.04"' in html
    assert 'role="combobox"' in html and 'aria-expanded="false"' in html
    assert 'hx-trigger="input changed delay:300ms"' in html


def test_scope_limits_resolution():
    operator = UserFactory(
        role="operator_kabkota", scope_province_id="32", scope_regency_id="32.04"
    )
    form = RegencyForm({"regency": "Bandung"})
    form.fields["regency"].user = operator
    assert form.is_valid(), form.errors
    assert form.cleaned_data["regency"] == "32.04"
    outside = RegencyForm({"regency": "Kota Bandung"})
    outside.fields["regency"].user = operator
    assert not outside.is_valid()
    assert "dalam wilayah kerja Anda" in outside.errors["regency"][0]


def test_errors_and_help_read_in_english_in_the_english_interface():
    operator = UserFactory(
        role="operator_kabkota", scope_province_id="32", scope_regency_id="32.04"
    )
    with translation.override("en"):
        unknown = RegencyForm({"regency": "Kabupaten Atlantis"})
        ambiguous = RegencyForm({"regency": "Bandung"})
        outside = RegencyForm({"regency": "Kota Bandung"})
        outside.fields["regency"].user = operator
        assert not unknown.is_valid() and not ambiguous.is_valid() and not outside.is_valid()
        help_text = str(RegencyForm()["regency"].help_text)
        village_error = VillageForm({"village": "Atlantis"}).errors["village"][0]
    assert unknown.errors["regency"] == [
        "Kabupaten/kota tujuan: “Kabupaten Atlantis” was not found as a regency/city. Check "
        "the spelling or type its code (e.g. 32.04.05)."
    ]
    assert ambiguous.errors["regency"][0].startswith(
        "Kabupaten/kota tujuan: “Bandung” matches 2 regions: Kab. Bandung — Jawa Barat"
    )
    assert "not found as a regency/city within your working area" in outside.errors["regency"][0]
    assert help_text.startswith("Type a region's name or code")
    assert "as a village" in village_error
