"""Reads for distribution: actual against required per region and cluster, scoped to the user.

Everything here is set-based: a handful of GROUP BY queries per page whatever the number of
regions or facilitators (see bench/bench_distribution.py). Figures are aggregates only; no
function here returns a person.

Roll-ups add up by construction: required is kept fractional, and where a parent holds
something its children cannot (need reported only for the regency, engagements without a
district, a WISN individual allowance per regency) it appears as a "remainder" row, so the
children of every region always sum to the region.
"""

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import FieldError, PermissionDenied, ValidationError
from django.db.models import Case, Count, IntegerField, Max, Q, Sum, Value, When
from django.http import Http404
from django.utils import timezone

from accounts import access
from accounts.models import Role, User
from distribution.models import (
    ActualAggregate,
    AggregateState,
    BreakdownAggregate,
    CaseloadRecord,
    DistributionSnapshot,
    NeedDataset,
    NeedFigure,
    PersonAggregate,
    PopulationDataset,
    PopulationFigure,
    RegionAggregate,
    RegionLevel,
    SnapshotRow,
    StaffingStandard,
    WisnActivity,
)
from regions.models import District, Province, Regency, Village
from registry.models import ROMAN, EmploymentStatus, Engagement, Programme

NATION = "nasional"
NATION_CODE = "ID"  # ISO 3166 code of Indonesia: Kemendagri has no code for the nation
LEVELS = [
    NATION,
    RegionLevel.PROVINCE,
    RegionLevel.REGENCY,
    RegionLevel.DISTRICT,
    RegionLevel.VILLAGE,
]
RANK = {level: i for i, level in enumerate(LEVELS)}
CHILD = {LEVELS[i]: LEVELS[i + 1] for i in range(len(LEVELS) - 1)}
LEVEL_LABEL = {
    NATION: "Nasional",
    RegionLevel.PROVINCE: "Provinsi",
    RegionLevel.REGENCY: "Kabupaten/kota",
    RegionLevel.DISTRICT: "Kecamatan",
    RegionLevel.VILLAGE: "Desa/kelurahan",
}
REMAINDER_LABEL = {
    RegionLevel.DISTRICT: "Tingkat kabupaten/kota (tanpa kecamatan)",
    RegionLevel.VILLAGE: "Tingkat kecamatan (tanpa desa/kelurahan)",
}
MODELS = {
    RegionLevel.PROVINCE: Province,
    RegionLevel.REGENCY: Regency,
    RegionLevel.DISTRICT: District,
    RegionLevel.VILLAGE: Village,
}
ENGAGEMENT_FIELD = {
    RegionLevel.PROVINCE: "province_id",
    RegionLevel.REGENCY: "regency_id",
    RegionLevel.DISTRICT: "district_id",
    RegionLevel.VILLAGE: "village_id",
}
PARENT_FIELD = {
    RegionLevel.PROVINCE: None,
    RegionLevel.REGENCY: "province_id",
    RegionLevel.DISTRICT: "regency_id",
    RegionLevel.VILLAGE: "district_id",
}
PARENT_LEVEL = {
    RegionLevel.PROVINCE: NATION,
    RegionLevel.REGENCY: RegionLevel.PROVINCE,
    RegionLevel.DISTRICT: RegionLevel.REGENCY,
    RegionLevel.VILLAGE: RegionLevel.DISTRICT,
}
EPS = 1e-6


# --------------------------------------------------------------------------------------
# Scope


@dataclass(frozen=True)
class Scope:
    """What a user may see here: actual counts through accounts.access, need by region."""

    engagement_q: Q
    province: str | None
    regency: str | None
    programme_ids: frozenset[int] | None

    @property
    def home_code(self) -> str:
        return self.regency or self.province or ""

    def covers(self, code: str) -> bool:
        home = self.home_code
        return not home or code == home or code.startswith(home + ".")


def scope_for(user: User) -> Scope:
    """The user's distribution scope, or PermissionDenied.

    Actual counts use access.engagement_scope(user) unchanged. Need and population are
    aggregates of a region, so they follow the same region (province or regency) and
    clusters. A facilitator's scope is their own record, not an area, so aggregates of an
    area are not theirs to see.
    """
    q = access.engagement_scope(user)
    allowed = access.can_read(user) and user.role != Role.FACILITATOR and q != access.NOTHING
    if not allowed:
        raise PermissionDenied("Peran Anda tidak dapat melihat sebaran pendamping.")
    return Scope(
        engagement_q=q,
        province=user.scope_province_id or (user.scope_regency_id or "")[:2] or None,
        regency=user.scope_regency_id or None,
        programme_ids=access.programme_ids(user),
    )


def national_scope() -> Scope:
    """Everything, for jobs that compute on behalf of the system (snapshots, benchmarks)."""
    return Scope(engagement_q=Q(), province=None, regency=None, programme_ids=None)


def programmes_in(scope: Scope, cluster: str = "") -> list[Programme]:
    qs = Programme.objects.order_by("kind", "name")
    if scope.programme_ids is not None:
        qs = qs.filter(pk__in=scope.programme_ids)
    if cluster:
        qs = qs.filter(slug=cluster)
        if not qs.exists():
            raise Http404("Klaster/program tidak ditemukan.")
    return list(qs)


