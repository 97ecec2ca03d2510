"""Redeployment: which surplus districts could send how many facilitators to which deficit
districts at least cost, and what is left to recruit. A min-cost flow, not a heuristic list.

The region data has neither coordinates nor adjacency, so the cost of a move is hierarchical:
``same_regency_cost`` within a regency, ``cross_regency_cost`` between regencies of the
province. That cost structure lets the network go through one hub per regency and one for
the province instead of an edge for every pair of districts (Jawa Timur has 666 districts):

    source → surplus district → its regency hub → deficit district in that regency → sink
                                 regency hub → province hub → other regency hub

With every cost doubled to stay integral (network simplex needs integers), a move within a
regency costs 2 × same, and one across regencies 2 × same + 2 × (cross − same) = 2 × cross.
Loading cited coordinates later means replacing the hubs by distance-weighted edges; the rest
(decomposition into moves, remaining need) stays.
"""

import math
from collections import defaultdict
from dataclasses import dataclass, field

import networkx as nx
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext

from accounts.models import User
from distribution import selectors
from distribution.models import RegionLevel
from distribution.selectors import EPS, RegionRow
from registry.models import Programme


@dataclass
class Node:
    code: str
    name: str
    regency: str
    actual: int
    required: float
    is_remainder: bool = False

    @property
    def surplus(self) -> int:
        """Whole facilitators that can leave while the district stays at or above required."""
        return max(0, math.floor(self.actual - self.required + EPS))

    @property
    def deficit(self) -> int:
        """Whole facilitators needed to reach required."""
        return max(0, math.ceil(self.required - self.actual - EPS))

    @property
    def key(self) -> str:
        return f"d:{self.code}:{int(self.is_remainder)}"


@dataclass
class Move:
    source: Node
    target: Node
    count: int
    unit_cost: int

    @property
    def same_regency(self) -> bool:
        return self.source.regency == self.target.regency


@dataclass
class Plan:
    nodes: list[Node]
    moves: list[Move]
    total_cost: int
    same_regency_cost: int
    cross_regency_cost: int
    received: dict[str, int] = field(default_factory=dict)
    sent: dict[str, int] = field(default_factory=dict)

    @property
    def moved(self) -> int:
        return sum(m.count for m in self.moves)

    @property
    def total_surplus(self) -> int:
        return sum(n.surplus for n in self.nodes)

    @property
    def total_deficit(self) -> int:
        return sum(n.deficit for n in self.nodes)

    def remaining(self) -> list[tuple[Node, int]]:
        """Deficit left after the moves: facilitators to recruit, per district."""
        out = []
        for node in self.nodes:
            left = node.deficit - self.received.get(node.key, 0)
            if left > 0:
                out.append((node, left))
        return out

    @property
    def to_recruit(self) -> int:
        return sum(left for _node, left in self.remaining())


def optimise(nodes: list[Node], *, same_regency_cost: int = 1, cross_regency_cost: int = 3) -> Plan:
    """The least-cost moves that cover as much deficit as the surplus allows.

    ``max_flow_min_cost``: the largest number of moves (min of total surplus and total
    deficit), and among those the cheapest. Then the flow is decomposed into source → target
    moves along its paths.
    """
    if same_regency_cost < 0 or cross_regency_cost < same_regency_cost:
        raise ValidationError(gettext("Biaya antarkabupaten harus ≥ biaya dalam kabupaten ≥ 0."))
    graph = nx.DiGraph()
    graph.add_node("S")
    graph.add_node("T")
    graph.add_node("P")
    hop = cross_regency_cost - same_regency_cost  # one hub-to-hub half, doubled below
    regencies = {n.regency for n in nodes}
    for regency in regencies:
        hub = f"r:{regency}"
        graph.add_edge(hub, "P", weight=hop)
        graph.add_edge("P", hub, weight=hop)
    by_key = {}
    for node in nodes:
        by_key[node.key] = node
        hub = f"r:{node.regency}"
        if node.surplus:
            graph.add_edge("S", node.key, capacity=node.surplus, weight=0)
            graph.add_edge(node.key, hub, weight=0)
        elif node.deficit:
            graph.add_edge(hub, node.key, weight=2 * same_regency_cost)
            graph.add_edge(node.key, "T", capacity=node.deficit, weight=0)
    flow = nx.max_flow_min_cost(graph, "S", "T")
    total_cost = nx.cost_of_flow(graph, flow)
    moves = _decompose(flow, by_key)
    received: dict[str, int] = defaultdict(int)
    sent: dict[str, int] = defaultdict(int)
    for move in moves:
        move.unit_cost = same_regency_cost if move.same_regency else cross_regency_cost
        received[move.target.key] += move.count
        sent[move.source.key] += move.count
    return Plan(
        nodes=nodes,
        moves=sorted(moves, key=lambda m: (-m.count, m.source.code, m.target.code)),
        total_cost=total_cost // 2,
        same_regency_cost=same_regency_cost,
        cross_regency_cost=cross_regency_cost,
        received=dict(received),
        sent=dict(sent),
    )


