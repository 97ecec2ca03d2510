# ruff: noqa: E501 - the report is Markdown table rows, one line each
"""The activity logbook at national scale (PostgreSQL): 100,000 facilitators × 40 entries.

Measured in one run on one machine (quick: 5,000 facilitators):

1. a month of entries: the product path (``logbook.services.entries_receive``, what the
   device's outbox calls, every check included) on a sample of facilitators, and the rest of
   the month written with COPY, the database's write floor for the same rows and indexes;
2. building the month's caseload records from the entries for every approved report
   (``month_caseloads_build``: one GROUP BY, one bulk update, upserts), against the baseline of
   a per-engagement ORM loop measured on a sample and scaled;
3. a coordinator's workload per person for the largest regency and cluster (the selector and
   the rendered page), against a naive page that asks per person.

Goals (issue 19): page < 200 ms, monthly build < 60 s.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import time
import uuid

from bench.common import django_setup

BENCH_URL = "postgres://postgres@127.0.0.1:5432/satupintu_bench"
FULL, QUICK = 100_000, 5_000
PER_MONTH = 40
SAMPLE_FACILITATORS = 25
BASELINE_SAMPLE = 300
GOAL_PAGE_MS, GOAL_BUILD_S = 200, 60


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms".replace(",", ".")


def _prepare(n: int) -> dict:
    from django.core.management import call_command
    from django.db import connection

    from bench.bench_distribution import copy_into
    from distribution import services as distribution
    from distribution.models import StaffingStandard
    from logbook.demo import activity_types_load_file
    from regions.models import District, Regency, Village
    from registry.models import Engagement, Person, Programme

    call_command("migrate", verbosity=0)
    if not Regency.objects.exists() or not Programme.objects.exists():
        call_command("load_reference", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE logbook_entry, logbook_monthlyreport, logbook_reportevent, "
            "distribution_caseloadrecord, registry_engagement, registry_person "
            "RESTART IDENTITY CASCADE"
        )
    activity_types_load_file()
    if not StaffingStandard.objects.filter(is_current=True).exists():
        import json
        from pathlib import Path

        from accounts.services import system_user

        items = json.loads(
            (Path(distribution.__file__).parent.parent / "data" / "standards_demo.json").read_text()
        )
        distribution.staffing_standards_load(actor=system_user(), items=items)
    rng = random.Random(19)
    regencies = list(Regency.objects.order_by("code").values_list("code", flat=True))
    districts: dict[str, list[str]] = {}
    for code, regency in District.objects.values_list("code", "regency_id"):
        districts.setdefault(regency, []).append(code)
    weights = [len(districts.get(r, [])) or 1 for r in regencies]
    programmes = dict(Programme.objects.values_list("slug", "pk"))
    slugs = ["pkh", "tpp-desa", "tksk", "lanjut-usia", "disabilitas", "anak"]
    slug_weights = [40, 20, 10, 12, 10, 8]
    homes = rng.choices(regencies, weights=weights, k=n)
    now = dt.datetime.now(dt.UTC)
    start = time.perf_counter()
    raw = connection.connection
    with raw.cursor() as cur:
        copy_into(
            cur,
            Person,
            (
                {
                    "id": i,
                    "uid": uuid.UUID(int=rng.getrandbits(128), version=4),
                    "nik": f"{homes[i - 1].replace('.', '')}97{i:010d}",
                    "full_name": f"Pendamping Uji {i}",
                    "name_key": f"PENDAMPING UJI {i}",
                    "sex": "LP"[i % 2],
                    "birth_date": dt.date(1975 + i % 25, 1 + i % 12, 1 + i % 28),
                    "created_at": now,
                    "updated_at": now,
                }
                for i in range(1, n + 1)
            ),
        )
        copy_into(
            cur,
            Engagement,
            (
                {
                    "id": i,
                    "uid": uuid.UUID(int=rng.getrandbits(128), version=4),
                    "person_id": i,
                    "programme_id": programmes[rng.choices(slugs, weights=slug_weights)[0]],
                    "legacy_title": "Pendamping",
                    "province_id": homes[i - 1][:2],
                    "regency_id": homes[i - 1],
                    "district_id": rng.choice(districts[homes[i - 1]]),
                    "employment_status": "kontrak",
                    "status": "aktif",
                    "created_at": now,
                    "updated_at": now,
                }
                for i in range(1, n + 1)
            ),
        )
        for table in ("registry_person", "registry_engagement"):
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), MAX(id)) FROM {table}"
            )
    raw.commit()
    registry_s = time.perf_counter() - start
    villages: dict[str, list[str]] = {}
    for code, district in Village.objects.values_list("code", "district_id"):
        villages.setdefault(district, []).append(code)
    return {"registry_s": registry_s, "villages": villages, "rng": rng}


def _month() -> dt.date:
    from django.utils import timezone

    first = timezone.localdate().replace(day=1)
    return (first - dt.timedelta(days=1)).replace(day=1)


def _insert_month(n: int, ctx: dict) -> dict:
    """The sample through the product path; the rest by COPY."""
    from django.db import connection

    from accounts.models import User
    from bench.bench_distribution import copy_into
    from logbook.models import ActivityType, Entry
    from logbook.services import entries_receive
    from registry.models import Engagement

    rng, villages = ctx["rng"], ctx["villages"]
    month = _month()
    days = [
        month + dt.timedelta(days=d)
        for d in range(28)
        if (month + dt.timedelta(days=d)).weekday() < 5
    ]
    types: dict[int, list[int]] = {}
    for pk, programme_id in ActivityType.objects.values_list("pk", "programme_id"):
        types.setdefault(programme_id, []).append(pk)
    engagements = list(
        Engagement.objects.order_by("pk").values_list(
            "pk", "uid", "person_id", "programme_id", "province_id", "regency_id", "district_id"
        )
    )
    sample = engagements[:SAMPLE_FACILITATORS]
    users = User.objects.bulk_create(
        [
            User(username=f"bench-pendamping-{pid}", role="pendamping", person_id=pid)
            for _pk, _uid, pid, *_ in sample
        ]
    )
    start = time.perf_counter()
    for user, (_pk, uid, _pid, programme_id, _prov, _reg, district) in zip(
        users, sample, strict=True
    ):
        user._programme_scope = None
        items = [
            {
                "uid": str(uuid.uuid4()),
                "engagement": str(uid),
                "date": rng.choice(days).isoformat(),
                "village": rng.choice(villages[district]),
                "activity_type": rng.choice(types[programme_id]),
                "clients_served": rng.randint(1, 12),
                "duration_minutes": rng.choice([30, 45, 60, 90]),
            }
            for _ in range(PER_MONTH)
        ]
        results = entries_receive(actor=user, items=items)
        assert all(r.status == "dibuat" for r in results), results[0].errors
    service_s = time.perf_counter() - start
    service_rows = len(sample) * PER_MONTH
    now = dt.datetime.now(dt.UTC)

    def rows():
        for pk, _uid, pid, programme_id, prov, reg, district in engagements[SAMPLE_FACILITATORS:]:
            for _ in range(PER_MONTH):
                day = rng.choice(days)
                yield {
                    "uid": uuid.UUID(int=rng.getrandbits(128), version=4),
                    "engagement_id": pk,
                    "person_id_ref": pid,
                    "programme_id_ref": programme_id,
                    "province_id_ref": prov,
                    "regency_id_ref": reg,
                    "month": month,
                    "date": day,
                    "village_id": rng.choice(villages[district]),
                    "activity_type_id": rng.choice(types[programme_id]),
                    "clients_served": rng.randint(1, 12),
                    "duration_minutes": rng.choice([30, 45, 60, 90]),
                    "note": "",
                    "origin": "perangkat",
                    "created_at": now,
                    "updated_at": now,
                }

    start = time.perf_counter()
    raw = connection.connection
    with raw.cursor() as cur:
        fields = [f for f in Entry._meta.concrete_fields if f.attname != "id"]

        class NoId:
            _meta = type("M", (), {"concrete_fields": fields, "db_table": Entry._meta.db_table})

        copy_into(cur, NoId, rows())
    raw.commit()
    copy_s = time.perf_counter() - start
    copy_rows = (n - SAMPLE_FACILITATORS) * PER_MONTH
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE logbook_entry")
        cursor.execute("SELECT pg_total_relation_size('logbook_entry')")
        size = cursor.fetchone()[0]
    return {
        "month": month,
        "service_s": service_s,
        "service_rows": service_rows,
        "copy_s": copy_s,
        "copy_rows": copy_rows,
        "total": Entry.objects.filter(month=month).count(),
        "size": size,
    }


def _approve_all(month: dt.date) -> None:
    """Every facilitator submitted and their coordinator approved (as data, not timed)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO logbook_monthlyreport (uid, engagement_id, person_id_ref, programme_id_ref,
                province_id_ref, regency_id_ref, month, status, entries, minutes, clients_served,
                cases, by_type, submitted_at, decided_at, return_comment, created_at, updated_at)
            SELECT gen_random_uuid(), e.id, e.person_id, e.programme_id, e.province_id,
                e.regency_id, %s, 'disetujui', 0, 0, 0, 0, '{}', now(), now(), '', now(), now()
            FROM registry_engagement e
            """,
            [month],
        )
        cursor.execute("ANALYZE logbook_monthlyreport")


def _build(month: dt.date, n: int) -> dict:
    from django.db import connection, transaction
    from django.db.models import Sum

    from distribution.models import CaseloadRecord
    from logbook.models import Entry, MonthlyReport
    from logbook.services import month_caseloads_build

    start = time.perf_counter()
    rows = month_caseloads_build(month=month, actor=None)
    build_s = time.perf_counter() - start
    start = time.perf_counter()
    again = month_caseloads_build(month=month, actor=None)
    again_s = time.perf_counter() - start
    # Baseline: per engagement, one aggregate query, the report saved, the record upserted.
    sample = list(
        MonthlyReport.objects.filter(month=month).order_by("engagement_id")[:BASELINE_SAMPLE]
    )
    start = time.perf_counter()
    with transaction.atomic():
        for report in sample:
            t = Entry.objects.filter(engagement_id=report.engagement_id, month=month).aggregate(
                n=Sum("clients_served")
            )
            report.cases = t["n"] or 0
            report.save(update_fields=["cases"])
            CaseloadRecord.objects.update_or_create(
                engagement_id=report.engagement_id,
                period=month,
                defaults={"cases": report.cases, "source": "logbook"},
            )
        transaction.set_rollback(True)
    naive_s = (time.perf_counter() - start) * n / len(sample)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE distribution_caseloadrecord")
    return {
        "rows": rows,
        "again": again,
        "build_s": build_s,
        "again_s": again_s,
        "naive_s": naive_s,
    }


def _page(month: dt.date) -> dict:
    from django.db import connection, reset_queries
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from distribution.models import CaseloadRecord
    from logbook import selectors
    from logbook.models import Entry, MonthlyReport
    from registry.models import Engagement, Programme

    regency, programme_id, size = (
        Engagement.objects.values_list("regency_id", "programme_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    programme = Programme.objects.get(pk=programme_id)
    user, _ = User.objects.get_or_create(
        username="bench-koordinator",
        defaults={
            "role": "koordinator",
            "scope_province_id": regency[:2],
            "scope_regency_id": regency,
        },
    )
    user.scope_programmes.set([programme])

    def timed(fn, repeat=5):
        fn()
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
        return statistics.median(times)

    def selector():
        data = selectors.workload_people(user=user, code=regency, cluster=programme.slug)
        assert data["count"] == size, (data["count"], size)

    # Counted at once: a capture is a slice of the connection's query log, and the test
    # client's request_started signal empties that log, so a count read later is 0.
    with CaptureQueriesContext(connection) as q:
        selector()
    selector_q = len(q.captured_queries)
    selector_s = timed(selector)
    client = Client()
    client.force_login(user)
    url = f"/kegiatan/beban-kerja/?region={regency}&cluster={programme.slug}"

    def page():
        response = client.get(url)
        assert response.status_code == 200

    reset_queries()  # the log is capped (9,000 entries); start the page's count on an empty one
    with CaptureQueriesContext(connection) as qp:
        page()
    page_q = len(qp.captured_queries)
    page_s = timed(page)
    months = selectors.months_back(month, 6)

    def naive():
        for e in Engagement.objects.filter(regency_id=regency, programme_id=programme_id):
            _ = e.person.full_name
            for m in months:
                CaseloadRecord.objects.filter(engagement_id=e.pk, period=m).first()
                MonthlyReport.objects.filter(engagement_id=e.pk, month=m).first()
            Entry.objects.filter(engagement_id=e.pk, month=months[-1]).count()

    naive_s = timed(naive, repeat=1)
    return {
        "regency": regency,
        "programme": programme.name,
        "people": size,
        "selector_s": selector_s,
        "selector_q": selector_q,
        "page_s": page_s,
        "page_q": page_q,
        "naive_s": naive_s,
        "naive_q": 1 + size * (1 + 2 * len(months) + 1),
    }


def run(quick: bool) -> str:
    django_setup(os.environ.get("BENCH_DATABASE_URL", BENCH_URL))
    n = QUICK if quick else FULL
    load = os.getloadavg()[0]
    ctx = _prepare(n)
    ins = _insert_month(n, ctx)
    _approve_all(ins["month"])
    build = _build(ins["month"], n)
    page = _page(ins["month"])
    load_after = os.getloadavg()[0]
    service_rate = ins["service_rows"] / ins["service_s"]
    copy_rate = ins["copy_rows"] / ins["copy_s"]
    month_hours = 4_000_000 / service_rate / 3600 * (n / FULL if quick else 1)
    ok_page = "✅" if page["page_s"] * 1000 < GOAL_PAGE_MS else "❌"
    ok_build = "✅" if build["build_s"] < GOAL_BUILD_S else "❌"
    return f"""## Activity logbook (`bench_logbook`, PostgreSQL)