def current_standards() -> dict[int, StaffingStandard]:
    return {
        s.programme_id: s
        for s in StaffingStandard.objects.filter(is_current=True).select_related("programme")
    }


# --------------------------------------------------------------------------------------
# Regions


@dataclass(frozen=True)
class RegionRef:
    level: str
    code: str
    name: str
    parents: tuple["RegionRef", ...] = ()

    @property
    def child_level(self) -> str | None:
        return CHILD.get(self.level)

    @property
    def level_label(self) -> str:
        return LEVEL_LABEL[self.level]

    @property
    def export_code(self) -> str:
        return self.code or NATION_CODE


def _level_of(code: str) -> str | None:
    return {2: RegionLevel.PROVINCE, 5: RegionLevel.REGENCY, 8: RegionLevel.DISTRICT}.get(len(code))


def region_get(scope: Scope, code: str) -> RegionRef:
    """The region with this code if inside the scope, else 404. ``""`` is the user's home
    region: the nation for national users."""
    code = (code or "").strip() or scope.home_code  # no code: the user's own region
    nation = RegionRef(NATION, "", "Indonesia")
    if not code:
        return nation
    level = _level_of(code)
    if level is None or not scope.covers(code):
        raise Http404("Wilayah tidak ditemukan.")
    parents = [nation]
    for length, parent_level in [(2, RegionLevel.PROVINCE), (5, RegionLevel.REGENCY)]:
        if len(code) > length:
            parent_code = code[:length]
            name = (
                MODELS[parent_level].objects.filter(pk=parent_code).values_list("name", flat=True)
            )
            if not name:
                raise Http404("Wilayah tidak ditemukan.")
            parents.append(RegionRef(parent_level, parent_code, name[0]))
    name = MODELS[level].objects.filter(pk=code).values_list("name", flat=True).first()
    if name is None:
        raise Http404("Wilayah tidak ditemukan.")
    # Breadcrumbs stop at the scope's home: a regency operator has no province page.
    visible = tuple(
        p for p in parents if scope.covers(p.code) or not p.code and not scope.home_code
    )
    return RegionRef(level, code, name, visible)


def home_region(scope: Scope) -> RegionRef:
    return region_get(scope, scope.home_code)


# --------------------------------------------------------------------------------------
# Figures


@dataclass
class Figures:
    """Actual against required for one region (and one cluster, or all clusters)."""

    need: int = 0
    actual: int = 0
    required: float | None = None
    population: int | None = None
    # Actual of the clusters that have a standard: the numerator of a WISN ratio over
    # several clusters (a cluster without a standard has no required to compare with).
    actual_standard: int = 0

    @property
    def wisn_difference(self) -> float | None:
        return None if self.required is None else self.actual_standard - self.required

    @property
    def wisn_ratio(self) -> float | None:
        if self.required is None or self.required <= EPS:
            return None
        return self.actual_standard / self.required

    @property
    def density_per_10k(self) -> float | None:
        return self.actual * 10_000 / self.population if self.population else None

    def add(self, other: "Figures") -> None:
        self.need += other.need
        self.actual += other.actual
        self.actual_standard += other.actual_standard
        if other.required is not None:
            self.required = (self.required or 0.0) + other.required


@dataclass
class RegionRow:
    level: str
    code: str
    name: str
    is_remainder: bool = False
    cells: dict[int, Figures] = field(default_factory=dict)
    population: int | None = None

    @property
    def total(self) -> Figures:
        total = Figures(population=self.population)
        for cell in self.cells.values():
            total.add(cell)
        return total

    @property
    def export_code(self) -> str:
        return self.code or NATION_CODE

    @property
    def drillable(self) -> bool:
        return not self.is_remainder and self.level in (
            RegionLevel.PROVINCE,
            RegionLevel.REGENCY,
            RegionLevel.DISTRICT,
        )

    def cell(self, programme_id: int) -> Figures:
        return self.cells.get(programme_id) or Figures(population=self.population)


def required_for(
    standard: StaffingStandard | None, *, level: str, need: float, districts: int, regencies: int
) -> float | None:
    """Required facilitators (fractional) for a region at ``level``.

    The individual allowance belongs to each district or regency with need; it is counted
    at that level and above, and below it sits in the parent's remainder row.
    """
    if standard is None:
        return None
    required = standard.staff_per_unit * need
    if standard.individual_allowance_fte and RANK[level] <= RANK[standard.allowance_level]:
        units = districts if standard.allowance_level == RegionLevel.DISTRICT else regencies
        required += standard.individual_allowance_fte * units
    return required


def _within_engagements(within: RegionRef) -> Q:
    if within.level == NATION:
        return Q()
    return Q(**{ENGAGEMENT_FIELD[within.level]: within.code})


def _within_codes(within: RegionRef, level: str) -> Q:
    """Aggregate rows at ``level`` inside ``within`` (codes are hierarchical prefixes)."""
    if within.level == NATION:
        return Q()
    if within.level == level:
        return Q(code=within.code)
    if PARENT_LEVEL.get(level) == within.level:
        return Q(parent_code=within.code)  # direct children: an exact, indexed match
    return Q(code__startswith=within.code + ".")


def _names(level: str, within: RegionRef) -> dict[str, str]:
    qs = MODELS[level].objects.all()
    if within.level == level:
        qs = qs.filter(pk=within.code)
    elif within.level != NATION:
        qs = qs.filter(code__startswith=within.code + ".")
    return dict(qs.order_by("code").values_list("code", "name"))


