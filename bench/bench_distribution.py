"""Distribution dashboards on PostgreSQL: set-based GROUP BY selectors vs naive ORM loops.

Data: 500,000 active and ended engagements of 450,000 synthetic people (quick: 20,000) across
all 514 regencies, written with COPY, and the demo need and population for all 83,762
villages (quick: the villages of three provinces) from ``seed_need_demo``, plus one month of
caseloads. Measured in one run on one machine:

1. the national dashboard (``selectors.dashboard`` as the view calls it, and the page);
2. a province drill-down (Jawa Timur, the province with the most districts) and a regency;
3. the district-level report for the whole country, the national workload page, the
   redeployment optimisation for Jawa Timur, a snapshot and the aggregate refresh;
4. the baseline: the same dashboard figures by naive ORM loops (one COUNT and one Python
   sum over need figures per region and cluster). Measured on a sample of regions and
   scaled linearly to all of them, which the output says.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import statistics
import time
import uuid

from bench.common import django_setup

BENCH_URL = "postgres://postgres@127.0.0.1:5432/satupintu_bench"
FULL, QUICK = 500_000, 20_000
QUICK_PROVINCES = ["11", "32", "35"]
REPEAT = 5
GOAL_NATION_MS, GOAL_PROVINCE_MS = 300, 200
# Programme shares of engagements: PKH is by far the largest workforce (DOMAIN.md).
WEIGHTS = {
    "pkh": 40,
    "tpp-desa": 20,
    "tksk": 8,
    "lanjut-usia": 8,
    "disabilitas": 7,
    "anak": 6,
    "penyuluh-sosial": 5,
    "napza": 3,
    "tuna-sosial-kpo": 3,
}


def _setup() -> None:
    django_setup(BENCH_URL)


def copy_into(cur, model, rows) -> None:
    """COPY dicts into a model's table; columns not given get the field's default, so that
    columns other capabilities add to the registry keep working."""
    from django.db.models import JSONField

    fields = list(model._meta.concrete_fields)
    columns = ", ".join(f.column for f in fields)
    defaults = {}
    for f in fields:
        value = f.get_default() if f.has_default() or not f.null else None
        if isinstance(f, JSONField) and value is not None:
            value = json.dumps(value)
        defaults[f.attname] = value
    with cur.copy(f"COPY {model._meta.db_table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([row.get(f.attname, defaults[f.attname]) for f in fields])


def _prepare(n: int, quick: bool) -> dict:
    """Fresh registry and distribution tables; ``n`` engagements by COPY; demo need."""
    from django.core.management import call_command
    from django.db import connection

    from accounts.services import system_user
    from distribution.demo import caseload_demo_seed, need_demo_seed
    from regions.models import District, Regency, Village
    from registry.models import Engagement, Person, Programme

    call_command("migrate", verbosity=0)
    if not Regency.objects.exists() or not Programme.objects.exists():
        call_command("load_reference", verbosity=0)
    reused = _reusable(n, quick)
    if reused:
        return reused
    with connection.cursor() as cursor:
        # CASCADE also empties the tables that point at people (users, audit, caseloads...).
        cursor.execute(
            "TRUNCATE registry_engagement, registry_person, distribution_needfigure, "
            "distribution_needdataset, distribution_populationfigure, "
            "distribution_populationdataset, distribution_regionaggregate, "
            "distribution_snapshotrow, distribution_distributionsnapshot, "
            "distribution_caseloadrecord, distribution_wisnactivity, "
            "distribution_staffingstandard RESTART IDENTITY CASCADE"
        )
    rng = random.Random(2020)
    provinces = QUICK_PROVINCES if quick else None
    regencies = list(Regency.objects.order_by("code").values_list("code", flat=True))
    if provinces:
        regencies = [r for r in regencies if r[:2] in provinces]
    districts: dict[str, list[str]] = {}
    for code, regency in District.objects.values_list("code", "regency_id"):
        districts.setdefault(regency, []).append(code)
    villages: dict[str, list[str]] = {}
    for code, district in Village.objects.values_list("code", "district_id"):
        villages.setdefault(district, []).append(code)
    # Facilitators follow the size of a regency (its number of districts).
    weights = [len(districts.get(r, [])) or 1 for r in regencies]
    programmes = {p.slug: p.pk for p in Programme.objects.all()}
    slugs = [s for s in WEIGHTS if s in programmes]
    slug_weights = [WEIGHTS[s] for s in slugs]
    people = int(n * 0.9)
    now = dt.datetime.now(dt.UTC)
    start = time.perf_counter()
    raw = connection.connection
    homes = rng.choices(regencies, weights=weights, k=people)
    with raw.cursor() as cur:
        copy_into(
            cur,
            Person,
            (
                {
                    "id": i,
                    "uid": uuid.UUID(int=rng.getrandbits(128), version=4),
                    "nik": f"{homes[i - 1].replace('.', '')}98{i:010d}",
                    "full_name": f"Pendamping Uji {i}",
                    "name_key": f"PENDAMPING UJI {i}",
                    "sex": "LP"[i % 2],
                    "birth_date": dt.date(1970 + i % 30, 1 + i % 12, 1 + i % 28),
                    "created_at": now,
                    "updated_at": now,
                }
                for i in range(1, people + 1)
            ),
        )

        def engagement(i: int) -> dict:
            # The first 90 % are one engagement per person; the rest a second one in another
            # programme of the same regency (one per programme and regency holds).
            second = i > people
            person = i - people if second else i
            regency = homes[person - 1]
            slug = rng.choices(slugs, weights=slug_weights)[0]
            if second:
                slug = slugs[(slugs.index(first_slug[person]) + 1) % len(slugs)]
            else:
                first_slug[person] = slug
            district = village = None
            if rng.random() < 0.9 and districts.get(regency):
                district = rng.choice(districts[regency])
                if rng.random() < 0.75 and villages.get(district):
                    village = rng.choice(villages[district])
            active = rng.random() < 0.9
            return {
                "id": i,
                "uid": uuid.UUID(int=rng.getrandbits(128), version=4),
                "person_id": person,
                "programme_id": programmes[slug],
                "legacy_title": slug,
                "province_id": regency[:2],
                "regency_id": regency,
                "district_id": district,
                "village_id": village,
                "employment_status": rng.choice(["kontrak", "kontrak", "honorer", "PPPK"]),
                "harmonised_level": rng.choice([None, 3, 3, 4, 4, 5, 6]),
                "status": "aktif" if active else "berakhir",
                "end_date": None if active else dt.date(2024, 12, 31),
                "created_at": now,
                "updated_at": now,
            }

        first_slug: dict[int, str] = {}
        copy_into(cur, Engagement, (engagement(i) for i in range(1, n + 1)))
        for table in ("registry_person", "registry_engagement"):
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), MAX(id)) FROM {table}"
            )
    raw.commit()
    registry_s = time.perf_counter() - start
    actor = system_user()
    start = time.perf_counter()
    counts = need_demo_seed(actor=actor, caseloads=False, provinces=provinces)
    need_s = time.perf_counter() - start
    start = time.perf_counter()
    caseloads = caseload_demo_seed(actor=actor, months=1)
    caseload_s = time.perf_counter() - start
    with connection.cursor() as cursor:
        # Fresh statistics, as autovacuum would have after a bulk load in production.
        cursor.execute("VACUUM ANALYZE")
    return {
        "registry_s": registry_s,
        "need_s": need_s,
        "caseload_s": caseload_s,
        "caseloads": caseloads,
        "engagements": Engagement.objects.count(),
        "active": Engagement.objects.filter(status="aktif").count(),
        "people": people,
        **counts,
    }


def _reusable(n: int, quick: bool) -> dict | None:
    """The data of an earlier run of this benchmark, if the database still holds exactly it
    (other benchmarks share the database and rebuild the registry their own way).
    ``BENCH_FRESH=1`` always regenerates."""
    from distribution.models import (
        CaseloadRecord,
        NeedFigure,
        PopulationFigure,
        RegionAggregate,
    )
    from registry.models import Engagement, Programme

    if os.environ.get("BENCH_FRESH"):
        return None
    villages = PopulationFigure.objects.filter(dataset__is_current=True).count()
    slugs = list(Programme.objects.values_list("slug", flat=True))
    ours = Engagement.objects.filter(legacy_title__in=slugs).count()
    total = Engagement.objects.count()
    if ours != n or total != n or (villages == 83_762) == quick or not villages:
        return None
    return {
        "reused": True,
        "engagements": total,
        "active": Engagement.objects.filter(status="aktif").count(),
        "people": int(n * 0.9),
        "villages": villages,
        "need_rows": NeedFigure.objects.count(),
        "population_rows": villages,
        "aggregate_rows": RegionAggregate.objects.count(),
        "caseloads": CaseloadRecord.objects.count(),
    }


def _time(fn, repeat: int = REPEAT) -> tuple[float, int]:
    """Median wall time in ms over ``repeat`` runs after one warm-up, and queries per run."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return statistics.median(times), len(ctx.captured_queries)


