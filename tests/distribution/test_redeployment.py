"""Redeployment by min-cost flow: cases whose optimum is known."""

import pytest

from distribution import redeployment, services
from distribution.redeployment import Node, optimise
from tests.distribution.conftest import engage, write_csv

pytestmark = pytest.mark.django_db


def _node(code, actual, required):
    return Node(code=code, name=code, regency=code[:5], actual=actual, required=required)


def test_within_regency_beats_a_greedy_cross_move():
    # given two regencies, each with one surplus district and one deficit district of 2.
    # Filling the first deficit from the first surplus in list order would send 32.04.01's
    # facilitators across; the optimum keeps every move inside its regency: cost 4 × 1 = 4.
    nodes = [
        _node("32.73.01", 0, 2),  # deficit 2
        _node("32.04.01", 2, 0),  # surplus 2
        _node("32.04.02", 0, 2),  # deficit 2
        _node("32.73.02", 2, 0),  # surplus 2
    ]
    # when
    plan = optimise(nodes, same_regency_cost=1, cross_regency_cost=3)
    # then
    assert plan.total_cost == 4
    assert plan.moved == 4
    assert {(m.source.code, m.target.code, m.count) for m in plan.moves} == {
        ("32.04.01", "32.04.02", 2),
        ("32.73.02", "32.73.01", 2),
    }
    assert plan.to_recruit == 0


def test_fractional_required_gives_whole_surplus_and_deficit():
    # 4 in post against 1.5 required: 2 can leave (2.5 whole would leave it below);
    # 0 against 0.2 required: 1 is needed.
    nodes = [_node("32.04.01", 4, 1.5), _node("32.04.02", 0, 0.2), _node("32.73.01", 0, 3.1)]
    plan = optimise(nodes)
    assert [n.surplus for n in nodes] == [2, 0, 0]
    assert [n.deficit for n in nodes] == [0, 1, 4]
    # the cheap deficit first (same regency), then one across; 3 remain to recruit.
    assert plan.moved == 2
    assert plan.total_cost == 1 + 3
    assert dict(((n.code, left) for n, left in plan.remaining())) == {"32.73.01": 3}


def test_costs_can_be_changed_and_must_be_ordered():
    nodes = [_node("32.04.01", 1, 0), _node("32.73.01", 0, 1)]
    assert optimise(nodes, same_regency_cost=2, cross_regency_cost=7).total_cost == 7
    with pytest.raises(Exception, match="antarkabupaten"):
        optimise(nodes, same_regency_cost=3, cross_regency_cost=1)


def test_plan_for_a_province_from_the_registry(tmp_path, admin, programmes, pkh_standard):
    # given PKH need per district (1:250) and facilitators in post
    path = write_csv(
        tmp_path / "pkh.csv",
        ["kode_wilayah", "klaster", "jumlah"],
        [["32.04.05", "pkh", 250], ["32.04.06", "pkh", 750], ["32.73.01", "pkh", 500]],
    )
    services.need_dataset_import(actor=admin, path=path, name="PKH", source="Uji", period="2025")
    pkh = programmes["pkh"]
    for _ in range(4):
        engage(pkh, "32.04", "32.04.05")  # required 1 → surplus 3
    engage(pkh, "32.04", "32.04.06")  # required 3 → deficit 2
    # 32.73.01: required 2, none in post → deficit 2
    # when
    data = redeployment.redeployment_plan(user=admin, code="32", cluster="pkh")
    plan = data["plan"]
    # then: 2 within Kabupaten Bandung (cost 1 each), 1 to Kota Bandung (cost 3); 1 to recruit
    assert {(m.source.code, m.target.code, m.count) for m in plan.moves} == {
        ("32.04.05", "32.04.06", 2),
        ("32.04.05", "32.73.01", 1),
    }
    assert plan.total_cost == 5
    assert plan.to_recruit == 1
    recruitment = redeployment.recruitment_need(user=admin, code="32")
    row = next(r for r in recruitment["rows"] if r["code"] == "32.73")
    column = [p.slug for p in recruitment["programmes"]].index("pkh")
    assert row["cells"][column] == 1
