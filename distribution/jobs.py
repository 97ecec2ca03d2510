"""Background handlers (jobs app) for the distribution computations that take seconds, and how
their results read (jobs.outcomes)."""

import datetime as dt

from django.utils.formats import date_format
from django.utils.translation import ngettext

from accounts.services import system_user
from distribution import services
from jobs.outcomes import JobOutcome, count


def aggregates_refresh_job(job, progress) -> dict:
    progress(0, 2, "Menghitung agregat kebutuhan dan penduduk…")
    need = services.aggregates_refresh()
    progress(1, 2, "Menghitung agregat penugasan…")
    return {"rows": need + services.actual_aggregates_refresh()}


def aggregates_refresh_outcome(job) -> JobOutcome:
    rows = int(job.result.get("rows", 0))
    return JobOutcome(
        sentences=[
            ngettext(
                "Angka dasbor sebaran dihitung ulang: %(n)s baris kebutuhan, penduduk dan "
                "penugasan.",
                "Angka dasbor sebaran dihitung ulang: %(n)s baris kebutuhan, penduduk dan "
                "penugasan.",
                rows,
            )
            % {"n": count(rows)}
        ]
    )


def counts_refresh_job(job, progress) -> dict:
    """The affected regencies' engagement counts, after a change there (registry.services.
    counts_refresh_enqueue)."""
    regencies = list(job.params.get("regencies", []))
    progress(0, 1, f"Menghitung ulang angka penugasan {len(regencies)} kabupaten/kota…")
    return {"rows": services.actual_aggregates_refresh_regions(regency_ids=regencies)}


def counts_refresh_outcome(job) -> JobOutcome:
    regencies = len(job.params.get("regencies", []))
    rows = int(job.result.get("rows", 0))
    return JobOutcome(
        sentences=[
            ngettext(
                "Angka penugasan %(n)s kabupaten/kota dihitung ulang (%(rows)s baris).",
                "Angka penugasan %(n)s kabupaten/kota dihitung ulang (%(rows)s baris).",
                regencies,
            )
            % {"n": count(regencies), "rows": count(rows)}
        ]
    )


def snapshot_job(job, progress) -> dict:
    progress(0, 1, "Mengambil potret sebaran…")
    snapshot = services.distribution_snapshot_take(actor=job.owner or system_user())
    return {"rows": snapshot.row_count, "period": snapshot.period.isoformat()}


def snapshot_outcome(job) -> JobOutcome:
    rows = int(job.result.get("rows", 0))
    period = job.result.get("period")
    month = date_format(dt.date.fromisoformat(period), "F Y") if period else "—"
    return JobOutcome(
        sentences=[
            ngettext(
                "Potret sebaran %(month)s disimpan: %(n)s baris.",
                "Potret sebaran %(month)s disimpan: %(n)s baris.",
                rows,
            )
            % {"month": month, "n": count(rows)}
        ]
    )