Data: {n:,} facilitators (one active engagement each, registry written with COPY in {ctx["registry_s"]:.1f} s), {PER_MONTH} entries each for {ins["month"]:%Y-%m}: {ins["total"]:,} entries, table and indexes {ins["size"] / 2**30:.2f} GiB. Load average {load:.1f} before, {load_after:.1f} after (the machine is shared; every figure is slowed alike).

| measurement | time | rate / queries | goal |
|---|---:|---|---|
| month of entries, product path (`entries_receive`, every check), {ins["service_rows"]:,} entries of {SAMPLE_FACILITATORS} facilitators | {ins["service_s"]:.1f} s | {service_rate:,.0f} entries/s: the whole month ({n * PER_MONTH:,}) in {n * PER_MONTH / service_rate / 3600:.1f} h of one worker | |
| **baseline**: the rest of the month by COPY (the write floor, same indexes) | {ins["copy_s"]:.1f} s | {copy_rate:,.0f} entries/s ({ins["copy_rows"]:,} rows) | |
| monthly build: caseload records of every approved month (`month_caseloads_build`) | {build["build_s"]:.1f} s {ok_build} | {build["rows"]:,} records | < {GOAL_BUILD_S} s |
| the same build again (nothing to change) | {build["again_s"]:.1f} s | {build["again"]:,} records | |
| **baseline**: per-engagement ORM loop (aggregate, save, update_or_create), {BASELINE_SAMPLE} measured and scaled | {build["naive_s"]:.1f} s | {build["naive_s"] / max(build["build_s"], 1e-9):.0f}× slower | |
| coordinator's workload per person, selector ({page["regency"]}, {page["programme"]}, {page["people"]:,} facilitators) | {_ms(page["selector_s"])} | {page["selector_q"]} queries | |
| the same page rendered (HTTP, template, 50 rows) | {_ms(page["page_s"])} {ok_page} | {page["page_q"]} queries | < {GOAL_PAGE_MS} ms |
| **baseline**: naive page asking per person | {_ms(page["naive_s"])} | {page["naive_q"]:,} queries | |

Median of 5 runs after a warm-up for the page; single runs for the writes. Peak need for the product path: 4,000,000 entries over ~22 working days of ~10 hours is ~5 entries/s on average; one worker process gives {service_rate:,.0f}/s, so {month_hours:.1f} h of one worker carry a month.
"""
