"""Roll-ups add up at every level: village → district → regency → province → nation."""

import pytest

from distribution import selectors
from distribution.models import RegionLevel

pytestmark = pytest.mark.django_db

FIELDS = ["need", "actual", "required"]


def _sum(rows, programme_id, field):
    return sum(getattr(r.cell(programme_id), field) or 0 for r in rows)


def _check(parent_row, children, programmes):
    for programme in programmes:
        for field in FIELDS:
            expected = getattr(parent_row.cell(programme.pk), field) or 0
            assert _sum(children, programme.pk, field) == pytest.approx(expected, abs=1e-9), (
                parent_row.code,
                programme.slug,
                field,
            )
    parent_population = parent_row.population or 0
    assert sum(r.population or 0 for r in children) == parent_population


def test_every_level_adds_up_to_its_parent(world):
    # given the world of conftest, seen nationally
    scope = selectors.national_scope()
    programmes = selectors.programmes_in(scope)
    nation = selectors.region_get(scope, "")
    # when / then: nation = Σ provinces
    nation_row = selectors.level_rows(scope=scope, level=selectors.NATION, within=nation)[0]
    provinces = selectors.level_rows(scope=scope, level=RegionLevel.PROVINCE, within=nation)
    _check(nation_row, provinces, programmes)
    # province = Σ regencies; regency = Σ districts (+ remainder); district = Σ villages (+ rest)
    for province_code, regency_code, district_code in [
        ("32", "32.04", "32.04.05"),
        ("32", "32.73", "32.73.01"),
        ("11", "11.01", "11.01.01"),
    ]:
        province = selectors.region_get(scope, province_code)
        regency = selectors.region_get(scope, regency_code)
        district = selectors.region_get(scope, district_code)
        province_row = next(r for r in provinces if r.code == province_code)
        regencies = selectors.level_rows(scope=scope, level=RegionLevel.REGENCY, within=province)
        _check(province_row, regencies, programmes)
        regency_row = next(r for r in regencies if r.code == regency_code)
        districts = selectors.level_rows(scope=scope, level=RegionLevel.DISTRICT, within=regency)
        _check(regency_row, districts, programmes)
        district_row = next(r for r in districts if r.code == district_code and not r.is_remainder)
        villages = selectors.level_rows(scope=scope, level=RegionLevel.VILLAGE, within=district)
        _check(district_row, villages, programmes)


def test_known_figures_of_kabupaten_bandung(world, programmes):
    scope = selectors.national_scope()
    regency = selectors.region_get(scope, "32.04")
    rows = {
        (r.code, r.is_remainder): r
        for r in selectors.level_rows(scope=scope, level=RegionLevel.DISTRICT, within=regency)
    }
    pkh, lu = programmes["pkh"].pk, programmes["lanjut-usia"].pk
    cileunyi = rows[("32.04.05", False)]
    # PKH 1:250 on 1,000 households = 4 required; 5 active (the ended one does not count).
    assert cileunyi.cell(pkh).required == pytest.approx(4.0)
    assert cileunyi.cell(pkh).actual == 5
    assert cileunyi.cell(pkh).wisn_ratio == pytest.approx(1.25)
    # WISN lansia on 1,000 elderly + one district coordinator allowance (see test_wisn).
    assert cileunyi.cell(lu).required == pytest.approx(3000 / 1760 / 0.9 + 0.1)
    assert cileunyi.population == 20000
    assert cileunyi.cell(pkh).density_per_10k == pytest.approx(5 * 10000 / 20000)
    # The PKH facilitator without a district sits in the regency's remainder row.
    remainder = rows[("32.04", True)]
    assert remainder.cell(pkh).actual == 1
    assert remainder.cell(pkh).need == 0


def test_regency_level_need_appears_as_remainder_below(world, programmes):
    scope = selectors.national_scope()
    kota = selectors.region_get(scope, "32.73")
    rows = selectors.level_rows(scope=scope, level=RegionLevel.DISTRICT, within=kota)
    remainder = next(r for r in rows if r.is_remainder)
    anak = programmes["anak"].pk
    assert remainder.cell(anak).need == 80
    assert remainder.cell(anak).actual == 1
    assert remainder.cell(anak).required is None  # no standard for "anak" in this world


def test_fractions_are_kept_and_only_rounded_for_display(world, programmes):
    scope = selectors.national_scope()
    province = selectors.region_get(scope, "32")
    regencies = selectors.level_rows(scope=scope, level=RegionLevel.REGENCY, within=province)
    lu = programmes["lanjut-usia"].pk
    bandung = next(r for r in regencies if r.code == "32.04")
    # 1,250 elderly in two districts: casework 1,250 × 3 / 1,760 / 0.9 + 2 district allowances.
    assert bandung.cell(lu).required == pytest.approx(1250 * 3 / 1760 / 0.9 + 0.2)
    assert bandung.cell(lu).required != round(bandung.cell(lu).required)


def test_report_rows_of_districts_add_up_to_regencies(world, admin):
    by_regency = {}
    for row in selectors.report_rows(user=admin, level=RegionLevel.DISTRICT, cluster="pkh"):
        code, actual, required = row[0], row[5], row[6] or 0
        by_regency.setdefault(code[:5], [0, 0.0])
        by_regency[code[:5]][0] += actual
        by_regency[code[:5]][1] += required
    regencies = {
        r[0]: r for r in selectors.report_rows(user=admin, level=RegionLevel.REGENCY, cluster="pkh")
    }
    for code, (actual, required) in by_regency.items():
        assert regencies[code][5] == actual
        assert (regencies[code][6] or 0) == pytest.approx(required, abs=1e-3)


def test_people_are_counted_once_beside_engagements(world, admin):
    data = selectors.dashboard(user=admin, code="32.04")
    # 8 active engagements in 32.04 (lansia 1, PKH 7 incl. one without district); the person
    # holding lansia + PKH counts once among people.
    assert data["persons"]["engagements"] == 8
    assert data["persons"]["people"] == 7