def _naive(region_codes: list[str], level_field: str, need_field: str) -> float:
    """Seconds for the naive way: per region and cluster, COUNT the active engagements and
    add the need figures up in Python; per region, add population up in Python."""
    from distribution.models import NeedFigure, PopulationFigure, StaffingStandard
    from distribution.selectors import current_need_q
    from registry.models import Engagement, Programme

    start = time.perf_counter()
    current = current_need_q()
    for code in region_codes:
        population = sum(
            PopulationFigure.objects.filter(
                dataset__is_current=True, **{need_field: code}
            ).values_list("population", flat=True)
        )
        for programme in Programme.objects.all():
            actual = Engagement.objects.filter(
                status="aktif", programme=programme, **{level_field: code}
            ).count()
            need = sum(
                NeedFigure.objects.filter(
                    current, programme=programme, **{need_field: code}
                ).values_list("value", flat=True)
            )
            standard = StaffingStandard.objects.filter(programme=programme, is_current=True).first()
            required = standard.staff_per_unit * need if standard else None
            _ = (actual, required, population)
    return time.perf_counter() - start


def _generation(data: dict) -> str:
    if data.get("reused"):
        return "Data reused from an earlier run of this benchmark (`BENCH_FRESH=1` regenerates)."
    return (
        f"Generated with COPY: registry {data['registry_s']:.1f} s, need and population "
        f"(`seed_need_demo`) {data['need_s']:.1f} s, caseloads {data['caseload_s']:.1f} s."
    )


