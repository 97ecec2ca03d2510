"""Scenarios side by side, with their transition paths under a cap."""

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext

from accounts.models import User
from incentives.engine import Calculator, to_e2, transition_path
from incentives.facts import FactsProvider, facts_on
from incentives.models import Scenario
from incentives.selectors.aggregates import Summary, Totals, summarise
from incentives.selectors.engagements import engagement_facts
from incentives.selectors.filters import IncentiveFilters
from incentives.selectors.standard import scenario_resolver, standard_resolver, today

IN_FORCE_KEY = "berlaku"


@dataclass
class ScenarioColumn:
    key: str
    name: str
    summary: Summary
    cap_percent: Any = None
    # Transition: yearly total monthly cost, year by year, until everyone reaches the target.
    years: list[int] = field(default_factory=list)
    yearly_monthly_cost: list[int] = field(default_factory=list)
    paths: dict[int, list[int]] = field(default_factory=dict)


@dataclass
class Comparison:
    on: dt.date
    group: str
    columns: list[ScenarioColumn]
    rows: list[Sequence]
    results: dict[str, list[tuple[int | None, str]]]

    def group_table(self) -> list[tuple[str, list[Totals]]]:
        """One line per group with each column's totals, for the side-by-side table."""
        keys: dict[Any, str] = {}
        for column in self.columns:
            for key, label, _ in column.summary.groups:
                keys[key] = label
        by_column = [{key: t for key, _, t in c.summary.groups} for c in self.columns]
        return [
            (label, [column.get(key, Totals()) for column in by_column])
            for key, label in sorted(keys.items(), key=lambda kv: str(kv[0]).zfill(2))
        ]


def scenario_list() -> QuerySet[Scenario]:
    return Scenario.objects.select_related("scale", "created_by").order_by("name")


def scenarios_by_keys(keys: Iterable[str]) -> list[Scenario | None]:
    """Scenarios by uid or name, in order; ``berlaku`` stands for the standard in force."""
    out: list[Scenario | None] = []
    for key in keys:
        key = key.strip()
        if not key:
            continue
        if key == IN_FORCE_KEY:
            out.append(None)
            continue
        scenario = (
            Scenario.objects.select_related("scale").filter(Q(name=key)).first()
            or Scenario.objects.select_related("scale").filter(uid=_uuid_or_none(key)).first()
        )
        if scenario is None:
            raise Http404(gettext("Skenario tidak ditemukan."))
        out.append(scenario)
    return out


def _uuid_or_none(value: str):
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def scenario_compare(
    *,
    user: User,
    scenarios: Sequence[Scenario | None],
    filters: IncentiveFilters | None = None,
    group: str = "province",
    on: dt.date | None = None,
    facts_provider: FactsProvider | None = None,
    keep_paths: bool = False,
) -> Comparison:
    """Price the same engagements under each scenario (None: the standard in force) side by side.

    1. Read the engagement rows in the user's scope once.
    2. For each scenario, price every row with the engine and sum the groups.
    3. With a transition cap, walk each engagement's yearly path (nobody loses more than the cap
       per year) and sum the monthly cost year by year.
    """
    on = on or today()
    rows = list(engagement_facts(user=user, filters=filters or IncentiveFilters()))
    facts = facts_on(on=on, provider=facts_provider)
    columns, results = [], {}
    for scenario in scenarios:
        resolve = scenario_resolver(scenario, on=on) if scenario else standard_resolver(on=on)
        amounts = Calculator(resolve=resolve, on=on, facts=facts).amounts(rows)
        key = str(scenario.uid) if scenario else IN_FORCE_KEY
        column = ScenarioColumn(
            key=key,
            name=scenario.name if scenario else gettext("Standar berlaku"),
            summary=summarise(rows, amounts, group=group),
            cap_percent=scenario.transition_cap_percent if scenario else None,
        )
        if scenario and scenario.transition_cap_percent:
            _transition(column, rows, amounts, scenario, keep_paths=keep_paths)
        columns.append(column)
        results[key] = amounts
    return Comparison(on=on, group=group, columns=columns, rows=rows, results=results)


def _transition(
    column: ScenarioColumn,
    rows: Sequence[Sequence],
    amounts: Sequence[tuple[int | None, str]],
    scenario: Scenario,
    *,
    keep_paths: bool,
) -> None:
    cap_e2 = to_e2(scenario.transition_cap_percent)
    paths = []
    for row, (standard, _) in zip(rows, amounts, strict=True):
        current = row[10] or 0
        path = [current] if standard is None else transition_path(current, standard, cap_e2=cap_e2)
        paths.append(path)
        if keep_paths and standard is not None and len(path) > 1:
            column.paths[row[0]] = path
    length = max((len(p) for p in paths), default=1)
    column.years = [scenario.start_year + i for i in range(length)]
    column.yearly_monthly_cost = [sum(p[min(i, len(p) - 1)] for p in paths) for i in range(length)]
