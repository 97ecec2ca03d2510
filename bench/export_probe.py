"""One national registry export in a process of its own, so its peak memory is its own.

``python -m bench.export_probe csv|xlsx|copy OUTPUT`` prints one JSON line: rows, seconds and
the process's peak resident memory. ``csv`` and ``xlsx`` run the product's export
(``registry.exports.registry_export``, as the national admin ``bench-admin``: scope, masking,
flags and audit included); ``copy`` is the floor: PostgreSQL's COPY of the same join written
straight to a CSV file, with none of the product's work; ``xlsxwriter`` is the XLSX writer's
own floor: XlsxWriter in constant-memory mode writing the export's first row as many times as
the export has rows, with no database at all.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

from bench.common import django_setup

BENCH_URL = "postgres://postgres@127.0.0.1:5432/satupintu_bench"

COPY_SQL = """
COPY (
  SELECT p.nik, p.full_name, p.sex, p.birth_date, g.slug, g.name, e.legacy_title,
         e.harmonised_level, e.unified_title, e.province_id, e.regency_id, e.district_id,
         e.employment_status, e.start_date, e.end_date, e.monthly_incentive,
         e.standard_incentive, e.status, e.verification
  FROM registry_engagement e
  JOIN registry_person p ON p.id = e.person_id
  JOIN registry_programme g ON g.id = e.programme_id
  WHERE p.merged_into_id IS NULL
  ORDER BY e.id
) TO STDOUT WITH (FORMAT csv, HEADER)
"""


def _peak_rss_kib() -> int:
    """This process's own peak resident memory. ``ru_maxrss`` would not do: Linux carries it
    over fork and exec, so a child of a large parent reports the parent's peak; the kernel's
    high-water mark (VmHWM) belongs to the address space this program runs in."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def main(kind: str, output: Path) -> dict:
    django_setup(BENCH_URL)
    from django.db import connection

    from accounts.models import User
    from registry.exports import registry_export
    from registry.models import Engagement
    from registry.selectors import RegistryFilters

    start = time.perf_counter()
    if kind == "copy":
        rows = 0
        connection.ensure_connection()
        raw = connection.connection.cursor()
        with open(output, "wb") as handle, raw.copy(COPY_SQL) as copy:
            for chunk in copy:
                handle.write(chunk)
                rows += bytes(chunk).count(b"\n")
        rows -= 1  # the header
    elif kind == "xlsxwriter":
        import xlsxwriter

        from registry.exports import COLUMNS, export_rows

        admin = User.objects.get(username="bench-admin")
        first = next(export_rows(user=admin, filters=RegistryFilters()))
        rows = Engagement.objects.filter(person__merged_into__isnull=True).count()
        start = time.perf_counter()
        workbook = xlsxwriter.Workbook(str(output), {"constant_memory": True})
        sheet = workbook.add_worksheet("registri")
        sheet.write_row(0, 0, COLUMNS)
        for row in range(1, rows + 1):
            sheet.write_row(row, 0, first)
        workbook.close()
    else:
        admin = User.objects.get(username="bench-admin")
        rows = registry_export(user=admin, filters=RegistryFilters(), fmt=kind, output=output)
    seconds = time.perf_counter() - start
    peak_kib = _peak_rss_kib()
    return {
        "rows": rows,
        "seconds": seconds,
        "peak_mib": peak_kib / 1024,
        "bytes": output.stat().st_size,
    }


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], Path(sys.argv[2]))))