def current_need_q() -> Q:
    """Need figures in force: per current dataset, the clusters it still covers."""
    q = Q(pk__in=[])
    programme_ids = dict(Programme.objects.values_list("slug", "pk"))
    for dataset in NeedDataset.objects.filter(is_current=True).only("pk", "current_programmes"):
        ids = [programme_ids[s] for s in dataset.current_programmes if s in programme_ids]
        if ids:
            q |= Q(dataset_id=dataset.pk, programme_id__in=ids)
    return q


def _need_and_population(level: str, within: RegionRef, programme_ids: list[int]):
    """({(code, programme): (need, districts, regencies)}, {code: population}) at a level."""
    need: dict[tuple[str, int], tuple[int, int, int]] = {}
    population: dict[str, int] = {}
    if level == RegionLevel.VILLAGE:
        figures = (
            NeedFigure.objects.filter(current_need_q(), district_code=within.code)
            .filter(programme_id__in=programme_ids)
            .exclude(village_code="")
            .values("village_code", "programme_id")
            .annotate(total=Sum("value"))
            .order_by()
        )
        for f in figures:
            need[(f["village_code"], f["programme_id"])] = (f["total"] or 0, 0, 0)
        people = (
            PopulationFigure.objects.filter(dataset__is_current=True, district_code=within.code)
            .exclude(village_code="")
            .values_list("village_code", "population")
        )
        population = dict(people)
        return need, population
    rows = RegionAggregate.objects.filter(_within_codes(within, level), level=level).filter(
        Q(programme_id__in=programme_ids) | Q(programme__isnull=True)
    )
    for code, programme_id, total, districts, regencies, people in rows.values_list(
        "code", "programme_id", "need", "need_districts", "need_regencies", "population"
    ):
        if programme_id is None:
            population[code] = people
        else:
            need[(code, programme_id)] = (total, districts, regencies)
    return need, population


# The engagement count caches are read only when rebuilt this recently; older, the selectors
# count live, so a stopped refresh job makes pages slower, never wrong by more than this.
AGGREGATE_MAX_AGE = dt.timedelta(minutes=30)


def aggregates_as_of() -> dt.datetime | None:
    """When the engagement count caches were rebuilt, if recently enough to be used."""
    state = AggregateState.objects.filter(name="actual").values_list("refreshed_at", flat=True)
    refreshed = state.first()
    if refreshed is None or refreshed < timezone.now() - AGGREGATE_MAX_AGE:
        return None
    return refreshed


def _grouped(qs, keys: list[str], count) -> list[dict]:
    return list(qs.values(*keys, "programme_id").annotate(n=count).order_by())


def _actual(scope: Scope, level: str, within: RegionRef, programme_ids: list[int]):
    """{(code or None, parent code, programme): active engagements} in one GROUP BY.

    From ActualAggregate when it is fresh and the access filter applies to it (its columns
    are named as Engagement's); else from the registry itself. Villages are always live.
    """
    field_name = ENGAGEMENT_FIELD[level]
    parent = PARENT_FIELD[level]
    keys = [field_name] + ([parent] if parent else [])
    filters = [scope.engagement_q, _within_engagements(within)]
    active = {"status": Engagement.Status.ACTIVE, "programme_id__in": programme_ids}
    grouped = None
    if level != RegionLevel.VILLAGE and aggregates_as_of() is not None:
        try:
            grain = (
                ActualAggregate.Grain.DISTRICT
                if level == RegionLevel.DISTRICT or within.level == RegionLevel.DISTRICT
                else ActualAggregate.Grain.REGENCY
            )
            qs = ActualAggregate.objects.filter(*filters).filter(grain=grain, **active)
            grouped = _grouped(qs, keys, Sum("engagements"))
        except FieldError:
            grouped = None  # the access filter names a column the cache does not have
    if grouped is None:
        qs = Engagement.objects.filter(*filters).filter(**active)
        grouped = _grouped(qs, keys, Count("id"))
    return {
        (g[field_name], g[parent] if parent else None, g["programme_id"]): g["n"] for g in grouped
    }