def run(quick: bool) -> str:
    _setup()
    from django.test import Client

    from accounts.services import system_user
    from distribution import redeployment, selectors, services
    from distribution.models import AggregateState, RegionLevel
    from regions.models import Province, Regency

    n = QUICK if quick else FULL
    data = _prepare(n, quick)
    admin = system_user()
    province = "35"
    regency = "35.07"  # Kabupaten Malang, the regency with the most districts in Jawa Timur
    operator, _ = type(admin).objects.get_or_create(
        username="bench-operator",
        defaults={
            "role": "operator_kabkota",
            "scope_province_id": province,
            "scope_regency_id": regency,
        },
    )
    results = {}
    # Live counting first, then with the caches the refresh job keeps. The bench database is
    # reused between runs: forget an earlier run's cache, or "live" would read it.
    AggregateState.objects.filter(name="actual").delete()
    results["nation_live"] = _time(lambda: selectors.dashboard(user=admin, code=""), repeat=3)
    results["province_live"] = _time(
        lambda: selectors.dashboard(user=admin, code=province), repeat=3
    )
    results["actual_refresh"] = _time(services.actual_aggregates_refresh, repeat=1)
    results["nation"] = _time(lambda: selectors.dashboard(user=admin, code=""))
    results["nation_pkh"] = _time(lambda: selectors.dashboard(user=admin, code="", cluster="pkh"))
    results["province"] = _time(lambda: selectors.dashboard(user=admin, code=province))
    results["regency"] = _time(lambda: selectors.dashboard(user=admin, code=regency))
    results["operator"] = _time(lambda: selectors.dashboard(user=operator, code=""))
    client = Client()
    client.force_login(admin)
    results["page_nation"] = _time(lambda: client.get("/sebaran/", HTTP_HOST="127.0.0.1"))
    results["page_province"] = _time(
        lambda: client.get(f"/sebaran/wilayah/{province}/", HTTP_HOST="127.0.0.1")
    )
    results["report_district"] = _time(
        lambda: selectors.report_rows(user=admin, level=RegionLevel.DISTRICT), repeat=1
    )
    results["workload_nation"] = _time(lambda: selectors.workload(user=admin, code=""), repeat=3)
    results["workload_province"] = _time(
        lambda: selectors.workload(user=admin, code=province), repeat=3
    )
    results["redeploy"] = _time(
        lambda: redeployment.redeployment_plan(user=admin, code=province, cluster="pkh"), repeat=3
    )
    results["recruitment"] = _time(
        lambda: redeployment.recruitment_need(user=admin, code=province), repeat=1
    )
    results["refresh"] = _time(services.aggregates_refresh, repeat=1)
    results["snapshot"] = _time(lambda: services.distribution_snapshot_take(actor=admin), repeat=1)

    # Naive baselines: sample, then scale to every region.
    provinces = list(Province.objects.values_list("code", flat=True))
    regencies = list(Regency.objects.filter(province_id=province).values_list("code", flat=True))
    sample = 3 if quick else 4
    nation_sample_s = _naive(provinces[:sample], "province_id", "province_code")
    nation_naive_ms = nation_sample_s / sample * len(provinces) * 1000
    province_sample_s = _naive(regencies[:sample], "regency_id", "regency_code")
    province_naive_ms = province_sample_s / sample * len(regencies) * 1000

    def row(label, key, goal=None):
        ms, queries = results[key]
        mark = "" if goal is None else (" ✅" if ms < goal else " ❌")
        goal_text = "" if goal is None else f"< {goal} ms"
        return f"| {label} | {ms:,.0f} ms{mark} | {queries} | {goal_text} |"

    lines = [
        "## Distribution dashboards (PostgreSQL)",
        "",
        f"Data: {data['engagements']:,} engagements ({data['active']:,} active) of "
        f"{data['people']:,} people in {'3 provinces' if quick else 'all 514 regencies'}; "
        f"need for {data['villages']:,} villages ({data['need_rows']:,} need figures, "
        f"{data['population_rows']:,} population figures, {data['aggregate_rows']:,} "
        f"aggregate rows); {data['caseloads']:,} caseloads. " + _generation(data),
        "",
        f"Median of {REPEAT} runs after a warm-up (single runs where marked ¹, three for the "
        "live and optimisation rows); queries per run. Dashboards read need from the "
        "precomputed region aggregates and, while it is under 30 minutes old, engagement "
        "counts from the cache the `distribution_refresh` job rebuilds (villages and stale "
        "caches are counted live; both are shown).",
        "",
        "| measurement | time | queries | goal |",
        "|---|---:|---:|---|",
        row("national dashboard, all clusters (`selectors.dashboard`)", "nation", GOAL_NATION_MS),
        row("national dashboard, one cluster (PKH)", "nation_pkh", GOAL_NATION_MS),
        row(
            f"province drill-down ({province} Jawa Timur, 38 regencies)",
            "province",
            GOAL_PROVINCE_MS,
        ),
        row(f"regency drill-down ({regency}, 33 districts)", "regency", GOAL_PROVINCE_MS),
        row("regency operator's dashboard (scoped)", "operator", GOAL_PROVINCE_MS),
        row("national page, rendered (HTTP, template included)", "page_nation"),
        row("province page, rendered", "page_province"),
        row("report, every district × cluster ¹", "report_district"),
        row("workload, national (one month of caseloads, live)", "workload_nation"),
        row(f"workload, province {province} (live)", "workload_province"),
        row(f"redeployment optimisation, {province} PKH (min-cost flow)", "redeploy"),
        row(f"recruitment need, {province}, all clusters ¹", "recruitment"),
        row("need/population aggregate refresh (INSERT … SELECT) ¹", "refresh"),
        row("engagement count cache refresh (`distribution_refresh` job) ¹", "actual_refresh"),
        row("national dashboard counting live, without the cache", "nation_live"),
        row(f"province drill-down ({province}) counting live, without the cache", "province_live"),
        row("snapshot, nation to district ¹", "snapshot"),
        "",
        "Baseline, naive ORM loops (one COUNT and one Python sum of need figures per region "
        "and cluster, one population sum per region), measured on a sample and scaled "
        "linearly:",
        "",
        "| measurement | set-based | naive (scaled) | sample | speed-up |",
        "|---|---:|---:|---|---:|",
        f"| national figures | {results['nation'][0]:,.0f} ms | {nation_naive_ms:,.0f} ms | "
        f"{sample} of {len(provinces)} provinces, {nation_sample_s:.1f} s | "
        f"{nation_naive_ms / results['nation'][0]:,.0f}× |",
        f"| province figures ({province}) | {results['province'][0]:,.0f} ms | "
        f"{province_naive_ms:,.0f} ms | {sample} of {len(regencies)} regencies, "
        f"{province_sample_s:.1f} s | {province_naive_ms / results['province'][0]:,.0f}× |",
    ]
    if quick:
        lines += ["", "_Quick run: small data; the goals apply to the full run._"]
    return "\n".join(lines)