def _decompose(flow: dict[str, dict[str, int]], by_key: dict[str, Node]) -> list[Move]:
    """Split the flow into paths S → surplus … deficit → T; merge equal pairs into one move."""
    residual = {u: {v: f for v, f in out.items() if f > 0} for u, out in flow.items()}
    pairs: dict[tuple[str, str], int] = defaultdict(int)
    while residual.get("S"):
        path = ["S"]
        while path[-1] != "T":
            here = path[-1]
            following = next(iter(residual[here]))
            path.append(following)
        amount = min(residual[u][v] for u, v in zip(path, path[1:], strict=False))
        for u, v in zip(path, path[1:], strict=False):
            residual[u][v] -= amount
            if residual[u][v] == 0:
                del residual[u][v]
        pairs[(path[1], path[-2])] += amount
    return [
        Move(source=by_key[s], target=by_key[t], count=n, unit_cost=0)
        for (s, t), n in pairs.items()
    ]


def nodes_from_rows(rows: list[RegionRow], programme: Programme) -> list[Node]:
    nodes = []
    for row in rows:
        cell = row.cell(programme.pk)
        if cell.required is None:
            continue
        nodes.append(
            Node(
                code=row.code,
                name=row.name,
                regency=row.code[:5],
                actual=cell.actual,
                required=cell.required,
                is_remainder=row.is_remainder,
            )
        )
    return nodes


def redeployment_plan(
    *,
    user: User,
    code: str,
    cluster: str,
    same_regency_cost: int = 1,
    cross_regency_cost: int = 3,
) -> dict[str, object]:
    """The optimal moves for one cluster inside a province (or a regency) and what remains."""
    scope = selectors.scope_for(user)
    region = selectors.region_get(scope, code)
    if region.level not in (RegionLevel.PROVINCE, RegionLevel.REGENCY):
        raise Http404(gettext("Redistribusi dihitung per provinsi atau kabupaten/kota."))
    programme = selectors.programmes_in(scope, cluster)[0]
    standards = selectors.current_standards()
    rows = selectors.level_rows(
        scope=scope,
        level=RegionLevel.DISTRICT,
        within=region,
        programmes=[programme],
        standards=standards,
    )
    plan = optimise(
        nodes_from_rows(rows, programme),
        same_regency_cost=same_regency_cost,
        cross_regency_cost=cross_regency_cost,
    )
    return {
        "region": region,
        "programme": programme,
        "standard": standards.get(programme.pk),
        "plan": plan,
    }


def recruitment_need(*, user: User, code: str) -> dict[str, object]:
    """Remaining recruitment need per regency and cluster after optimal redeployment."""
    scope = selectors.scope_for(user)
    region = selectors.region_get(scope, code)
    if region.level not in (RegionLevel.PROVINCE, RegionLevel.REGENCY):
        raise Http404(gettext("Kebutuhan rekrutmen dihitung per provinsi atau kabupaten/kota."))
    programmes = selectors.programmes_in(scope)
    standards = selectors.current_standards()
    rows = selectors.level_rows(
        scope=scope,
        level=RegionLevel.DISTRICT,
        within=region,
        programmes=programmes,
        standards=standards,
    )
    names = selectors.region_names(RegionLevel.REGENCY, region)
    table: dict[str, dict[int, int]] = defaultdict(dict)
    totals: dict[int, dict[str, int]] = {}
    for programme in programmes:
        if programme.pk not in standards:
            continue
        plan = optimise(nodes_from_rows(rows, programme))
        totals[programme.pk] = {
            "deficit": plan.total_deficit,
            "moved": plan.moved,
            "recruit": plan.to_recruit,
        }
        for node, left in plan.remaining():
            table[node.regency][programme.pk] = table[node.regency].get(programme.pk, 0) + left
    with_standard = [p for p in programmes if p.pk in standards]
    return {
        "region": region,
        "programmes": with_standard,
        "rows": [
            {
                "code": c,
                "name": names.get(c, c),
                "cells": [table[c].get(p.pk, 0) for p in with_standard],
            }
            for c in sorted(table)
        ],
        "totals": [totals[p.pk] for p in with_standard],
    }


REDEPLOYMENT_COLUMNS = [
    "from_code",
    "from_name",
    "to_code",
    "to_name",
    "cluster",
    "facilitators",
    "same_regency",
    "unit_cost",
]
RECRUITMENT_COLUMNS = ["region_code", "region_name", "cluster", "deficit", "received", "to_recruit"]


def plan_export_rows(data: dict) -> list[list]:
    plan: Plan = data["plan"]
    slug = data["programme"].slug
    return [
        [
            m.source.code,
            m.source.name,
            m.target.code,
            m.target.name,
            slug,
            m.count,
            "ya" if m.same_regency else "tidak",
            m.unit_cost,
        ]
        for m in plan.moves
    ]


def recruitment_export_rows(data: dict) -> list[list]:
    plan: Plan = data["plan"]
    slug = data["programme"].slug
    return [
        [node.code, node.name, slug, node.deficit, plan.received.get(node.key, 0), left]
        for node, left in plan.remaining()
    ]