def level_rows(
    *,
    scope: Scope,
    level: str,
    within: RegionRef | None = None,
    programmes: list[Programme] | None = None,
    standards: dict[int, StaffingStandard] | None = None,
) -> list[RegionRow]:
    """Every region at ``level`` inside ``within`` (default: the scope's home), with remainders.

    Steps:
    1. Active engagements grouped by region and cluster (engagements without a region at
       this level fall to their parent's remainder).
    2. Need and population from the precomputed aggregates (villages: from the figures).
    3. Required from the standards in force.
    4. Per parent, remainder = parent − Σ children, kept only when it is not zero.
    """
    within = within or home_region(scope)
    programmes = programmes if programmes is not None else programmes_in(scope)
    standards = standards if standards is not None else current_standards()
    ids = [p.pk for p in programmes]
    if level == NATION:
        if within.level != NATION:
            raise ValidationError(f"Tingkat nasional berada di atas cakupan Anda ({within.name}).")
        rows = level_rows(
            scope=scope,
            level=RegionLevel.PROVINCE,
            within=within,
            programmes=programmes,
            standards=standards,
        )
        nation = RegionRow(level=NATION, code="", name="Indonesia", population=None)
        for row in rows:
            _merge(nation, row)
        return [nation]
    if RANK[level] < RANK[within.level]:
        raise ValidationError(
            f"Tingkat {LEVEL_LABEL[level].lower()} berada di atas cakupan Anda "
            f"({within.name}); pilih tingkat {LEVEL_LABEL[within.level].lower()} atau di bawahnya."
        )
    if level == RegionLevel.VILLAGE and within.level != RegionLevel.DISTRICT:
        raise ValidationError("Rincian desa/kelurahan hanya tersedia per kecamatan.")

    names = _names(level, within)
    actual = _actual(scope, level, within, ids)
    need, population = _need_and_population(level, within, ids)
    rows: dict[str, RegionRow] = {
        code: RegionRow(level=level, code=code, name=name, population=population.get(code))
        for code, name in names.items()
    }
    for code, row in rows.items():
        for programme_id in ids:
            n, districts, regencies = need.get((code, programme_id), (0, 0, 0))
            row.cells[programme_id] = _figures(
                standards.get(programme_id),
                level=level,
                need=n,
                districts=districts,
                regencies=regencies,
                actual=0,
                population=row.population,
            )
    remainder_actual: dict[tuple[str, int], int] = defaultdict(int)
    for (code, parent, programme_id), n in actual.items():
        if code is None:
            if parent is not None:
                remainder_actual[(parent, programme_id)] += n
            continue
        row = rows.get(code)
        if row is not None:
            row.cells[programme_id].actual += n
            if programme_id in standards:
                row.cells[programme_id].actual_standard += n

    out = list(rows.values())
    if level in (RegionLevel.DISTRICT, RegionLevel.VILLAGE):
        out = _with_remainders(out, level, within, ids, standards, remainder_actual)
    return out


def _figures(standard, *, level, need, districts, regencies, actual, population) -> Figures:
    return Figures(
        need=need,
        actual=actual,
        actual_standard=actual if standard is not None else 0,
        required=required_for(
            standard, level=level, need=need, districts=districts, regencies=regencies
        ),
        population=population,
    )


def _merge(target: RegionRow, row: RegionRow) -> None:
    for programme_id, cell in row.cells.items():
        mine = target.cells.setdefault(programme_id, Figures())
        mine.add(cell)
    if row.population is not None:
        target.population = (target.population or 0) + row.population
    for cell in target.cells.values():
        cell.population = target.population


def _with_remainders(rows, level, within, ids, standards, remainder_actual) -> list[RegionRow]:
    """Add, after each parent's children, the part of the parent no child holds."""
    parent_level = PARENT_LEVEL[level]
    parent_need, parent_population = _need_and_population(parent_level, within, ids)
    parent_names = _names(parent_level, within)
    children: dict[str, list[RegionRow]] = defaultdict(list)
    for row in rows:
        children[row.code[:5] if level == RegionLevel.DISTRICT else row.code[:8]].append(row)
    out: list[RegionRow] = []
    for parent_code, parent_name in parent_names.items():
        kids = children.get(parent_code, [])
        out.extend(kids)
        pop_parent = parent_population.get(parent_code)
        pop_kids = sum(k.population or 0 for k in kids)
        rest = RegionRow(
            level=level,
            code=parent_code,
            name=f"{parent_name} — {REMAINDER_LABEL[level]}",
            is_remainder=True,
            population=(pop_parent - pop_kids) if pop_parent is not None else None,
        )
        keep = bool(rest.population)
        for programme_id in ids:
            n, districts, regencies = parent_need.get((parent_code, programme_id), (0, 0, 0))
            standard = standards.get(programme_id)
            parent_required = required_for(
                standard, level=parent_level, need=n, districts=districts, regencies=regencies
            )
            kid_need = sum(k.cells[programme_id].need for k in kids)
            kid_required = sum(k.cells[programme_id].required or 0 for k in kids)
            actual = remainder_actual.get((parent_code, programme_id), 0)
            cell = Figures(
                need=n - kid_need,
                actual=actual,
                actual_standard=actual if standard is not None else 0,
                required=None if parent_required is None else parent_required - kid_required,
                population=rest.population,
            )
            if cell.required is not None and abs(cell.required) < EPS:
                cell.required = 0.0
            rest.cells[programme_id] = cell
            keep = keep or bool(cell.need or cell.actual or (cell.required or 0) > EPS)
        if keep:
            out.append(rest)
    return out


# --------------------------------------------------------------------------------------
# Dashboard pieces


def region_total(rows: list[RegionRow], region: RegionRef) -> RegionRow:
    total = RegionRow(level=region.level, code=region.code, name=region.name)
    for row in rows:
        _merge(total, row)
    return total


