"""Aggregates: totals by group, the incentive summary, the engagements not computable."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from incentives.engine import ROMAN
from incentives.facts import FactsProvider
from incentives.selectors.engagements import engagement_facts
from incentives.selectors.filters import IncentiveFilters
from incentives.selectors.standard import calculator
from regions.models import Province, Regency
from regions.search import short_name
from registry.models import Engagement, Programme

GROUPS = {
    "province": _("Provinsi"),
    "regency": _("Kabupaten/kota"),
    "programme": _("Klaster/program"),
    "level": _("Jenjang"),
}


@dataclass
class Totals:
    """Monthly sums for a group. An engagement the standard cannot price keeps its current pay."""

    headcount: int = 0
    not_computable: int = 0
    current: int = 0
    standard: int = 0
    winners: int = 0
    losers: int = 0
    unchanged: int = 0

    def add(self, current: int | None, standard: int | None) -> None:
        current = current or 0
        self.headcount += 1
        self.current += current
        if standard is None:
            self.not_computable += 1
            self.standard += current
            return
        self.standard += standard
        if standard > current:
            self.winners += 1
        elif standard < current:
            self.losers += 1
        else:
            self.unchanged += 1

    @property
    def difference(self) -> int:
        return self.standard - self.current

    @property
    def current_yearly(self) -> int:
        return self.current * 12

    @property
    def standard_yearly(self) -> int:
        return self.standard * 12

    @property
    def difference_yearly(self) -> int:
        return self.difference * 12

    def as_dict(self) -> dict[str, int]:
        return {
            "headcount": self.headcount,
            "not_computable": self.not_computable,
            "current_monthly": self.current,
            "current_yearly": self.current_yearly,
            "standard_monthly": self.standard,
            "standard_yearly": self.standard_yearly,
            "difference_monthly": self.difference,
            "difference_yearly": self.difference_yearly,
            "winners": self.winners,
            "losers": self.losers,
            "unchanged": self.unchanged,
        }


def group_key(row: Sequence, group: str) -> Any:
    if group == "province":
        return row[3]
    if group == "regency":
        return row[4]
    if group == "programme":
        return row[2]
    if group == "level":
        return row[6] or row[7] or 0
    return ""


def group_labels(group: str, keys: Iterable[Any]) -> dict[Any, str]:
    """Each group's name as people say it ("Jawa Barat", "Kab. Bandung"); the code only for a
    region that is not in the reference data."""
    keys = list(keys)
    if group == "province":
        names = dict(Province.objects.filter(code__in=keys).values_list("code", "name"))
        return {k: names.get(k) or str(k or "–") for k in keys}
    if group == "regency":
        names = dict(Regency.objects.filter(code__in=keys).values_list("code", "name"))
        return {k: short_name(names[k]) if k in names else str(k or "–") for k in keys}
    if group == "programme":
        names = dict(Programme.objects.filter(pk__in=keys).values_list("pk", "name"))
        return {k: names.get(k, str(k)) for k in keys}
    if group == "level":
        return {k: ROMAN.get(k) or gettext("Tanpa jenjang") for k in keys}
    return {k: gettext("Semua") for k in keys}


@dataclass
class Summary:
    group: str
    total: Totals
    groups: list[tuple[Any, str, Totals]]
    not_computable: dict[str, int]


def summarise(
    rows: Sequence[Sequence], results: Sequence[tuple[int | None, str]], *, group: str
) -> Summary:
    total = Totals()
    by_group: dict[Any, Totals] = defaultdict(Totals)
    reasons: dict[str, int] = defaultdict(int)
    for row, (standard, reason) in zip(rows, results, strict=True):
        total.add(row[10], standard)
        by_group[group_key(row, group)].add(row[10], standard)
        if standard is None:
            reasons[reason] += 1
    labels = group_labels(group, by_group)
    groups = sorted(
        ((key, labels[key], totals) for key, totals in by_group.items()),
        key=lambda item: (str(item[0]) if group != "level" else f"{item[0]:02d}"),
    )
    return Summary(group=group, total=total, groups=groups, not_computable=dict(reasons))


def incentive_summary(
    *,
    user: User,
    filters: IncentiveFilters,
    group: str = "province",
    on: dt.date | None = None,
    facts_provider: FactsProvider | None = None,
) -> Summary:
    """Headcount, current and standard cost, difference, winners and losers, by group."""
    rows = list(engagement_facts(user=user, filters=filters))
    results = calculator(on=on, facts_provider=facts_provider).amounts(rows)
    return summarise(rows, results, group=group)


def not_computable_list(
    *, user: User, filters: IncentiveFilters, on: dt.date | None = None, limit: int = 200
) -> list[tuple[Engagement, str]]:
    """Engagements the standard cannot price, with the reason (listed, never silently skipped)."""
    rows = list(engagement_facts(user=user, filters=filters))
    results = calculator(on=on).amounts(rows)
    failed = {
        row[0]: reason
        for row, (standard, reason) in zip(rows, results, strict=True)
        if standard is None
    }
    ids = list(failed)[:limit]
    engagements = Engagement.objects.filter(pk__in=ids).select_related("person", "programme")
    return [(e, failed[e.pk]) for e in engagements.order_by("regency_id", "person__full_name")]
