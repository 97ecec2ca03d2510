"""Demo need, population, standards and caseloads for every real region, clearly labelled.

Generated, not measured: every dataset is marked ``is_demo`` and its source says so. The
figures are plausible in shape (kelurahan larger than desa, Java denser than Papua, need as a
share of population with noise) and deterministic for a given seed and region table. All
83,762 villages load in seconds: rows go in with COPY on PostgreSQL (executemany on SQLite).
"""

import datetime as dt
import json
import math
import random
import time
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from accounts.models import AuditEntry, User
from accounts.services import audit_record
from distribution import selectors, services
from distribution.models import (
    CaseloadRecord,
    NeedDataset,
    NeedFigure,
    PopulationFigure,
    RegionLevel,
    StaffingStandard,
)
from regions.models import District, Village
from registry.models import Engagement, Programme

DATA = Path(__file__).resolve().parent / "data"
DEMO_SOURCE = (
    "DATA CONTOH buatan Satu Pintu (bukan data resmi), dibangkitkan untuk semua desa/kelurahan "
    "idn-area-data 4.0.1"
)
# Indonesia's mid-2024 population projection (BPS, ~281.6 million): the demo total.
NATIONAL_POPULATION = 281_600_000
# Need as a share of population (households for PKH), before noise. Plausible orders of
# magnitude for a demo, not estimates.
NEED_RATES = {
    "lanjut-usia": 0.010,
    "disabilitas": 0.008,
    "anak": 0.004,
    "napza": 0.0008,
    "tuna-sosial-kpo": 0.0005,
    "pkh": 0.035,
}
# Mean village size relative to the national mean, by island group (first code digit):
# Java and Bali villages are large, Papua's small (Sensus Penduduk 2020 shows the contrast).
ISLAND_FACTOR = {"1": 0.9, "2": 0.9, "3": 2.2, "5": 1.2, "6": 0.8, "7": 0.8, "8": 0.6, "9": 0.25}
DEMO_CASELOAD_MONTHS = 3


def is_kelurahan(code: str) -> bool:
    # Kemendagri numbers kelurahan 1xxx and desa 2xxx within a district.
    return code[9] == "1"


def demo_standards_load(*, actor: User) -> int:
    items = json.loads((DATA / "standards_demo.json").read_text(encoding="utf-8"))
    return services.staffing_standards_load(actor=actor, items=items)


def demo_populations(rng: random.Random, villages: list[str]) -> list[int]:
    raw = []
    for code in villages:
        base = 3.0 if is_kelurahan(code) else 1.0
        raw.append(base * ISLAND_FACTOR.get(code[0], 1.0) * rng.lognormvariate(0, 0.55))
    scale = NATIONAL_POPULATION / sum(raw)
    return [max(50, round(value * scale)) for value in raw]


def _registry_scale(standards: dict[int, StaffingStandard], base_need: dict[str, int]) -> dict:
    """Per-cluster factors making national required ≈ 1.1 × active engagements, so that a
    small demo registry shows both surpluses and shortages instead of shortage everywhere."""
    actual = dict(
        Engagement.objects.filter(status=Engagement.Status.ACTIVE)
        .values_list("programme__slug")
        .annotate(n=Count("id"))
    )
    factors = {}
    for standard in standards.values():
        slug = standard.programme.slug
        need = base_need.get(slug)
        if not need or not standard.staff_per_unit:
            continue
        factors[slug] = max(actual.get(slug, 0), 1) * 1.1 / (need * standard.staff_per_unit)
    return factors


