"""RegionField: a region typed by name or code, resolved on the server (no JavaScript needed)."""

import pytest
from django import forms

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
