"""Standard incentive for 500,000 engagements: engine + set-based write vs a per-row ORM baseline.

Runs on PostgreSQL (``BENCH_DATABASE_URL``, default
postgres://postgres@127.0.0.1:5432/satupintu_bench_incentives — a database of its own, created
and migrated when missing). The engagements are generated once with COPY and reused while their
count matches. The measurement runs in a child process so that its ``DATABASE_URL`` never
collides with another benchmark module configured in the same ``python -m bench`` run.

Measured, in the same run on the same data:

1. ``standard_incentives_recompute`` end to end (read every engagement as tuples, price them with
   the engine, write with COPY + one ``UPDATE … FROM``, audit), once with every value changing
   (the column reset to NULL first) and once with nothing changing.
2. A per-row ORM baseline on a sample: for each engagement, load it, query its scale amount,
   index value, allowances and special areas, compute, ``save(update_fields=…)``. Its time is
   scaled linearly to the full count, and the report says so. The sample's results are checked
   against the engine's: both must agree to the Rupiah.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import subprocess
import sys
import time
import uuid
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from bench.common import database_create

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/satupintu_bench_incentives"
ON = dt.date(2026, 3, 1)


def _ensure_database(url: str) -> None:
    database_create(url)


def run(quick: bool) -> str:
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    _ensure_database(url)
    count, sample = (5_000, 200) if quick else (500_000, 2_000)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "satupintu.settings",
        "PYTHONPATH": str(ROOT),
    }
    proc = subprocess.run(
        [sys.executable, "-m", "bench.bench_incentives", "--worker", str(count), str(sample)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        raise RuntimeError("bench_incentives gagal; lihat stderr.")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    return _report(result, quick=quick)


def _report(r: dict, *, quick: bool) -> str:
    n, s = r["count"], r["sample"]
    scaled = r["baseline_seconds"] / s * n
    if quick:
        goal = ""
    else:
        goal = " — goal < 10 s: **met**" if r["all_change"] < 10 else " — goal < 10 s: **missed**"
    return (
        f"## Standard incentive ({n:,} engagements)\n\n"
        f"PostgreSQL {r['server']}; example scale (7 levels, 5 allowance rules, regional index "
        f"for 38 provinces, {r['areas']} special areas); `registry_engagement` fillfactor "
        f"{r['fillfactor']}, vacuumed before the run. Load average during the run "
        f"{r['load'][0]} → {r['load'][1]} on {r['cores']} cores (other work on the machine "
        f"inflates every figure here, baseline included). Data generated with COPY "
        f"({r['generate']:.1f} s; reused when present).\n\n"
        "| what | time |\n|---|---|\n"
        f"| `standard_incentives_recompute`, every value changes: read {r['read']:.2f} s + "
        f"compute {r['compute']:.2f} s + write (COPY + one UPDATE … FROM) {r['write']:.2f} s "
        f"| **{r['all_change']:.2f} s**{goal} |\n"
        f"| the same again, nothing changes (the UPDATE skips equal values) "
        f"| {r['no_change']:.2f} s |\n"
        f"| per-row ORM baseline: {s:,} engagements measured ({r['baseline_seconds']:.2f} s), "
        f"**scaled ×{n // s}** to {n:,} | ≈ {scaled:,.0f} s ({scaled / 60:.1f} min) |\n\n"
        f"Speed-up ≈ {scaled / r['all_change']:.0f}×. The baseline's results agree with the "
        f"engine's for all {s:,} sampled engagements: **{'yes' if r['agree'] else 'NO'}**. "
        f"Not computable (left NULL, listed on the incentives page): {r['not_computable']}.\n"
    )


# --- Worker (child process) --------------------------------------------------------------------


def _defaults(model, values: dict, now) -> list:
    """A full row for COPY: every concrete column, our values or a neutral default.

    Built from the model so that fields other engineers add never break the generator.
    """
    from django.db import models

    row = []
    for f in model._meta.concrete_fields:
        if f.attname in values:
            row.append(values[f.attname])
        elif f.primary_key:
            continue
        elif isinstance(f, models.DateTimeField):
            row.append(now)
        elif f.null:
            row.append(None)
        elif isinstance(f, models.JSONField):
            row.append(json.dumps(f.get_default()))
        elif isinstance(f, models.UUIDField):
            row.append(uuid.uuid4())
        elif f.has_default():
            row.append(f.get_default())
        elif isinstance(f, models.CharField | models.TextField | models.FileField):
            row.append("")
        else:
            row.append(None)
    return row


def _columns(model, values: dict) -> list[str]:
    return [
        f.column
        for f in model._meta.concrete_fields
        if not (f.primary_key and f.attname not in values)
    ]


def _generate(count: int) -> float:
    from django.db import connection
    from django.utils import timezone

    from regions.models import District, Regency
    from registry.models import Engagement, Person, Programme

    started = time.perf_counter()
    rnd = random.Random(2020)
    regencies = list(Regency.objects.values_list("code", "province_id"))
    first_district = dict(
        District.objects.order_by("regency_id", "code").values_list("regency_id", "code")
    )
    programmes = list(Programme.objects.values_list("pk", flat=True))
    now = timezone.now()
    with connection.cursor() as cursor:
        tables = f"{Engagement._meta.db_table}, {Person._meta.db_table}"
        cursor.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
        person_values = {"id": 0, "nik": "", "full_name": "", "name_key": "", "sex": "L"}
        columns = _columns(Person, person_values)
        with cursor.copy(f"COPY {Person._meta.db_table} ({', '.join(columns)}) FROM STDIN") as copy:
            for i in range(1, count + 1):
                code, _ = regencies[i % len(regencies)]
                sex = "P" if i % 2 else "L"
                birth = dt.date(1960, 1, 1) + dt.timedelta(days=i % 14_000)
                day = birth.day + (40 if sex == "P" else 0)
                serial = i // len(regencies) + 1
                nik = f"{code.replace('.', '')}{serial // 10_000 + 1:02d}{day:02d}{birth:%m%y}"
                nik += f"{serial % 10_000:04d}"
                name = f"PENDAMPING UJI {i}"
                copy.write_row(
                    _defaults(
                        Person,
                        {
                            "id": i,
                            "nik": nik,
                            "full_name": name,
                            "name_key": name,
                            "sex": sex,
                            "birth_date": birth,
                            "bank_name": "BANK UJI",
                            "bank_account": f"{i:010d}",
                        },
                        now,
                    )
                )
        engagement_values = {"id": 0, "person_id": 0}
        columns = _columns(Engagement, engagement_values)
        levels = [3] * 40 + [4] * 25 + [5] * 15 + [6] * 8 + [7] * 5 + [8] * 2 + [9] * 1
        with cursor.copy(
            f"COPY {Engagement._meta.db_table} ({', '.join(columns)}) FROM STDIN"
        ) as copy:
            for i in range(1, count + 1):
                code, province = regencies[i % len(regencies)]
                level = rnd.choice(levels)
                roll = rnd.random()
                position, harmonised = (
                    (None, None)
                    if roll < 0.02
                    else (None, level)
                    if roll < 0.07
                    else (level, level)
                )
                copy.write_row(
                    _defaults(
                        Engagement,
                        {
                            "id": i,
                            "person_id": i,
                            "programme_id": programmes[i % len(programmes)],
                            "legacy_title": "Pendamping",
                            "province_id": province,
                            "regency_id": code,
                            "district_id": first_district.get(code) if i % 3 == 0 else None,
                            "employment_status": "PNS" if rnd.random() < 0.05 else "kontrak",
                            "start_date": dt.date(2012, 1, 1)
                            + dt.timedelta(days=rnd.randrange(0, 14 * 365)),
                            "monthly_incentive": rnd.randrange(1_800, 3_600) * 1_000,
                            "harmonised_level": harmonised,
                            "position_level": position,
                            "status": "aktif",
                            "verification": "menunggu",
                        },
                        now,
                    )
                )
        for model in (Person, Engagement):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{model._meta.db_table}', 'id'), %s)",
                [count],
            )
        cursor.execute(f"ANALYZE {Person._meta.db_table}, {Engagement._meta.db_table}")
    return time.perf_counter() - started


def _baseline(sample_ids: list[int]) -> tuple[float, dict[int, int | None]]:
    """The naive way: one engagement at a time, each fact fetched by its own query, then save()."""
    from django.db.models import Q

    from incentives.models import AreaDesignation, Purpose, RegionalIndex, Scale, State
    from registry.models import Engagement

    out: dict[int, int | None] = {}
    started = time.perf_counter()
    for pk in sample_ids:
        e = Engagement.objects.get(pk=pk)
        level = e.position_level or e.harmonised_level
        value = None
        scale = (
            Scale.objects.filter(
                purpose=Purpose.STANDARD,
                state__in=[State.IN_FORCE, State.SUPERSEDED],
                effective_from__lte=ON,
                programme__isnull=True,
            )
            .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=ON))
            .order_by("-effective_from")
            .first()
        )
        amount = scale.amounts.filter(level=level).first() if scale and level else None
        index = (
            RegionalIndex.objects.filter(
                purpose=Purpose.STANDARD, state=State.IN_FORCE, year__lte=ON.year
            )
            .order_by("-year")
            .first()
        )
        index_value = (
            index.values.filter(Q(regency_id=e.regency_id) | Q(province_id=e.province_id))
            .order_by("regency_id")  # NULLs last: a regency value overrides the province
            .first()
            if index
            else None
        )
        asn = e.employment_status in {"PNS", "PPPK"} and not (scale and scale.covers_asn)
        if amount and index_value and not asn:
            base_x_index = Decimal(amount.base_amount) * index_value.value
            total = base_x_index
            for rule in scale.allowances.all():
                if rule.effective_from and rule.effective_from > ON:
                    continue
                if rule.effective_to and rule.effective_to < ON:
                    continue
                units = 0
                if rule.kind == "wilayah_khusus":
                    where = Q(regency_id=e.regency_id)
                    if e.district_id:
                        where |= Q(district_id=e.district_id)
                    flagged = AreaDesignation.objects.filter(where, area_list=scale.area_list)
                    if rule.area_category:
                        flagged = flagged.filter(category=rule.area_category)
                    units = 1 if flagged.exists() else 0
                elif rule.kind == "masa_kerja" and e.start_date:
                    years = (
                        ON.year
                        - e.start_date.year
                        - ((ON.month, ON.day) < (e.start_date.month, e.start_date.day))
                    )
                    if years >= (rule.threshold or 0):
                        units = years - (rule.threshold or 0) if rule.per_unit else 1
                        if rule.max_units is not None:
                            units = min(units, rule.max_units)
                # certification and caseload: no provider data yet, as in the engine
                if units > 0:
                    if rule.amount is not None:
                        total += Decimal(rule.amount) * units
                    else:
                        total += base_x_index * rule.percent / 100 * units
            value = int(total.quantize(Decimal(1), rounding=ROUND_HALF_UP))
        e.standard_incentive = value
        e.save(update_fields=["standard_incentive"])
        out[pk] = value
    return time.perf_counter() - started, out


def _table_state(fillfactor: str) -> str:
    """Apply ``BENCH_INCENTIVES_FILLFACTOR`` (an experiment on the bench database only).

    Empty: the table as the migrations define it (registry migration 0004 sets 50 on PostgreSQL).
    A number: that fillfactor instead. Either way the table is rewritten (VACUUM FULL) first.
    """
    from django.db import connection

    from registry.models import Engagement

    table = Engagement._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = %s", [table])
        current = next(
            (o.split("=")[1] for o in (cursor.fetchone()[0] or []) if o.startswith("fillfactor")),
            "",
        )
        if fillfactor and fillfactor != current:
            cursor.execute(f"ALTER TABLE {table} SET (fillfactor = {int(fillfactor)})")
        # Rewrite the table so its pages follow the fillfactor in force even when the data was
        # generated before a migration changed it.
        cursor.execute(f"VACUUM FULL {table}")
    if fillfactor:
        return f"{fillfactor} (experiment)"
    return f"{current or 100} (as migrated)"


def _worker(count: int, sample: int) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from accounts.services import system_user
    from incentives import selectors, services
    from incentives.models import AreaDesignation
    from registry.models import Engagement

    call_command("migrate", verbosity=0, interactive=False)
    from regions.models import Village

    if not Village.objects.exists():
        with open(os.devnull, "w") as quiet:
            call_command("load_reference", verbosity=0, stdout=quiet)
    generate = 0.0
    if Engagement.objects.count() != count:
        # TRUNCATE … CASCADE also empties users and what refers to them: generate first.
        generate = _generate(count)
    actor = system_user()
    services.incentive_example_load(actor=actor, if_empty=True)

    fillfactor = _table_state(os.environ.get("BENCH_INCENTIVES_FILLFACTOR", ""))
    # Every value must change in the measured run: clear the column first (not timed), then
    # VACUUM as autovacuum would, so the table is in its ordinary steady state.
    Engagement.objects.update(standard_incentive=None)
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {Engagement._meta.db_table}")
    load_before = os.getloadavg()[0]
    summary = services.standard_incentives_recompute(actor=actor, on=ON)
    again = services.standard_incentives_recompute(actor=actor, on=ON)
    load_after = os.getloadavg()[0]

    rows = list(selectors.all_engagement_facts())
    results = selectors.calculator(on=ON).amounts(rows)
    engine = {row[0]: amount for row, (amount, _) in zip(rows, results, strict=True)}
    sample_ids = random.Random(7).sample(sorted(engine), sample)
    baseline_seconds, naive = _baseline(sample_ids)
    agree = all(naive[pk] == engine[pk] for pk in sample_ids)
    print(
        json.dumps(
            {
                "count": count,
                "sample": sample,
                "server": "{}.{}".format(*divmod(connection.pg_version, 10_000)),
                "areas": AreaDesignation.objects.count(),
                "generate": generate,
                "read": summary["phases"]["read"],
                "compute": summary["phases"]["compute"],
                "write": summary["phases"]["write"],
                "all_change": summary["seconds"],
                "no_change": again["seconds"],
                "fillfactor": fillfactor,
                "load": [round(load_before, 1), round(load_after, 1)],
                "cores": os.cpu_count(),
                "baseline_seconds": baseline_seconds,
                "agree": agree,
                "changed": summary["changed"],
                "not_computable": summary["not_computable"],
            }
        )
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--worker", nargs=2, type=int, metavar=("COUNT", "SAMPLE"))
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    if args.worker:
        _worker(*args.worker)
    else:
        print(run(quick=args.quick))
