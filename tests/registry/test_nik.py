"""NIK rules (DOMAIN.md, "Identity: NIK") against the real Kemendagri region table."""

import datetime as dt

import pytest
from stdnum.id import nik as stdnum_nik

from registry.nik import mask_nik, mask_phone, nik_clean, nik_mismatches
from registry.services import nik_validate

pytestmark = pytest.mark.django_db

# 32.04 Kabupaten Bandung, district 01, born 17-08-1985, serial 0001.
MAN = "3204011708850001"
WOMAN = "3204015708850002"  # the same date, day + 40


def test_man_born_on_the_17th():
    # when
    result = nik_validate(MAN)

    # then
    assert result.is_valid, result.errors
    assert result.sex == "L"
    assert dt.date(1985, 8, 17) in result.birth_date_candidates
    assert result.likely_birth_date(today=dt.date(2025, 1, 1)) == dt.date(1985, 8, 17)
    assert result.warnings == []


def test_woman_has_forty_added_to_the_day():
    # when
    result = nik_validate(WOMAN)

    # then
    assert result.is_valid, result.errors
    assert result.sex == "P"
    assert result.likely_birth_date(today=dt.date(2025, 1, 1)) == dt.date(1985, 8, 17)


@pytest.mark.parametrize("day", ["01", "31", "41", "71"])
def test_edges_of_the_allowed_day_ranges_are_accepted(day):
    # given: January has 31 days, so 31 and 71 are real dates
    nik = f"320401{day}0185" + "0001"

    # when
    result = nik_validate(nik)

    # then
    assert result.is_valid, result.errors


@pytest.mark.parametrize("day", ["00", "32", "35", "40", "72", "80", "85", "99"])
def test_days_outside_01_31_and_41_71_are_refused(day):
    # when
    result = nik_validate(f"320401{day}08850001")

    # then
    assert not result.is_valid
    assert "01-31" in result.errors[0] and "41-71" in result.errors[0]


@pytest.mark.parametrize("day", ["29", "69"])
def test_29_february_2000_is_a_real_date_for_both_sexes(day):
    # when: 1900 was not a leap year, 2000 was
    result = nik_validate(f"320401{day}02000001")

    # then
    assert result.is_valid, result.errors
    assert result.birth_date_candidates == [dt.date(2000, 2, 29)]


@pytest.mark.parametrize("ddmmyy", ["290201", "690285", "310485", "300285", "011385", "010085"])
def test_dates_that_do_not_exist_are_refused(ddmmyy):
    # given: 29-02 in 1901/2001 and 1985/2085, 31 April, 30 February, months 13 and 00

    # when
    result = nik_validate(f"320401{ddmmyy}0001")

    # then
    assert not result.is_valid
    assert "bukan tanggal yang ada" in result.errors[0]


@pytest.mark.parametrize(
    "regency",
    [
        "6501",  # Kabupaten Bulungan, Kalimantan Utara (province 65, created 2012)
        "6571",  # Kota Tarakan
        "9301",  # Kabupaten Merauke, Papua Selatan (2022)
        "9401",  # Kabupaten Nabire, Papua Tengah (2022)
        "9501",  # Kabupaten Jayawijaya, Papua Pegunungan (2022)
        "9601",  # Kabupaten Sorong, Papua Barat Daya (2022)
    ],
)
def test_new_provinces_are_accepted_without_warning(regency):
    # when
    result = nik_validate(f"{regency}011708850001")

    # then
    assert result.is_valid, result.errors
    assert result.warnings == []


@pytest.mark.parametrize("regency", ["9101", "9109", "9201", "9271"])
def test_pre_2022_papua_regency_codes_are_warned_not_rejected(regency):
    # given: Merauke was 91.01, Mimika 91.09, Sorong 92.01, Kota Sorong 92.71 before the split;
    # a NIK keeps the code of the office that issued it

    # when
    result = nik_validate(f"{regency}011708850001")

    # then
    assert result.is_valid, result.errors
    assert len(result.warnings) == 1
    assert f"{regency[:2]}.{regency[2:]}" in result.warnings[0]


@pytest.mark.parametrize("province", ["99", "20", "00", "10", "97"])
def test_unknown_province_is_refused(province):
    # when
    result = nik_validate(f"{province}01011708850001")

    # then
    assert not result.is_valid
    assert f"Kode provinsi NIK ({province})" in result.errors[0]


