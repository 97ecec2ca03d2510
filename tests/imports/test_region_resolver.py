"""The region resolver on regions as people write them: abbreviations, old names, one-letter
typos, provinces from before a split; and its promises as properties over the whole table."""

import itertools
import string

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import OSA

from imports import regiondata
from imports.regions import (
    ABBREVIATION,
    KIND_LABEL,
    OLD_NAME,
    OLD_PROVINCE,
    TYPO,
    TYPO_MIN_LENGTH,
    RegionIndex,
    region_index,
)
from regions.models import Province, Regency


@pytest.fixture(scope="module")
def index(django_db_setup, django_db_blocker) -> RegionIndex:
    with django_db_blocker.unblock():
        provinces = dict(Province.objects.values_list("code", "name"))
        regencies = {
            code: (province, name)
            for code, province, name in Regency.objects.values_list("code", "province_id", "name")
        }
    return RegionIndex(provinces, regencies)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "written,province,code,how",
    [
        ("Kab. HSS", "", "63.06", ABBREVIATION),
        ("Jaktim", "", "31.75", ABBREVIATION),
        ("Kota Tangsel", "", "36.74", ABBREVIATION),
        ("Kab. OKU", "", "16.01", ABBREVIATION),
        ("OKU Timur", "Sumatera Selatan", "16.08", ABBREVIATION),
        ("Kota Bdg", "", "32.73", ABBREVIATION),
        ("Kodya Bandung", "", "32.73", ""),
        ("Magetan (KAB)", "", "35.20", ""),
        ("Kab. 50 Kota", "", "13.07", ABBREVIATION),
        ("Lima Puluh Kota", "", "13.07", ""),
        ("Kab. Sawahlunto/Sijunjung", "", "13.03", OLD_NAME),
        ("Mamuju Utara", "", "76.01", OLD_NAME),
        ("Kab. Pontianak", "Kalimantan Barat", "61.02", OLD_NAME),
        ("Kota Ujung Pandang", "", "73.71", OLD_NAME),
        ("Kab. MTB", "", "81.03", f"{ABBREVIATION},{OLD_NAME}"),
        ("Kota Semmarang", "Jawa Tengah", "33.74", TYPO),
        ("Kab. Magettan", "Jatim", "35.20", TYPO),
        ("Kota Surkarta", "Jawa Tengah", "33.72", TYPO),
        ("KAB TOLIKARA", "Papua", "95.04", OLD_PROVINCE),
        ("RAJA AMPAT", "Papua Barat", "96.03", OLD_PROVINCE),
        ("95.04", "Papua", "95.04", OLD_PROVINCE),
        ("Kab. Mura", "Sumsel", "16.05", ABBREVIATION),
        ("Kab. Mura", "Kalimantan Tengah", "62.12", ABBREVIATION),
    ],
)
def test_regions_as_people_write_them(written, province, code, how):
    # when
    result = region_index().regency(written, province_text=province)

    # then: the right regency, and the report says how it was read
    assert (result.code, result.error) == (code, None)
    assert result.how == how
    assert bool(result.note) == bool(how)


@pytest.mark.django_db
def test_the_note_names_the_source_and_the_legal_basis():
    index = region_index()
    assert "PP 58/2014" in index.regency("Kab. Pontianak").note
    assert "daftar singkatan" in index.regency("Kab. HSS").note
    assert "UU 16/2022" in index.regency("Kab Tolikara", province_text="Papua").note
    assert "Jawa Timur (menurut NIK)" in index.regency("Kab. Magettan", nik_province="35").note


