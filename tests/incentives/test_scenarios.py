"""Scenarios: a copy of the scale changed and compared side by side, with a phased transition."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from incentives import selectors, services
from incentives.models import Purpose, State
from tests.factories import EngagementFactory, UserFactory

pytestmark = pytest.mark.django_db

MARCH = dt.date(2026, 3, 1)


@pytest.fixture
def engagements(standard):
    return {
        # 2,200,000 × 1.1944 + 10 % remote = 2,890,448 (no start date: no service allowance)
        "bandung": EngagementFactory(
            regency_id="32.04",
            district_id="32.04.05",
            position_level=3,
            monthly_incentive=2_500_000,
        ),
        # 2,850,000 × 1.0000 = 2,850,000: a loser by 150,000
        "aceh": EngagementFactory(
            regency_id="11.01", position_level=5, monthly_incentive=3_000_000
        ),
        # no level: not computable, keeps 2,000,000
        "unlevelled": EngagementFactory(
            regency_id="32.04", position_level=None, monthly_incentive=2_000_000
        ),
    }


@pytest.fixture
def raise_scenario(standard, national_admin):
    scenario = services.scenario_create(actor=national_admin, name="Naik", start_year=2026)
    services.scenario_update(
        actor=national_admin,
        scenario=scenario,
        amounts={3: 2_420_000, 5: 2_850_000, 7: 3_700_000},
        index_values={"11": Decimal("1.1000")},
    )
    return scenario


def test_scenario_is_a_draft_copy_with_its_own_index(standard, raise_scenario):
    scale = raise_scenario.scale
    assert scale.purpose == Purpose.SCENARIO and scale.state == State.DRAFT
    assert scale.allowances.count() == standard.allowances.count()
    # The index in force is untouched; the scenario changed its own copy.
    assert selectors.index_in_force(on=MARCH).values.get(province_id="11").value == 1
    assert scale.regional_index.values.get(province_id="11").value == Decimal("1.1")


def test_two_scenarios_side_by_side(national_admin, engagements, raise_scenario):
    comparison = selectors.scenario_compare(
        user=national_admin, scenarios=[None, raise_scenario], on=MARCH, group="province"
    )
    in_force, scenario = (c.summary.total for c in comparison.columns)
    assert in_force.current == scenario.current == 7_500_000
    assert in_force.standard == 2_890_448 + 2_850_000 + 2_000_000
    assert (in_force.winners, in_force.losers, in_force.not_computable) == (1, 1, 1)
    # 2,420,000 × 1.1944 = 2,890,448 + 10 % = 3,179,492.8 → 3,179,493; Aceh 2,850,000 × 1.1
    assert scenario.standard == 3_179_493 + 3_135_000 + 2_000_000
    assert (scenario.winners, scenario.losers) == (2, 0)
    assert scenario.difference_yearly == (8_314_493 - 7_500_000) * 12
    table = dict(comparison.group_table())
    assert [t.standard for t in table["Aceh"]] == [2_850_000, 3_135_000]


def test_phased_transition_caps_each_yearly_loss(national_admin, standard, raise_scenario):
    # given: 3,000,000 today; the scenario pays 2,420,000 × 1.1 = 2,662,000 in Aceh
    loser = EngagementFactory(regency_id="11.01", position_level=3, monthly_incentive=3_000_000)
    services.scenario_update(
        actor=national_admin, scenario=raise_scenario, transition_cap_percent=Decimal("5.00")
    )
    raise_scenario.refresh_from_db()
    # when
    comparison = selectors.scenario_compare(
        user=national_admin, scenarios=[raise_scenario], on=MARCH, keep_paths=True
    )
    column = comparison.columns[0]
    # then: 5 % a year at most: 2,850,000 → 2,707,500 → 2,662,000
    assert column.paths[loser.pk] == [2_850_000, 2_707_500, 2_662_000]
    assert column.years == [2026, 2027, 2028]
    assert column.yearly_monthly_cost == [2_850_000, 2_707_500, 2_662_000]
    previous = 3_000_000
    for amount in column.paths[loser.pk]:
        assert amount >= previous * 0.95
        previous = amount


def test_scenarios_need_an_administrator(standard):
    operator = UserFactory(
        role="operator_kabkota", scope_province_id="32", scope_regency_id="32.04"
    )
    with pytest.raises(PermissionDenied):
        services.scenario_create(actor=operator, name="X")


def test_a_scenario_cannot_be_put_in_force(national_admin, raise_scenario):
    with pytest.raises(ValidationError):
        services.scale_agree(actor=national_admin, scale=raise_scenario.scale, decision_ref="X")


def test_agreed_scale_is_frozen_and_enacting_supersedes_the_previous(national_admin, standard):
    with pytest.raises(ValidationError):
        services.scale_update(actor=national_admin, scale=standard, data={"amounts": {3: 1}})
    successor = services.scale_copy(
        actor=national_admin,
        scale=standard,
        name="Skala 2027",
        effective_from=dt.date(2027, 1, 1),
    )
    services.scale_agree(actor=national_admin, scale=successor, decision_ref="SK-2/2026")
    services.scale_enact(actor=national_admin, scale=successor)
    standard.refresh_from_db()
    assert standard.state == State.SUPERSEDED
    assert standard.effective_to == dt.date(2026, 12, 31)
    assert [s.name for s in selectors.applicable_scales(on=dt.date(2026, 12, 31))] == ["Skala 2026"]
    assert [s.name for s in selectors.applicable_scales(on=dt.date(2027, 1, 1))] == ["Skala 2027"]


def test_programme_scale_takes_precedence_over_the_general_scale(
    national_admin, standard, programmes
):
    pkh = services.scale_create(
        actor=national_admin,
        name="Skala PKH",
        effective_from=dt.date(2026, 1, 1),
        amounts={3: 3_000_000},
        programme=programmes["pkh"],
    )
    services.scale_agree(actor=national_admin, scale=pkh, decision_ref="SK-PKH")
    services.scale_enact(actor=national_admin, scale=pkh)
    resolve = selectors.standard_resolver(on=MARCH)
    assert resolve(programmes["pkh"].pk).name == "Skala PKH"
    assert resolve(programmes["anak"].pk).name == "Skala 2026"
