"""Which rule places which facts: conditions, fuzzy titles and unmatched titles."""

import datetime as dt

import pytest

from framework.harmonize import engagements_harmonize
from framework.resolve import Facts, RuleSet
from framework.services import nomenclature_rule_create
from satupintu.provides import fact_replaced

TODAY = dt.date.today()


@pytest.fixture
def rules(starter):
    return RuleSet(starter)


def level(rules, title, cluster, **facts):
    return rules.resolve(Facts(title, cluster, **facts), as_of=TODAY).level


@pytest.mark.parametrize(
    ("education", "years", "expected"),
    [
        ("", None, 3),  # unknown education: entry level
        ("SMA", 1, 3),  # below D1 places at III
        ("D1", 0, 3),
        ("SMA", 5, 4),  # five years of service lift III to IV
        ("D2", 0, 4),
        ("D3", 2, 5),
        ("D3", 6, 6),  # D3 with five years of service
        ("D4", 0, 6),
        ("S1", 0, 6),  # S1 and D4 are the same KKNI level
        ("PROFESI", 0, 7),
        ("S2", 1, 7),
        ("S2", 5, 8),
        ("S3", 0, 8),
        ("S3", 7, 9),
    ],
)
def test_education_and_years_conditions(rules, education, years, expected):
    assert level(rules, "Pendamping Lansia", "lanjut-usia", education=education, years=years) == (
        expected
    )


def test_certified_units_conditions(rules):
    # given a D3 addiction counsellor, with and without the counselling unit certified
    plain = Facts("Konselor Adiksi", "napza", education="D3", years=1)
    certified = Facts(
        "Konselor Adiksi",
        "napza",
        education="D3",
        years=1,
        unit_codes=frozenset({"Q.880000.101.01"}),
    )
    # then only the certified unit lifts V to VI (the napza-specific rule)
    assert rules.resolve(plain, as_of=TODAY).level == 5
    outcome = rules.resolve(certified, as_of=TODAY)
    assert outcome.level == 6
    assert "12 Tahun 2017" in outcome.harmonisation["legal_basis"]
    # and four certified units of any kind lift an SMA facilitator to IV
    four = frozenset(f"Q.880000.00{i}.01" for i in range(1, 5))
    assert level(rules, "Pendamping PD", "disabilitas", education="SMA", unit_codes=four) == 4


@pytest.mark.parametrize(
    "written",
    [
        "PENDAMPING LANSIA",
        "pendamping  lansia.",
        "Pendamping Lansi",  # a letter missing
        "Lansia Pendamping",  # word order
        "Pendamping L.U.",  # spelled-out abbreviation
    ],
)
def test_title_variants_are_recognised(rules, written):
    outcome = rules.resolve(Facts(written, "lanjut-usia", education="SMA"), as_of=TODAY)
    assert outcome.level == 3
    assert outcome.unified_title == "Asisten Pendamping Pembangunan"
    assert outcome.harmonisation["facts"]["legacy_title"] == written


def test_near_titles_are_not_confused(rules):
    # "Pendamping LU" and "Pendamping PD" differ by two letters; neither may match the other
    assert rules.recognise("Pendamping PD", "lanjut-usia") is None
    assert rules.recognise("Pendamping LU", "lanjut-usia")[0] == "pendamping lu"


def test_title_outside_its_scope_is_unmatched_with_suggestions(rules):
    # a cluster title used in another programme is not recognised there
    outcome = rules.resolve(Facts("Konselor Adiksi", "pkh", education="S1"), as_of=TODAY)
    assert outcome.level is None
    assert outcome.harmonisation["status"] == "tidak_cocok"
    assert outcome.suggestions[0]["title"] == "Konselor Adiksi"
    assert outcome.suggestions[0]["scopes"] == ["napza"]


def test_unknown_title_is_unmatched_with_similar_titles(rules):
    outcome = rules.resolve(Facts("Pendamping Rehabilitasi Lansia", "lanjut-usia"), as_of=TODAY)
    assert outcome.level is None
    assert "Pendamping Lansia" in [s["title"] for s in outcome.suggestions]
    assert "belum dikenali" in outcome.harmonisation["explanation"]


def test_rule_not_yet_effective_does_not_fire(actor, starter):
    # given a higher-priority rule effective only next year
    nomenclature_rule_create(
        actor=actor,
        version=starter,
        level=starter.levels.get(number=9),
        legacy_title="Pendamping Lansia",
        scope="lanjut-usia",
        regulation="Peraturan Menteri Sosial",
        regulation_number="99 Tahun 2099",
        effective_date=TODAY + dt.timedelta(days=365),
        priority=1000,
    )
    rules = RuleSet(starter)
    assert level(rules, "Pendamping Lansia", "lanjut-usia", education="SMA") == 3


def test_explanation_names_rule_facts_and_legal_basis(rules):
    outcome = rules.resolve(
        Facts("Pendamping LU", "lanjut-usia", education="S1", years=3), as_of=TODAY
    )
    h = outcome.harmonisation
    assert h["status"] == "cocok"
    assert h["facts"] == {
        "legacy_title": "Pendamping LU",
        "cluster": "lanjut-usia",
        "education": "S1",
        "years_of_service": 3,
        "certified_units": [],
    }
    assert "8 Tahun 2012" in h["legal_basis"]
    assert "contoh" in h["legal_basis"]
    assert "D4" in h["rule"] and "VI" in h["rule"]
    assert "Pendamping LU" in h["explanation"] and "S1" in h["explanation"]


def test_certified_units_reach_harmonisation_through_the_provider(actor, in_force, make_engagement):
    # given a certificate provider (the competency capability) that certifies one counsellor
    certified = make_engagement("Konselor Adiksi", "napza", education="D3")
    other = make_engagement("Konselor Adiksi", "napza", education="D3")
    with fact_replaced("certified_units", lambda: {certified.person_id: ["Q.880000.101.01"]}):
        engagements_harmonize(actor=actor)
    certified.refresh_from_db()
    other.refresh_from_db()
    assert (certified.harmonised_level, other.harmonised_level) == (6, 5)
    assert certified.harmonisation["facts"]["certified_units"] == ["Q.880000.101.01"]