@pytest.mark.django_db
@pytest.mark.parametrize(
    "written,province,candidates",
    [
        ("Bdg", "", ["32.04", "32.73"]),  # an abbreviation of a kab/kota pair, kind not written
        ("Kab. Mura", "", ["16.05", "62.12"]),  # one abbreviation, two regencies
        ("Pontianak", "", ["61.71", "61.02"]),  # Kota Pontianak, or the old Kabupaten Pontianak
        ("Tasik", "Jawa Barat", ["32.06", "32.78"]),
        ("Kab. Pemarang", "Jawa Tengah", ["33.22", "33.27"]),  # Semarang or Pemalang
    ],
)
def test_what_could_mean_two_regencies_is_refused_naming_both(written, province, candidates):
    result = region_index().regency(written, province_text=province)
    assert result.code is None and result.error == "region_ambiguous"
    assert all(code in result.message for code in candidates)


@pytest.mark.django_db
def test_a_typo_needs_a_region_and_the_kind_written():
    index = region_index()
    # No province and no NIK: not accepted, but the hint names the regency of the kind written.
    nowhere = index.regency("Kota Semmarang")
    assert nowhere.error == "region_unknown" and "Kota Semarang (33.74)" in nowhere.fix
    assert "Kabupaten Semarang" not in nowhere.fix
    # "Kota" is written: Kabupaten Magetan is one letter from nothing of that kind.
    assert index.regency("Kota Magettan", province_text="Jawa Timur").error == "region_unknown"
    # Within the NIK's province instead of a written one.
    assert index.regency("Kab. Magettan", nik_province="35").code == "35.20"
    assert index.regency("Kab. Magettan", nik_province="32").error == "region_unknown"


@pytest.mark.django_db
def test_old_province_only_for_regencies_that_moved():
    index = region_index()
    # Tolikara moved from Papua to Papua Pegunungan; Bogor never was in Papua.
    assert index.regency("Kab. Bogor", province_text="Papua").error == "region_mismatch"
    # The new province is accepted as written, without a note.
    assert index.regency("Kab. Tolikara", province_text="Papua Pegunungan").how == ""


# --- the curated tables, row by row ------------------------------------------------------


@pytest.mark.django_db
def test_every_listed_abbreviation_resolves_to_itself(index):
    for abbreviation in regiondata.abbreviations():
        for code in abbreviation.codes:
            assert code in index.regencies, abbreviation
            written = f"{KIND_LABEL[index.kind_of[code]]} {abbreviation.word}"
            province = index.regencies[code][0]
            result = index.regency(written, province_text=province)
            assert result.code == code, (abbreviation, result)
            assert ABBREVIATION in result.how.split(","), abbreviation
            if len(abbreviation.codes) == 1 and len(index.abbreviations[abbreviation.word]) == 1:
                # Unambiguous: also without the province.
                assert index.regency(written).code == code, abbreviation
        if len(abbreviation.codes) > 1:
            # A kab/kota pair: refused without the kind.
            assert index.regency(abbreviation.word).error == "region_ambiguous", abbreviation


@pytest.mark.django_db
def test_every_old_name_resolves_to_todays_code(index):
    for old in regiondata.old_names():
        assert index.regencies[old.code][1] == old.current, old
        result = index.regency(old.written, province_text=index.regencies[old.code][0])
        assert (result.code, result.how) == (old.code, OLD_NAME), old
        assert old.basis in result.note


@pytest.mark.django_db
def test_every_split_names_existing_provinces(index):
    for split in regiondata.province_splits():
        assert split.old in index.provinces and split.new in index.provinces
        assert split.basis.startswith("UU ")


# --- properties over the whole table -----------------------------------------------------


@pytest.mark.django_db
def test_every_official_name_resolves_to_itself(index):
    for code, (province, name) in index.regencies.items():
        # With its province: always, and as written (no note).
        result = index.regency(name, province_text=index.provinces[province])
        assert (result.code, result.how) == (code, ""), name
        # Without: itself, unless another regency (or an old name) shares the written name.
        alone = index.regency(name)
        kind, key = index.kind_of[code], index.key_of[code]
        shared = len(index.by_kind[(kind, key)]) > 1 or index.old_by_kind.get((kind, key))
        assert alone.code == (None if shared else code), name
        # Its code, too.
        assert index.regency(code).code == code