@pytest.mark.parametrize(
    ("raw", "length"),
    [("320401170885001", 15), ("32040117088500011", 17), ("3204", 4)],
)
def test_wrong_lengths_are_refused(raw, length):
    # when
    result = nik_validate(raw)

    # then
    assert not result.is_valid
    assert result.errors == [f"NIK harus 16 digit, bukan {length} digit."]


@pytest.mark.parametrize("raw", ["32040117O8850001", "NIK 3204011708850001", "", None, "3204/0117"])
def test_anything_but_digits_is_refused(raw):
    # when
    result = nik_validate(raw)

    # then
    assert not result.is_valid
    assert result.errors == ["NIK hanya boleh berisi angka."]


def test_serial_0000_is_refused():
    # when
    result = nik_validate("3204011708850000")

    # then
    assert not result.is_valid
    assert any("0000" in error for error in result.errors)


@pytest.mark.parametrize(
    "raw",
    [
        "'3204011708850001",  # Excel's text marker
        "\u20193204011708850001",  # the same after a word processor curled it
        "3204 0117 0885 0001",
        " 3204011708850001 ",
        "3204.0117.0885.0001",
        "3204-0117-0885-0001",
        "3204011708850001\t",
    ],
)
def test_what_offices_add_around_a_nik_is_cleaned(raw):
    # when
    result = nik_validate(raw)

    # then
    assert nik_clean(raw) == MAN
    assert result.is_valid, result.errors
    assert result.nik == MAN


@pytest.mark.parametrize("raw", ["3.20401170885E+15", 3204011708850001.0, 3.204011708850001e15])
def test_a_nik_that_went_through_an_excel_number_cell_is_not_trusted(raw):
    # given: Excel keeps 15 significant digits, so a numeric cell may have lost the last one

    # when
    result = nik_validate(raw)

    # then
    assert not result.is_valid


def test_mask_keeps_the_first_and_last_four_digits():
    assert mask_nik("3171011708450001") == "3171************"
    assert mask_nik("1234567") == "*******"
    assert mask_phone("+6281234567890") == "+6281******890"
    assert mask_phone("") == ""


def test_stated_facts_that_agree_with_the_nik_raise_nothing():
    # given
    result = nik_validate(WOMAN)

    # when
    found = nik_mismatches(result, sex="P", birth_date=dt.date(1985, 8, 17))

    # then
    assert found == []


def test_stated_sex_that_disagrees_with_the_nik_is_found():
    # given: the day says woman (+40)
    result = nik_validate(WOMAN)

    # when
    found = nik_mismatches(result, sex="L", birth_date=dt.date(1985, 8, 17))

    # then
    assert [code for code, _ in found] == ["nik_jenis_kelamin"]
    assert "perempuan" in found[0][1]


@pytest.mark.parametrize(
    "stated",
    [dt.date(1985, 8, 18), dt.date(1985, 9, 17), dt.date(1986, 8, 17), dt.date(1985, 8, 7)],
)
def test_stated_birth_date_that_disagrees_with_the_nik_is_found(stated):
    # given
    result = nik_validate(MAN)

    # when
    found = nik_mismatches(result, sex="L", birth_date=stated)

    # then
    assert [code for code, _ in found] == ["nik_tanggal_lahir"]
    assert f"{stated:%d-%m-%Y}" in found[0][1]


def test_an_invalid_nik_is_not_compared_with_stated_facts():
    # given
    result = nik_validate("3204018508850001")

    # when
    found = nik_mismatches(result, sex="P", birth_date=dt.date(1990, 1, 1))

    # then: the NIK is refused on its own; comparing against it would say nothing useful
    assert found == []


def test_why_python_stdnum_does_not_decide_validity():
    # given: day 85 (not a date, not a woman's day), and real NIKs from Kalimantan Utara and
    # Papua Selatan
    day_85 = "3204018508850001"
    kaltara = "6501011708850001"
    papua_selatan = "9301011708850001"

    # when / then: stdnum takes the day modulo 40 and reads 85 as the 5th...
    assert stdnum_nik.is_valid(day_85)
    assert stdnum_nik.get_birth_date(day_85) == dt.date(1985, 8, 5)
    assert not nik_validate(day_85).is_valid
    # ...and its area table lacks provinces 65 and 93, which our region table has
    assert not stdnum_nik.is_valid(kaltara)
    assert not stdnum_nik.is_valid(papua_selatan)
    assert nik_validate(kaltara).is_valid
    assert nik_validate(papua_selatan).is_valid
