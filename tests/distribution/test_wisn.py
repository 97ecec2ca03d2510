"""WISN computed by hand, step by step as in the WHO WISN user's manual's worked examples."""

import pytest

from distribution import selectors
from distribution.models import RegionLevel

pytestmark = pytest.mark.django_db


def test_wisn_steps_match_the_hand_computation(wisn_standard):
    # given the model in conftest.wisn_standard
    # when
    steps = selectors.wisn_steps(wisn_standard)
    # then, by hand:
    # Step 2, available working time: (260 − 15 − 12 − 6 − 7) days × 8 h = 220 × 8 = 1,760 h.
    assert steps["available_hours"] == pytest.approx(1760)
    # Step 3, standard workload = AWT ÷ unit time:
    #   home visit 30 min → 1,760 × 60 ÷ 30 = 3,520 visits a year; assessment 60 min → 1,760.
    assert [s["standard_workload"] for s in steps["services"]] == pytest.approx([3520, 1760])
    # Step 4, category allowance: (88 + 88) h ÷ 1,760 h = 10 %; CAF = 1 ÷ (1 − 0.10) = 1.1111.
    assert steps["category_share"] == pytest.approx(0.10)
    assert steps["caf"] == pytest.approx(1 / 0.9)
    # Step 4, individual allowance: 176 h × 1 facilitator ÷ 1,760 h = 0.1 per district.
    assert steps["iaf"] == pytest.approx(0.1)
    # Per case: 4 × 0.5 h + 1 × 1 h = 3 h a year → staff per case = 3 ÷ 1,760 × 1.1111.
    assert steps["staff_per_unit"] == pytest.approx(3 / 1760 / 0.9)


def test_required_for_a_district_of_1000_cases(wisn_standard):
    # Step 5 for a district with 1,000 elderly clients (the manual's annual workload):
    #   home visits 4,000 ÷ 3,520 = 1.13636; assessments 1,000 ÷ 1,760 = 0.56818;
    #   sum 1.70455 × CAF 1.1111 = 1.89394; + IAF 0.1 = 1.99394 facilitators.
    required = selectors.required_for(
        wisn_standard, level=RegionLevel.DISTRICT, need=1000, districts=1, regencies=1
    )
    assert required == pytest.approx((4000 / 3520 + 1000 / 1760) / 0.9 + 0.1)
    assert round(required, 5) == 1.99394
    # WISN difference and ratio with one facilitator in post (manual, step 6).
    figures = selectors.Figures(need=1000, actual=1, actual_standard=1, required=required)
    assert figures.wisn_difference == pytest.approx(-0.99394, abs=1e-5)
    assert figures.wisn_ratio == pytest.approx(0.50152, abs=1e-5)


def test_individual_allowance_is_not_spread_over_villages(wisn_standard):
    # A village below the allowance level gets only its casework; the allowance stays with
    # its district (shown as the district's remainder), so the sum still adds up.
    village = selectors.required_for(
        wisn_standard, level=RegionLevel.VILLAGE, need=1000, districts=0, regencies=0
    )
    assert village == pytest.approx(3000 / 1760 / 0.9)


def test_caseload_ratio_is_the_one_activity_special_case(pkh_standard):
    assert pkh_standard.staff_per_unit == pytest.approx(1 / 250)
    assert pkh_standard.standard_caseload == pytest.approx(250)
    required = selectors.required_for(
        pkh_standard, level=RegionLevel.DISTRICT, need=1000, districts=1, regencies=1
    )
    assert required == pytest.approx(4.0)