def engagement_breakdown(
    *, scope: Scope, region: RegionRef, programmes: list[Programme]
) -> dict[str, object]:
    """Counts by cluster x status, by harmonised level and by employment status, one query
    (from BreakdownAggregate for the nation and provinces while it is fresh)."""
    keys = ["programme_id", "status", "harmonised_level", "employment_status"]
    filters = [scope.engagement_q, _within_engagements(region)]
    ids = [p.pk for p in programmes]
    grouped = None
    if region.level in (NATION, RegionLevel.PROVINCE) and aggregates_as_of() is not None:
        try:
            grouped = list(
                BreakdownAggregate.objects.filter(*filters, programme_id__in=ids)
                .values(*keys)
                .annotate(n=Sum("engagements"))
                .order_by()
            )
        except FieldError:
            grouped = None
    if grouped is None:
        grouped = list(
            Engagement.objects.filter(*filters, programme_id__in=ids)
            .values(*keys)
            .annotate(n=Count("id"))
            .order_by()
        )
    by_status: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    by_level: dict[str, int] = defaultdict(int)
    by_employment: dict[str, int] = defaultdict(int)
    for g in grouped:
        by_status[g["programme_id"]][g["status"]] += g["n"]
        if g["status"] == Engagement.Status.ACTIVE:
            by_level[ROMAN.get(g["harmonised_level"] or 0, "") or "belum"] += g["n"]
            by_employment[g["employment_status"]] += g["n"]
    levels = [(roman, by_level.get(roman, 0)) for roman in ROMAN.values() if roman in by_level]
    if by_level.get("belum"):
        levels.append(("Belum diharmonisasi", by_level["belum"]))
    labels = dict(EmploymentStatus.choices)
    return {
        "status": [
            {
                "programme": p,
                "active": by_status[p.pk].get(Engagement.Status.ACTIVE, 0),
                "ended": by_status[p.pk].get(Engagement.Status.ENDED, 0),
            }
            for p in programmes
        ],
        "levels": levels,
        "employment": [(labels.get(k, k), v) for k, v in sorted(by_employment.items())],
    }


def person_totals(*, scope: Scope, region: RegionRef, programmes: list[Programme]) -> dict:
    """Distinct people behind the active engagements (a person in two clusters counts once).

    People cannot be added up across clusters or regions, so the cache holds exactly the
    combinations the dashboard shows: nation or province, all clusters or one.
    """
    all_programmes = scope.programme_ids is None and len(programmes) == Programme.objects.count()
    cacheable = (
        region.level in (NATION, RegionLevel.PROVINCE)
        and not scope.regency
        and (all_programmes or len(programmes) == 1)
        and aggregates_as_of() is not None
    )
    if cacheable:
        row = (
            PersonAggregate.objects.filter(
                province_id=region.code,
                programme_id=None if all_programmes else programmes[0].pk,
            )
            .values("people", "engagements")
            .first()
        )
        return row or {"people": 0, "engagements": 0}
    totals = (
        Engagement.objects.filter(scope.engagement_q, _within_engagements(region))
        .filter(status=Engagement.Status.ACTIVE, programme_id__in=[p.pk for p in programmes])
        .aggregate(engagements=Count("id"), people=Count("person_id", distinct=True))
    )
    return totals


def top_shortages(
    rows: list[RegionRow], programmes: list[Programme], limit: int = 10
) -> list[dict]:
    items = []
    for row in rows:
        for programme in programmes:
            cell = row.cells.get(programme.pk)
            if cell is None or cell.wisn_difference is None or cell.wisn_difference > -EPS:
                continue
            items.append({"row": row, "programme": programme, "figures": cell})
    items.sort(key=lambda item: item["figures"].wisn_difference)
    return items[:limit]


RATIO_CLASSES = [
    (0.5, "r1", "< 0,5 (kekurangan berat)"),
    (0.8, "r2", "0,5–0,8"),
    (1.0, "r3", "0,8–1,0"),
    (1.2, "r4", "1,0–1,2 (memadai)"),
    (math.inf, "r5", "≥ 1,2 (kelebihan)"),
]


def ratio_class(ratio: float | None) -> str:
    if ratio is None:
        return "r0"
    for upper, css, _label in RATIO_CLASSES:
        if ratio < upper:
            return css
    return "r5"


# Tile-grid cartogram of the 38 provinces: roughly west to east, north to south; one equal
# tile each (no geometry ships with the region data, and area would hide small provinces).
PROVINCE_TILES: dict[str, tuple[int, int, str]] = {
    "11": (0, 0, "ACE"),
    "12": (1, 0, "SUT"),
    "21": (3, 0, "KEP"),
    "65": (7, 0, "KAU"),
    "71": (10, 0, "SLU"),
    "82": (12, 0, "MAU"),
    "13": (1, 1, "SUB"),
    "14": (2, 1, "RIA"),
    "61": (5, 1, "KAB"),
    "64": (7, 1, "KAT"),
    "75": (9, 1, "GOR"),
    "72": (10, 1, "SLT"),
    "92": (13, 1, "PAB"),
    "96": (12, 1, "PBD"),
    "17": (1, 2, "BEN"),
    "15": (2, 2, "JAM"),
    "19": (4, 2, "BAB"),
    "62": (6, 2, "KAH"),
    "63": (7, 2, "KAS"),
    "76": (8, 2, "SLB"),
    "73": (9, 2, "SLS"),
    "74": (10, 2, "SLG"),
    "81": (12, 2, "MAL"),
    "91": (14, 2, "PAP"),
    "94": (13, 2, "PPT"),
    "16": (2, 3, "SUS"),
    "18": (3, 3, "LAM"),
    "95": (14, 3, "PPP"),
    "93": (14, 4, "PPS"),
    "36": (3, 4, "BAN"),
    "31": (4, 4, "JKT"),
    "32": (5, 4, "JBR"),
    "33": (6, 4, "JTG"),
    "35": (7, 4, "JTM"),
    "34": (6, 5, "YOG"),
    "51": (8, 5, "BAL"),
    "52": (9, 5, "NTB"),
    "53": (10, 5, "NTT"),
}


