"""Reads for incentives: which scale and index apply, prices, aggregates, scenarios, rosters.

Every read of engagements is scoped through ``accounts.access.engagement_scope``. Prices are
computed live by ``incentives.engine`` over ``values_list`` rows (no model instances), so a page,
the CLI, the API and the stored ``Engagement.standard_incentive`` all use the same arithmetic.
"""

import calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts import access
from accounts.models import User
from incentives import access as incentive_access
from incentives.engine import (
    FACT_FIELDS,
    ROMAN,
    Breakdown,
    Calculator,
    EngagementFacts,
    Rule,
    ScaleSnapshot,
    to_e2,
    to_e4,
    transition_path,
)
from incentives.facts import FactsProvider, facts_on
from incentives.models import (
    Adoption,
    AreaDesignation,
    AreaList,
    Purpose,
    RegionalIndex,
    Scale,
    Scenario,
    State,
)
from registry.models import Engagement, Flag, Programme
from registry.nik import mask_nik

LEVEL_BY_ROMAN = {roman: level for level, roman in ROMAN.items()}
GROUPS = {
    "province": "Provinsi",
    "regency": "Kabupaten/kota",
    "programme": "Klaster/program",
    "level": "Jenjang",
}
HOLD_CODES = (Flag.Code.CONCURRENT_PAID, Flag.Code.ASN_ALSO_PAID)


def today() -> dt.date:
    return timezone.localdate()


# --- Filters -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class IncentiveFilters:
    """Region (province or regency code), programme slug and level for aggregates and scenarios."""

    region: str = ""
    programme: str = ""
    level: int | None = None

    @classmethod
    def from_params(cls, params: Any) -> "IncentiveFilters":
        level_raw = (params.get("level") or "").strip().upper()
        level = LEVEL_BY_ROMAN.get(level_raw) or (int(level_raw) if level_raw.isdigit() else None)
        return cls(
            region=(params.get("region") or "").strip()[:5],
            programme=(params.get("programme") or "").strip()[:50],
            level=level,
        )

    def q(self) -> Q:
        q = Q()
        if len(self.region) == 2:
            q &= Q(province_id=self.region)
        elif self.region:
            q &= Q(regency_id=self.region)
        if self.programme:
            q &= Q(programme__slug=self.programme)
        if self.level:
            # The level paid at: position level, else harmonised (as the engine does).
            q &= Q(position_level=self.level) | Q(
                position_level__isnull=True, harmonised_level=self.level
            )
        return q

    def as_dict(self) -> dict[str, Any]:
        return {"region": self.region, "programme": self.programme, "level": self.level}


# --- Which standard applies --------------------------------------------------------------------


def index_in_force(*, on: dt.date) -> RegionalIndex | None:
    """The standard index in force for the latest year not after ``on``."""
    return (
        RegionalIndex.objects.filter(
            purpose=Purpose.STANDARD, state=State.IN_FORCE, year__lte=on.year
        )
        .order_by("-year")
        .first()
    )


def applicable_scales(*, on: dt.date) -> list[Scale]:
    """Standard scales that applied on ``on`` (in force, or superseded but dated to cover it)."""
    return list(
        Scale.objects.filter(
            purpose=Purpose.STANDARD,
            state__in=[State.IN_FORCE, State.SUPERSEDED],
            effective_from__lte=on,
        )
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on))
        .select_related("programme", "regional_index", "area_list")
        .order_by("effective_from", "pk")
    )


