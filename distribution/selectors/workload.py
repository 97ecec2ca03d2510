"""Caseloads and workload per child region and cluster, in aggregate."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Case, Count, IntegerField, Max, Q, Sum, Value, When
from django.utils.translation import gettext

from accounts.models import User
from distribution.models import CaseloadRecord, RegionLevel
from distribution.selectors.reports import num
from distribution.selectors.scope import (
    ENGAGEMENT_FIELD,
    LEVEL_LABEL,
    NATION,
    RegionRef,
    Scope,
    current_standards,
    programmes_in,
    region_get,
    scope_for,
)
from distribution.selectors.sources import region_names
from registry.models import Engagement

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
    names = region_names(child_level, region)
    table = []
    totals = {p.pk: Load() for p in programmes}
    for code_, name in list(names.items()) + [("", gettext("Tanpa kecamatan"))]:
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
                num(load.mean_cases, 2),
                num(load.standard_caseload, 2),
                num(load.workload_index),
                load.overloaded,
                load.underloaded,
                load.max_cases,
                *load.histogram,
            ]
        )
    return out