def cartogram(
    rows: list[RegionRow], region: RegionRef, programme: Programme | None
) -> dict[str, object]:
    """Tiles coloured by WISN ratio: the provinces on a fixed grid, or the children of a region
    in code order (no coordinates exist for them, so the layout says nothing about position)."""
    tiles = []
    regions = [r for r in rows if not r.is_remainder]
    geographic = region.level == NATION
    width = 15 if geographic else max(4, math.ceil(math.sqrt(len(regions) * 1.6)))
    for index, row in enumerate(regions):
        figures = row.cell(programme.pk) if programme else row.total
        if geographic and row.code in PROVINCE_TILES:
            col, line, abbr = PROVINCE_TILES[row.code]
        else:
            col, line = index % width, index // width
            abbr = row.code[-2:]
        tiles.append(
            {
                "row": row,
                "col": col + 1,
                "line": line + 1,
                "abbr": abbr,
                "ratio": figures.wisn_ratio,
                "css": ratio_class(figures.wisn_ratio),
            }
        )
    return {
        "tiles": tiles,
        "columns": width,
        "geographic": geographic,
        "legend": [("r0", "tanpa standar/kebutuhan")]
        + [(c, label) for _u, c, label in RATIO_CLASSES],
    }


def trend(*, scope: Scope, region: RegionRef, programmes: list[Programme]) -> list[dict]:
    """Actual and required per snapshot for this region and the clusters in view."""
    grouped = (
        SnapshotRow.objects.filter(
            region_code=region.code, programme_id__in=[p.pk for p in programmes]
        )
        .values("snapshot_id", "snapshot__period", "snapshot__taken_at")
        .annotate(
            sum_actual=Sum("actual"),
            sum_actual_standard=Sum("actual", filter=Q(required__isnull=False)),
            sum_required=Sum("required"),
        )
        .order_by("snapshot__period", "snapshot__taken_at")
    )
    out = []
    for g in grouped:
        required = g["sum_required"]
        out.append(
            {
                "period": g["snapshot__period"],
                "taken_at": g["snapshot__taken_at"],
                "actual": g["sum_actual"] or 0,
                "required": required,
                "wisn_ratio": (g["sum_actual_standard"] or 0) / required if required else None,
            }
        )
    return out


def datasets_in_force() -> dict[str, object]:
    return {
        "need": list(NeedDataset.objects.filter(is_current=True).order_by("name")),
        "population": PopulationDataset.objects.filter(is_current=True).first(),
        "snapshots": DistributionSnapshot.objects.count(),
    }


def dataset_overview(*, user: User) -> dict[str, object]:
    scope_for(user)
    return {
        "need": list(NeedDataset.objects.select_related("superseded_by", "created_by")[:200]),
        "population": list(PopulationDataset.objects.select_related("created_by")[:50]),
        "snapshots": list(DistributionSnapshot.objects.all()[:24]),
    }


def dashboard(*, user: User, code: str = "", cluster: str = "") -> dict[str, object]:
    """Everything the dashboard of one region shows, scoped to the user."""
    scope = scope_for(user)
    region = region_get(scope, code)
    all_programmes = programmes_in(scope)
    programme = programmes_in(scope, cluster)[0] if cluster else None
    shown = [programme] if programme else all_programmes
    standards = current_standards()
    child_level = region.child_level
    rows = level_rows(
        scope=scope,
        level=child_level,
        within=region,
        programmes=all_programmes,
        standards=standards,
    )
    total = region_total(rows, region)
    return {
        "region": region,
        "child_level": child_level,
        "child_label": LEVEL_LABEL[child_level],
        "programme": programme,
        "programmes": all_programmes,
        "shown": shown,
        "standards": standards,
        "rows": rows,
        "total": total,
        "focus": total.cell(programme.pk) if programme else total.total,
        "breakdown": engagement_breakdown(scope=scope, region=region, programmes=shown),
        "persons": person_totals(scope=scope, region=region, programmes=shown),
        "shortages": top_shortages(rows, shown),
        "cartogram": cartogram(rows, region, programme),
        "trend": trend(scope=scope, region=region, programmes=shown),
        "datasets": datasets_in_force(),
        "actual_as_of": aggregates_as_of(),
    }


# --------------------------------------------------------------------------------------
# Report (one row per region and cluster)

REPORT_COLUMNS = [
    "region_code",
    "region_name",
    "region_level",
    "cluster",
    "need",
    "actual",
    "required",
    "wisn_difference",
    "wisn_ratio",
    "population",
    "density_per_10k",
    "standard",
]
REPORT_LEVELS = [NATION, RegionLevel.PROVINCE, RegionLevel.REGENCY, RegionLevel.DISTRICT]


def _num(value: float | None, places: int = 4) -> float | str:
    return "" if value is None else round(value, places)


def report_rows(*, user: User, level: str, cluster: str = "") -> list[list]:
    """Rows of REPORT_COLUMNS for every region at ``level`` in the user's scope and cluster.

    A remainder row (e.g. facilitators without a district) keeps its parent's code with
    region_level "<level>_sisa", so that the rows of a level still add up to their parents.
    """
    if level not in REPORT_LEVELS:
        raise ValidationError("Tingkat harus salah satu dari: nation, province, regency, district.")
    scope = scope_for(user)
    programmes = programmes_in(scope, cluster)
    standards = current_standards()
    rows = level_rows(
        scope=scope,
        level=level,
        within=home_region(scope),
        programmes=programmes,
        standards=standards,
    )
    return report_lines(rows, programmes, standards)