def scale_snapshot(scale: Scale, *, on: dt.date) -> ScaleSnapshot:
    """Read a scale, its index and area list once into plain values for the engine."""
    index = scale.regional_index or index_in_force(on=on)
    province_e4: dict[str, int] = {}
    regency_e4: dict[str, int] = {}
    if index is not None:
        for province_id, regency_id, value in index.values.values_list(
            "province_id", "regency_id", "value"
        ):
            if regency_id:
                regency_e4[regency_id] = to_e4(value)
            else:
                province_e4[province_id] = to_e4(value)
    area_regencies: dict[str, set[str]] = defaultdict(set)
    area_districts: dict[str, set[str]] = defaultdict(set)
    if scale.area_list_id:
        for category, regency_id, district_id in AreaDesignation.objects.filter(
            area_list_id=scale.area_list_id
        ).values_list("category", "regency_id", "district_id"):
            for key in (category, ""):  # "" collects every category, for "any" rules
                if regency_id:
                    area_regencies[key].add(regency_id)
                else:
                    area_districts[key].add(district_id)
    rules = tuple(
        Rule(
            id=a.pk,
            kind=a.kind,
            name=a.name,
            legal_basis=a.legal_basis,
            amount=a.amount,
            percent_e2=to_e2(a.percent) if a.percent is not None else None,
            threshold=a.threshold,
            per_unit=a.per_unit,
            max_units=a.max_units,
            area_category=a.area_category,
            programme_id=a.programme_id,
            min_level=a.min_level,
            max_level=a.max_level,
            effective_from=a.effective_from,
            effective_to=a.effective_to,
        )
        for a in scale.allowances.all()
    )
    return ScaleSnapshot(
        scale_id=scale.pk,
        scale_uid=str(scale.uid),
        name=scale.name,
        base=dict(scale.amounts.values_list("level", "base_amount")),
        province_index_e4=province_e4,
        regency_index_e4=regency_e4,
        index_label=str(index) if index else "",
        rules=rules,
        covers_asn=scale.covers_asn,
        area_regencies={k: frozenset(v) for k, v in area_regencies.items()},
        area_districts={k: frozenset(v) for k, v in area_districts.items()},
    )


def standard_resolver(*, on: dt.date) -> Callable[[int], ScaleSnapshot | None]:
    """programme id -> the snapshot of its own scale on ``on``, else of the general scale."""
    general: Scale | None = None
    by_programme: dict[int, Scale] = {}
    for scale in applicable_scales(on=on):  # later effective_from wins
        if scale.programme_id is None:
            general = scale
        else:
            by_programme[scale.programme_id] = scale
    cache: dict[int, ScaleSnapshot] = {}

    def resolve(programme_id: int) -> ScaleSnapshot | None:
        scale = by_programme.get(programme_id, general)
        if scale is None:
            return None
        if scale.pk not in cache:
            cache[scale.pk] = scale_snapshot(scale, on=on)
        return cache[scale.pk]

    return resolve


def scenario_resolver(scenario: Scenario, *, on: dt.date) -> Callable[[int], ScaleSnapshot | None]:
    """A scenario prices every programme under its own scale."""
    snapshot = scale_snapshot(scenario.scale, on=on)
    return lambda programme_id: snapshot


def calculator(
    *,
    on: dt.date | None = None,
    scenario: Scenario | None = None,
    facts_provider: FactsProvider | None = None,
) -> Calculator:
    """A calculator under the standard that applied on ``on`` (default today) or a scenario."""
    on = on or today()
    resolve = scenario_resolver(scenario, on=on) if scenario else standard_resolver(on=on)
    return Calculator(resolve=resolve, on=on, facts=facts_on(on=on, provider=facts_provider))


# --- Engagement rows ---------------------------------------------------------------------------


def engagement_facts(
    *, user: User, filters: IncentiveFilters | None = None, active_only: bool = True
) -> QuerySet:
    """Engagement rows in scope as tuples in ``engine.FACT_FIELDS`` order."""
    qs = access.engagements_visible(user).filter(person__merged_into__isnull=True)
    if active_only:
        qs = qs.filter(status=Engagement.Status.ACTIVE)
    if filters is not None:
        qs = qs.filter(filters.q())
    return qs.order_by("pk").values_list(*FACT_FIELDS)


def all_engagement_facts() -> QuerySet:
    """Every engagement, for the stored standard incentive (not scoped: a system recomputation)."""
    return Engagement.objects.order_by("pk").values_list(*FACT_FIELDS)