@transaction.atomic
def need_demo_seed(
    *,
    actor: User,
    seed: int = 2020,
    match_registry: bool = False,
    caseloads: bool = True,
    period: str = "2025",
    provinces: list[str] | None = None,
) -> dict[str, Any]:
    """Demo standards (if none are in force), population, need and caseloads; then aggregates.

    1. Standards: the labelled examples in distribution/data/standards_demo.json.
    2. Population per village, scaled to the national total.
    3. Need per village and cluster as a noisy share of population; TPP desa 1 per desa;
       TKSK 1 per district (a district-level dataset, to show mixed levels).
    4. Optionally rescaled to the registry (``match_registry``).
    5. Caseloads for the last months of every active engagement with a standard.

    ``provinces`` limits the villages (for quick benchmarks and small test databases).
    """
    services.require_national_writer(actor, "data contoh sebaran")
    started = time.monotonic()
    rng = random.Random(seed)
    if not StaffingStandard.objects.filter(is_current=True).exists():
        demo_standards_load(actor=actor)
    standards = selectors.current_standards()
    programmes = {p.slug: p for p in Programme.objects.all()}
    villages_qs = Village.objects.order_by("code")
    districts_qs = District.objects.order_by("code")
    if provinces:
        villages_qs = villages_qs.filter(district__regency__province_id__in=provinces)
        districts_qs = districts_qs.filter(regency__province_id__in=provinces)
    villages = list(villages_qs.values_list("code", flat=True))
    districts = list(districts_qs.values_list("code", flat=True))
    populations = demo_populations(rng, villages)

    # Need before scaling, so that matching the registry keeps the same regional pattern.
    noise = {slug: [rng.lognormvariate(0, 0.35) for _ in villages] for slug in NEED_RATES}
    base_need = {
        slug: sum(pop * rate * n for pop, n in zip(populations, noise[slug], strict=True))
        for slug, rate in NEED_RATES.items()
    }
    base_need["tpp-desa"] = sum(1 for code in villages if not is_kelurahan(code))
    factors = _registry_scale(standards, base_need) if match_registry else {}

    population = services.population_dataset_create(
        actor=actor,
        name="Penduduk per desa (contoh)",
        source=f"{DEMO_SOURCE}; total disetarakan ±281,6 juta (proyeksi BPS 2024)",
        period=period,
        level=RegionLevel.VILLAGE,
        is_demo=True,
    )
    population.row_count = services.copy_rows(
        PopulationFigure._meta.db_table,
        [
            "dataset_id",
            "province_code",
            "regency_code",
            "district_code",
            "village_code",
            "population",
        ],
        (
            (population.pk, code[:2], code[:5], code[:8], code, pop)
            for code, pop in zip(villages, populations, strict=True)
        ),
    )
    population.save(update_fields=["row_count"])

    village_slugs = [s for s in [*NEED_RATES, "tpp-desa"] if s in programmes]
    need = services.need_dataset_create(
        actor=actor,
        name="Kebutuhan per desa (contoh)",
        source=DEMO_SOURCE + "; kebutuhan = proporsi penduduk dengan derau acak",
        period=period,
        level=RegionLevel.VILLAGE,
        slugs=set(village_slugs),
        is_demo=True,
        note="Diskalakan ke registri." if match_registry else "",
    )

    def village_rows():
        for i, code in enumerate(villages):
            parts = (code[:2], code[:5], code[:8], code)
            for slug in village_slugs:
                if slug == "tpp-desa":
                    value = 0 if is_kelurahan(code) else 1
                else:
                    value = populations[i] * NEED_RATES[slug] * noise[slug][i]
                value = value * factors.get(slug, 1.0)
                value = math.floor(value + rng.random())  # unbiased rounding keeps totals
                if value:
                    yield (need.pk, programmes[slug].pk, *parts, value)

    need.row_count = services.copy_rows(
        NeedFigure._meta.db_table,
        [
            "dataset_id",
            "programme_id",
            "province_code",
            "regency_code",
            "district_code",
            "village_code",
            "value",
        ],
        village_rows(),
    )
    need.save(update_fields=["row_count"])
    tksk_rows = 0
    if "tksk" in programmes:
        tksk = services.need_dataset_create(
            actor=actor,
            name="Kebutuhan TKSK per kecamatan (contoh)",
            source=DEMO_SOURCE + "; satu kebutuhan TKSK per kecamatan (Permensos 28/2018)",
            period=period,
            level=RegionLevel.DISTRICT,
            slugs={"tksk"},
            is_demo=True,
        )
        tksk_rows = tksk.row_count = services.copy_rows(
            NeedFigure._meta.db_table,
            [
                "dataset_id",
                "programme_id",
                "province_code",
                "regency_code",
                "district_code",
                "village_code",
                "value",
            ],
            ((tksk.pk, programmes["tksk"].pk, c[:2], c[:5], c, "", 1) for c in districts),
        )
        tksk.save(update_fields=["row_count"])
    aggregates = services.aggregates_refresh()
    caseload_rows = caseload_demo_seed(actor=actor, seed=seed) if caseloads else 0
    counts = {
        "villages": len(villages),
        "population_rows": population.row_count,
        "need_rows": need.row_count + tksk_rows,
        "aggregate_rows": aggregates,
        "caseload_rows": caseload_rows,
        "scaled_to_registry": bool(factors),
        "seed": seed,
    }
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        object_type="distribution.demo",
        object_repr="Data contoh sebaran",
        changes=counts,
    )
    counts["seconds"] = round(time.monotonic() - started, 2)
    return counts


def caseload_demo_seed(
    *,
    actor: User,
    seed: int = 2020,
    months: int = DEMO_CASELOAD_MONTHS,
    today: dt.date | None = None,
) -> int:
    """Caseloads for the last ``months`` months of every active engagement with a standard.

    Each facilitator carries a steady load around their cluster's standard caseload (some far
    above, some far below, as reported in the field: PKH 250 ideal, up to 500-600 in practice).
    """
    rng = random.Random(seed + 1)
    standards = selectors.current_standards()
    caps = {pid: s.standard_caseload for pid, s in standards.items() if s.standard_caseload}
    end = (today or timezone.localdate()).replace(day=1)
    periods = []
    for back in range(months, 0, -1):
        year, month = divmod(end.month - 1 - back, 12)
        periods.append(dt.date(end.year + year, month + 1, 1))
    # Read fully before writing: COPY holds the connection, so no cursor may stay open.
    engagements = list(
        Engagement.objects.filter(status=Engagement.Status.ACTIVE, programme_id__in=list(caps))
        .order_by("pk")
        .values_list("pk", "programme_id")
    )
    CaseloadRecord.objects.filter(source=CaseloadRecord.Source.DEMO).delete()
    now = dt.datetime.now(dt.UTC)

    def rows():
        for pk, programme_id in engagements:
            level = rng.lognormvariate(0, 0.35) * caps[programme_id]
            for period in periods:
                cases = max(0, round(level * rng.uniform(0.92, 1.08)))
                yield (pk, period, cases, CaseloadRecord.Source.DEMO, now, now)

    return services.copy_rows(
        CaseloadRecord._meta.db_table,
        ["engagement_id", "period", "cases", "source", "created_at", "updated_at"],
        rows(),
    )


def demo_exists() -> bool:
    return NeedDataset.objects.exists()