def report_lines(
    rows: list[RegionRow], programmes: list[Programme], standards: dict[int, StaffingStandard]
) -> list[list]:
    out = []
    for row in rows:
        for programme in programmes:
            cell = row.cell(programme.pk)
            standard = standards.get(programme.pk)
            out.append(
                [
                    row.export_code,
                    row.name,
                    f"{row.level}_sisa" if row.is_remainder else row.level,
                    programme.slug,
                    cell.need,
                    cell.actual,
                    _num(cell.required),
                    _num(cell.wisn_difference),
                    _num(cell.wisn_ratio),
                    "" if row.population is None else row.population,
                    _num(cell.density_per_10k),
                    standard.name if standard else "",
                ]
            )
    return out


TREND_COLUMNS = ["region_code", "period", "actual", "required", "wisn_ratio"]


def trend_lines(region: RegionRef, items: list[dict]) -> list[list]:
    return [
        [
            region.export_code,
            item["period"].isoformat()[:7],
            item["actual"],
            _num(item["required"]),
            _num(item["wisn_ratio"]),
        ]
        for item in items
    ]


# --------------------------------------------------------------------------------------
# Workload

LOAD_EDGES = [0.5, 0.8, 1.0, 1.2, 1.5, 2.0]
LOAD_BUCKETS = ["< 0,5", "0,5–0,8", "0,8–1,0", "1,0–1,2", "1,2–1,5", "1,5–2,0", "≥ 2,0"]


@dataclass
class Load:
    """Caseloads of the facilitators of one cluster in one region, in aggregate."""

    reporting: int = 0
    cases: int = 0
    max_cases: int = 0
    overloaded: int = 0
    underloaded: int = 0
    histogram: list[int] = field(default_factory=lambda: [0] * len(LOAD_BUCKETS))
    standard_caseload: float | None = None

    @property
    def mean_cases(self) -> float | None:
        return self.cases / self.reporting if self.reporting else None

    @property
    def workload_index(self) -> float | None:
        """Mean caseload against the standard caseload (1.0 = exactly the standard)."""
        if self.mean_cases is None or not self.standard_caseload:
            return None
        return self.mean_cases / self.standard_caseload

    def add(self, other: "Load") -> None:
        self.reporting += other.reporting
        self.cases += other.cases
        self.max_cases = max(self.max_cases, other.max_cases)
        self.overloaded += other.overloaded
        self.underloaded += other.underloaded
        self.histogram = [a + b for a, b in zip(self.histogram, other.histogram, strict=True)]


def latest_caseload_period(scope: Scope, region: RegionRef) -> dt.date | None:
    return CaseloadRecord.objects.filter(
        access_q(scope, "engagement__"), _within_engagements_prefixed(region)
    ).aggregate(p=Max("period"))["p"]


def access_q(scope: Scope, prefix: str) -> Q:
    """The scope's engagement filter seen through a relation (e.g. from a caseload)."""
    if scope.engagement_q == Q():
        return Q()
    return Q(**{f"{prefix}pk__in": Engagement.objects.filter(scope.engagement_q).values("pk")})


def _within_engagements_prefixed(region: RegionRef) -> Q:
    if region.level == NATION:
        return Q()
    return Q(**{f"engagement__{ENGAGEMENT_FIELD[region.level]}": region.code})