def engagement_breakdown(
    *,
    user: User,
    uid,
    on: dt.date | None = None,
    scenario: Scenario | None = None,
    facts_provider: FactsProvider | None = None,
) -> tuple[Engagement, Breakdown]:
    """One engagement (404 outside scope) and its standard incentive, component by component."""
    engagement = access.engagement_get(user, uid)
    row = Engagement.objects.filter(pk=engagement.pk).values_list(*FACT_FIELDS).get()
    calc = calculator(on=on, scenario=scenario, facts_provider=facts_provider)
    return engagement, calc.breakdown(row)


# --- Aggregates --------------------------------------------------------------------------------


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
    from regions.models import Province, Regency

    keys = list(keys)
    if group == "province":
        names = dict(Province.objects.filter(code__in=keys).values_list("code", "name"))
        return {k: f"{k} {names.get(k, '')}".strip() for k in keys}
    if group == "regency":
        names = dict(Regency.objects.filter(code__in=keys).values_list("code", "name"))
        return {k: f"{k} {names.get(k, '')}".strip() for k in keys}
    if group == "programme":
        names = dict(Programme.objects.filter(pk__in=keys).values_list("pk", "name"))
        return {k: names.get(k, str(k)) for k in keys}
    if group == "level":
        return {k: ROMAN.get(k, "Tanpa jenjang") for k in keys}
    return {k: "Semua" for k in keys}


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


# --- Scenarios ---------------------------------------------------------------------------------

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
            from django.http import Http404

            raise Http404("Skenario tidak ditemukan.")
        out.append(scenario)
    return out


def _uuid_or_none(value: str):
    import uuid

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
            name=scenario.name if scenario else "Standar berlaku",
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


# --- Standard pages ----------------------------------------------------------------------------


def scale_list(*, purpose: str = Purpose.STANDARD) -> QuerySet[Scale]:
    return (
        Scale.objects.filter(purpose=purpose)
        .select_related("programme", "regional_index", "area_list", "agreed_by", "enacted_by")
        .order_by("-effective_from", "name")
    )


def scale_detail(*, uid) -> Scale:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        Scale.objects.select_related(
            "programme", "regional_index", "area_list", "created_by", "agreed_by", "enacted_by"
        ).prefetch_related("amounts", "allowances__programme"),
        uid=uid,
    )


def index_list(*, purpose: str = Purpose.STANDARD) -> QuerySet[RegionalIndex]:
    return RegionalIndex.objects.filter(purpose=purpose).select_related("agreed_by", "enacted_by")


def index_detail(*, uid) -> RegionalIndex:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        RegionalIndex.objects.select_related("created_by", "agreed_by", "enacted_by"), uid=uid
    )


def index_values(*, index: RegionalIndex) -> QuerySet:
    return index.values.select_related("province", "regency").order_by("province_id", "regency_id")


def area_lists() -> QuerySet[AreaList]:
    return AreaList.objects.all()


def area_list_detail(*, uid) -> AreaList:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(AreaList, uid=uid)


def area_designations(*, area_list: AreaList) -> QuerySet[AreaDesignation]:
    return area_list.areas.select_related("regency", "district__regency")


def adoption_list() -> QuerySet[Adoption]:
    return Adoption.objects.select_related("programme", "decided_by")


# --- Monthly roster (daftar nominatif) ---------------------------------------------------------


def month_bounds(month: dt.date) -> tuple[dt.date, dt.date]:
    first = month.replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


@dataclass
class RosterLine:
    engagement_uid: str
    person_name: str
    nik: str
    programme: str
    regency_code: str
    regency_name: str
    level: str
    employment_status: str
    basis: str  # "standar" or "saat ini"
    amount: int
    current: int | None
    standard: int | None
    bank_name: str
    bank_account: str
    npwp: str
    note: str = ""


@dataclass
class HeldOut:
    engagement_uid: str
    person_name: str
    nik: str
    programme: str
    regency_code: str
    reasons: list[str]


@dataclass
class Roster:
    region: str
    region_label: str
    month: dt.date
    lines: list[RosterLine]
    held_out: list[HeldOut]
    masked: bool

    @property
    def total(self) -> int:
        return sum(line.amount for line in self.lines)