def _one_edit_neighbours(key: str) -> set[str]:
    letters = string.ascii_uppercase
    out = set()
    for i in range(len(key) + 1):
        for ch in letters:
            out.add(key[:i] + ch + key[i:])
    for i in range(len(key)):
        out.add(key[:i] + key[i + 1 :])
        for ch in letters:
            out.add(key[:i] + ch + key[i + 1 :])
        if i + 1 < len(key):
            out.add(key[:i] + key[i + 1] + key[i] + key[i + 2 :])
    out.discard(key)
    return out


@pytest.mark.django_db
def test_no_two_names_within_typo_distance_in_a_province_are_guessed_between(index):
    """For every pair of regencies of one kind in one province close enough that one written
    string is a one-letter typo of both, every such string is refused, naming both."""
    checked = 0
    by_province: dict[str, list[str]] = {}
    for code, (province, _) in index.regencies.items():
        by_province.setdefault(province, []).append(code)
    for province, codes in by_province.items():
        for a, b in itertools.combinations(codes, 2):
            if index.kind_of[a] != index.kind_of[b]:
                continue
            ka, kb = index.key_of[a], index.key_of[b]
            if OSA.distance(ka, kb) > 2 or min(len(ka), len(kb)) < TYPO_MIN_LENGTH:
                continue
            between = _one_edit_neighbours(ka) & _one_edit_neighbours(kb)
            for key in sorted(between)[:20]:
                written = f"{KIND_LABEL[index.kind_of[a]]} {key}"
                result = index.regency(written, province_text=index.provinces[province])
                if result.how and TYPO not in result.how:
                    continue  # the string is itself an abbreviation or old name
                assert result.code is None, (written, result)
                assert a in result.message and b in result.message, (written, result)
                checked += 1
    assert checked > 0  # the table has such pairs: Semarang and Pemalang, Dogiyai and Deiyai


@st.composite
def _typo(draw, codes: list[str], index: RegionIndex):
    code = draw(st.sampled_from(codes))
    key = index.key_of[code]
    i = draw(st.integers(0, len(key) - 1))
    ch = draw(st.sampled_from(string.ascii_uppercase))
    op = draw(st.sampled_from(["sub", "ins", "del", "swap"]))
    if op == "sub":
        typo = key[:i] + ch + key[i + 1 :]
    elif op == "ins":
        typo = key[:i] + ch + key[i:]
    elif op == "del":
        typo = key[:i] + key[i + 1 :]
    else:
        typo = key[:i] + key[i + 1 : i + 2] + key[i] + key[i + 2 :]
    return code, typo


@pytest.mark.django_db
def test_a_typo_is_accepted_only_when_exactly_one_regency_of_its_kind_is_one_edit_away(index):
    codes = sorted(index.regencies)

    @settings(
        max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
    )
    @given(_typo(codes, index), st.booleans())
    def check(drawn, with_province):
        code, key = drawn
        assume(key and key != index.key_of[code])
        kind, province = index.kind_of[code], index.regencies[code][0]
        written = f"{KIND_LABEL[kind]} {key}"
        result = (
            index.regency(written, province_text=index.provinces[province])
            if with_province
            else index.regency(written, nik_province=province)
        )
        if result.code and TYPO not in result.how.split(","):
            return  # read as written, an abbreviation or an old name instead
        pool = [
            c
            for c in index.regencies
            if index._in_province(c, province)
            and index.kind_of[c] == kind
            and len(index.key_of[c]) >= TYPO_MIN_LENGTH
            and OSA.distance(key, index.key_of[c]) <= 1
        ]
        exact = index.by_kind.get((kind, key), [])
        if exact:
            return  # the typo is another regency's name: read as written
        if result.code:
            assert TYPO in result.how and len(key) >= TYPO_MIN_LENGTH
            assert pool == [result.code], (written, pool, result)
        elif len(key) >= TYPO_MIN_LENGTH and len(pool) == 1:
            pytest.fail(f"{written}: one candidate {pool} but refused: {result}")
        elif len(pool) > 1:
            assert result.error == "region_ambiguous"

    check()
