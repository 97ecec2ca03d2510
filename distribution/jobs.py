"""Background handlers (jobs app) for the distribution computations that take seconds."""

from accounts.services import system_user
from distribution import services


def aggregates_refresh_job(job, progress) -> dict:
    progress(0, 2, "Menghitung agregat kebutuhan dan penduduk…")
    need = services.aggregates_refresh()
    progress(1, 2, "Menghitung agregat penugasan…")
    return {"rows": need + services.actual_aggregates_refresh()}


def counts_refresh_job(job, progress) -> dict:
    """The affected regencies' engagement counts, after a change there (registry.services.
    counts_refresh_enqueue)."""
    regencies = list(job.params.get("regencies", []))
    progress(0, 1, f"Menghitung ulang angka penugasan {len(regencies)} kabupaten/kota…")
    return {"rows": services.actual_aggregates_refresh_regions(regency_ids=regencies)}


def snapshot_job(job, progress) -> dict:
    progress(0, 1, "Mengambil potret sebaran…")
    snapshot = services.distribution_snapshot_take(actor=job.owner or system_user())
    return {"rows": snapshot.row_count, "period": snapshot.period.isoformat()}