def region_label(region: str) -> str:
    from regions.models import Province, Regency

    if not region:
        return "Seluruh cakupan"
    model = Province if len(region) == 2 else Regency
    found = model.objects.filter(code=region).first()
    return f"{region} {found.name}" if found else region


def roster_build(
    *,
    user: User,
    region: str,
    month: dt.date,
    facts_provider: FactsProvider | None = None,
) -> Roster:
    """Who is owed what for a month, in the user's scope, with payment details masked by role.

    1. Engagements in scope and region that ran during the month (an ended engagement still counts
       for the months it ran).
    2. People with an open concurrent-payment flag are held out with the reason, until resolved.
    3. A programme that adopted the standard by that month pays the standard under the scale that
       applied on the month's first day; otherwise, or where the standard cannot price the
       engagement, the current amount as imported.
    """
    first, last = month_bounds(month)
    qs = access.engagements_visible(user).filter(person__merged_into__isnull=True)
    if len(region) == 2:
        qs = qs.filter(province_id=region)
    elif region:
        qs = qs.filter(regency_id=region)
    qs = qs.filter(
        Q(start_date__isnull=True) | Q(start_date__lte=last),
        Q(end_date__isnull=True) | Q(end_date__gte=first),
        Q(status=Engagement.Status.ACTIVE) | Q(end_date__isnull=False),
    )
    engagements = list(
        qs.select_related("person", "programme", "regency").order_by(
            "regency_id", "programme__name", "person__full_name", "pk"
        )
    )
    person_ids = {e.person_id for e in engagements}
    holds: dict[int, list[str]] = defaultdict(list)
    for person_id, reason in Flag.objects.filter(
        person_id__in=person_ids, code__in=HOLD_CODES, resolved_at__isnull=True
    ).values_list("person_id", "reason"):
        holds[person_id].append(reason)
    adopted = {
        a.programme_id
        for a in Adoption.objects.filter(effective_month__lte=first).only("programme_id")
    }
    calc = calculator(on=first, facts_provider=facts_provider)
    show_payment = incentive_access.sees_payment_details(user)
    show_nik = access.sees_nik(user)
    lines, held = [], []
    for e in engagements:
        person = e.person
        nik = person.nik if show_nik else mask_nik(person.nik)
        if person.pk in holds:
            held.append(
                HeldOut(
                    engagement_uid=str(e.uid),
                    person_name=person.display_name,
                    nik=nik,
                    programme=e.programme.name,
                    regency_code=e.regency_id,
                    reasons=holds[person.pk],
                )
            )
            continue
        row = EngagementFacts(*(getattr(e, name) for name in FACT_FIELDS))
        standard, reason, _ = calc.evaluate(row)
        note = ""
        if e.programme_id in adopted and standard is not None:
            basis, amount = "standar", standard
        else:
            basis, amount = "saat ini", e.monthly_incentive or 0
            if e.programme_id in adopted:
                note = f"Standar tidak dapat dihitung: {calc_reason(reason)}"
        lines.append(
            RosterLine(
                engagement_uid=str(e.uid),
                person_name=person.display_name,
                nik=nik,
                programme=e.programme.name,
                regency_code=e.regency_id,
                regency_name=e.regency.name,
                level=ROMAN.get(e.position_level or e.harmonised_level or 0, ""),
                employment_status=e.get_employment_status_display(),
                basis=basis,
                amount=amount,
                current=e.monthly_incentive,
                standard=standard,
                bank_name=person.bank_name,
                bank_account=person.bank_account
                if show_payment
                else incentive_access.mask_tail(person.bank_account),
                npwp=person.npwp if show_payment else incentive_access.mask_tail(person.npwp, 3),
                note=note,
            )
        )
    return Roster(
        region=region,
        region_label=region_label(region),
        month=first,
        lines=lines,
        held_out=held,
        masked=not show_payment,
    )


def calc_reason(reason: str) -> str:
    from incentives.engine import REASONS

    return REASONS.get(reason, reason)
