"""Which standard applies on a day: index and scales in force, snapshots, the calculator."""

import datetime as dt
from collections import defaultdict
from collections.abc import Callable

from django.db.models import Q
from django.utils import timezone

from incentives.engine import Calculator, Rule, ScaleSnapshot, to_e2, to_e4
from incentives.facts import FactsProvider, facts_on
from incentives.models import AreaDesignation, Purpose, RegionalIndex, Scale, Scenario, State


def today() -> dt.date:
    return timezone.localdate()


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
