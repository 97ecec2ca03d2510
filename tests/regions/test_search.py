"""Finding regions by name or code (regions.search), ranked and within the user's scope."""

import pytest

from regions.search import fold, region_resolve, regions_matching, typed_code
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def codes(hits):
    return [h.code for h in hits]


def test_fold_lowercases_and_drops_accents_and_punctuation():
    assert fold("  Kab. BANDUNG ") == "kab bandung"
    assert fold("Regapu’u") == "regapuu"
    assert fold("Bélo") == "belo"


def test_typed_codes_dotted_or_run_together():
    assert typed_code("32.04.05") == "32.04.05"
    assert typed_code("320405") == "32.04.05"
    assert typed_code("cileunyi") is None


@pytest.mark.parametrize("query", ["kab bandung", "Kabupaten Bandung", "KAB. BANDUNG"])
def test_regency_by_its_usual_forms_comes_first(query):
    hits = regions_matching(query, level="regency")
    assert hits[0].code == "32.04"
    assert hits[0].name == "Kab. Bandung"
    assert hits[0].context == "Jawa Barat"
    # Kabupaten Bandung Barat is a prefix match: after the exact one.
    assert "32.17" in codes(hits)[1:]


def test_bare_name_ranks_exact_names_then_prefixes_then_contains():
    hits = regions_matching("bandung", level="regency")
    assert set(codes(hits[:2])) == {"32.04", "32.73"}
    assert codes(hits)[2] == "32.17"
    assert [h.rank for h in hits[:3]] == [0, 0, 1]


def test_district_with_parent_context():
    hits = regions_matching("cileunyi", level="district")
    assert hits[0].code == "32.04.05"
    assert hits[0].label == "Cileunyi — Kab. Bandung, Jawa Barat"


def test_prefix_of_a_word_finds_district_and_villages_across_levels():
    hits = regions_matching("cileu")
    assert "32.04.05" in codes(hits)
    assert any(h.level == "village" and h.name.startswith("Cileunyi") for h in hits)
    assert all("cileu" in fold(h.name) for h in hits)


def test_contains_match_ranks_after_prefix():
    hits = regions_matching("leunyi", level="district")
    assert "32.04.05" in codes(hits)
    assert hits[codes(hits).index("32.04.05")].rank == 3


def test_typed_code_is_looked_up():
    hits = regions_matching("32.04.05")
    assert codes(hits) == ["32.04.05"]


def test_results_are_bounded():
    assert len(regions_matching("sukamaju")) == 20
    assert len(regions_matching("sari", limit=5)) == 5


def test_a_single_letter_finds_nothing():
    assert regions_matching("a") == []


def test_regency_operator_gets_nothing_outside_their_regency():
    operator = UserFactory(
        role="operator_kabkota", scope_province_id="32", scope_regency_id="32.04"
    )
    assert codes(regions_matching("bandung", level="regency", user=operator)) == ["32.04"]
    assert regions_matching("kota bandung", user=operator) == []
    assert regions_matching("33.73", user=operator) == []
    assert all(h.code.startswith("32.04") for h in regions_matching("sukamaju", user=operator))
    assert "32.04.05" in codes(regions_matching("cileu", user=operator))


def test_province_operator_searches_their_province_only():
    operator = UserFactory(role="operator_provinsi", scope_province_id="33")
    assert regions_matching("bandung", level="regency", user=operator) == []
    hits = regions_matching("salatiga", level="regency", user=operator)
    assert codes(hits) == ["33.73"]


def test_scoped_role_without_a_scope_gets_nothing():
    operator = UserFactory(role="operator_kabkota")
    assert regions_matching("bandung", user=operator) == []


def test_within_narrows_to_one_area():
    hits = regions_matching("sukamaju", level="village", within="32.04")
    assert hits and all(h.code.startswith("32.04.") for h in hits)


def test_resolve_one_exact_name():
    assert region_resolve("Kabupaten Bandung", level="regency").hit.code == "32.04"
    assert region_resolve("cileunyi", level="district").hit.code == "32.04.05"


def test_resolve_reports_ambiguity_with_the_candidates():
    result = region_resolve("Bandung", level="regency")
    assert result.hit is None
    assert [h.name for h in result.candidates] == ["Kab. Bandung", "Kota Bandung"]


def test_resolve_unknown():
    result = region_resolve("Atlantis", level="regency")
    assert result.hit is None and result.candidates == ()