def workload(
    *, user: User, code: str = "", cluster: str = "", period: dt.date | None = None
) -> dict[str, object]:
    """Caseload distribution per child region and cluster for one month, aggregates only.

    Each facilitator's workload index is their cases ÷ the standard caseload of their
    cluster (1 ÷ staff per unit of need); above the standard's overload index they are
    overloaded, below its underload index under-loaded. Computed in SQL with one CASE per
    cluster, so no caseload ever leaves the database one by one.
    """
    scope = scope_for(user)
    region = region_get(scope, code)
    programmes = programmes_in(scope, cluster)
    standards = current_standards()
    period = period or latest_caseload_period(scope, region)
    child_level = region.child_level
    if child_level == RegionLevel.VILLAGE:
        child_level = RegionLevel.DISTRICT
    field_name = ENGAGEMENT_FIELD[child_level]
    bucket_whens, flag_whens = [], []
    for programme in programmes:
        standard = standards.get(programme.pk)
        if standard is None or not standard.standard_caseload:
            continue
        cap = standard.standard_caseload
        for index, edge in enumerate(LOAD_EDGES):
            bucket_whens.append(
                When(engagement__programme_id=programme.pk, cases__lt=edge * cap, then=Value(index))
            )
        bucket_whens.append(
            When(engagement__programme_id=programme.pk, then=Value(len(LOAD_EDGES)))
        )
        flag_whens.append(
            When(
                engagement__programme_id=programme.pk,
                cases__gt=float(standard.overload_index) * cap,
                then=Value(1),
            )
        )
        flag_whens.append(
            When(
                engagement__programme_id=programme.pk,
                cases__lt=float(standard.underload_index) * cap,
                then=Value(-1),
            )
        )
    rows: dict[str, dict[int, Load]] = defaultdict(dict)
    if period is not None:
        grouped = (
            CaseloadRecord.objects.filter(
                access_q(scope, "engagement__"),
                _within_engagements_prefixed(region),
                period=period,
                engagement__status=Engagement.Status.ACTIVE,
                engagement__programme_id__in=[p.pk for p in programmes],
            )
            .annotate(
                bucket=Case(*bucket_whens, default=Value(-1), output_field=IntegerField()),
                flag=Case(*flag_whens, default=Value(0), output_field=IntegerField()),
            )
            .values(f"engagement__{field_name}", "engagement__programme_id", "bucket", "flag")
            .annotate(n=Count("id"), cases_sum=Sum("cases"), cases_max=Max("cases"))
            .order_by()
        )
        for g in grouped:
            code_ = g[f"engagement__{field_name}"] or ""
            pid = g["engagement__programme_id"]
            load = rows[code_].setdefault(pid, Load())
            load.reporting += g["n"]
            load.cases += g["cases_sum"] or 0
            load.max_cases = max(load.max_cases, g["cases_max"] or 0)
            if g["bucket"] >= 0:
                load.histogram[g["bucket"]] += g["n"]
            if g["flag"] == 1:
                load.overloaded += g["n"]
            elif g["flag"] == -1:
                load.underloaded += g["n"]
    names = _names(child_level, region)
    table = []
    totals = {p.pk: Load() for p in programmes}
    for code_, name in list(names.items()) + [("", "Tanpa kecamatan")]:
        loads = rows.get(code_)
        if not loads:
            continue
        for programme in programmes:
            load = loads.get(programme.pk)
            if load is None:
                continue
            standard = standards.get(programme.pk)
            load.standard_caseload = standard.standard_caseload if standard else None
            totals[programme.pk].add(load)
            table.append({"code": code_, "name": name, "programme": programme, "load": load})
    for programme in programmes:
        standard = standards.get(programme.pk)
        totals[programme.pk].standard_caseload = standard.standard_caseload if standard else None
    return {
        "region": region,
        "programmes": programmes,
        "programme": programmes[0] if cluster else None,
        "period": period,
        "child_label": LEVEL_LABEL[child_level],
        "rows": table,
        "totals": [(p, totals[p.pk]) for p in programmes if totals[p.pk].reporting],
        "buckets": LOAD_BUCKETS,
        "standards": standards,
    }


WORKLOAD_COLUMNS = [
    "region_code",
    "region_name",
    "cluster",
    "period",
    "facilitators_reporting",
    "total_cases",
    "mean_cases",
    "standard_caseload",
    "workload_index",
    "overloaded",
    "underloaded",
    "max_cases",
] + [f"index_{b}" for b in LOAD_BUCKETS]


def workload_export_rows(data: dict) -> list[list]:
    period = data["period"].isoformat()[:7] if data["period"] else ""
    out = []
    for item in data["rows"]:
        load: Load = item["load"]
        out.append(
            [
                item["code"],
                item["name"],
                item["programme"].slug,
                period,
                load.reporting,
                load.cases,
                _num(load.mean_cases, 2),
                _num(load.standard_caseload, 2),
                _num(load.workload_index),
                load.overloaded,
                load.underloaded,
                load.max_cases,
                *load.histogram,
            ]
        )
    return out


# --------------------------------------------------------------------------------------
# Standards


def wisn_steps(standard: StaffingStandard) -> dict[str, object]:
    """The intermediate WISN figures, for display and for checking by hand."""
    awt = standard.available_hours
    activities = list(standard.activities.all())
    service = [
        {
            "name": a.name,
            "times_per_case": float(a.times_per_case or 0),
            "minutes_each": float(a.minutes_each or 0),
            "standard_workload": awt * 60 / float(a.minutes_each) if a.minutes_each else None,
            "hours_per_case": float(a.times_per_case or 0) * float(a.minutes_each or 0) / 60,
        }
        for a in activities
        if a.kind == WisnActivity.Kind.SERVICE
    ]
    category = [
        {"name": a.name, "hours_per_year": float(a.hours_per_year or 0)}
        for a in activities
        if a.kind == WisnActivity.Kind.CATEGORY
    ]
    individual = [
        {
            "name": a.name,
            "hours_per_year": float(a.hours_per_year or 0),
            "staff_count": float(a.staff_count or 0),
        }
        for a in activities
        if a.kind == WisnActivity.Kind.INDIVIDUAL
    ]
    share = sum(c["hours_per_year"] for c in category) / awt if awt else 0.0
    return {
        "available_hours": awt,
        "services": service,
        "hours_per_case": sum(s["hours_per_case"] for s in service),
        "category": category,
        "category_share": share,
        "caf": 1 / (1 - share) if awt and share < 1 else None,
        "individual": individual,
        "iaf": standard.individual_allowance_fte,
        "staff_per_unit": standard.staff_per_unit,
        "standard_caseload": standard.standard_caseload,
    }


def standards_list(*, user: User) -> list[dict]:
    scope = scope_for(user)
    programmes = programmes_in(scope)
    standards = current_standards()
    return [
        {
            "programme": p,
            "standard": standards.get(p.pk),
            "steps": wisn_steps(standards[p.pk])
            if p.pk in standards and standards[p.pk].kind == StaffingStandard.Kind.WISN
            else None,
        }
        for p in programmes
    ]
