"""The background job that runs an uploaded file's dry run or commit for the web flow."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext_lazy

from imports.models import ImportRun
from imports.services.legacy import legacy_import
from imports.services.sources import ImportSource, ProgressFn
from jobs.models import Job
from jobs.outcomes import JobOutcome, count
from registry.models import EmploymentStatus

JOB_KIND = "legacy_import"


def legacy_import_job(job: Job, progress: ProgressFn) -> dict[str, Any]:
    """The background job: run one uploaded file's dry run or commit."""
    run = ImportRun.objects.select_related("programme", "mapping_profile").get(
        uid=job.params["run"]
    )
    actor = job.owner
    try:
        if actor is None:  # no starter, no scope: refused (and the run failed), as before
            raise PermissionDenied("Peran Anda tidak boleh mengimpor data registri.")
        outcome = legacy_import(
            actor=actor,
            programme=run.programme,
            sources=[
                ImportSource(
                    path=Path(run.file.path),
                    name=run.file_name,
                    mapping=run.mapping or None,
                    run=run,
                )
            ],
            profile=run.mapping_profile,
            dry_run=bool(job.params.get("dry_run")),
            full_roster=bool(job.params.get("full_roster")),
            default_status=run.options.get("default_status", EmploymentStatus.CONTRACT),
            progress=progress,
        )
    except BaseException:  # a polars panic too: the run must not stay locked
        ImportRun.objects.filter(pk=run.pk, status=ImportRun.Status.RUNNING).update(
            status=ImportRun.Status.FAILED, finished_at=timezone.now()
        )
        raise
    if outcome.committed and run.file:
        # Data minimisation (UU PDP): once the rows are in the registry the uploaded copy goes;
        # the hash, the counts and the report stay.
        run.file.delete(save=False)
        ImportRun.objects.filter(pk=run.pk).update(file="", preview=[])
    return {"run": str(run.uid), "counts": outcome.counts, "failed": outcome.failed}


# How each of an import's counts reads, in the order of the import's own page; "count" picks
# the plural, "n" is the number as the language writes it.
COUNT_SENTENCES = {
    "rows_read": ngettext_lazy("%(n)s baris data dibaca.", "%(n)s baris data dibaca.", "count"),
    "accepted": ngettext_lazy("%(n)s baris diterima.", "%(n)s baris diterima.", "count"),
    "rejected": ngettext_lazy("%(n)s baris ditolak.", "%(n)s baris ditolak.", "count"),
    "flagged": ngettext_lazy(
        "%(n)s baris ditandai untuk verifikasi.", "%(n)s baris ditandai untuk verifikasi.", "count"
    ),
    "skipped": ngettext_lazy(
        "%(n)s baris dilewati (kosong, judul atau jumlah).",
        "%(n)s baris dilewati (kosong, judul atau jumlah).",
        "count",
    ),
    "new_people": ngettext_lazy("%(n)s orang baru.", "%(n)s orang baru.", "count"),
    "new_engagements": ngettext_lazy("%(n)s penugasan baru.", "%(n)s penugasan baru.", "count"),
    "updated_engagements": ngettext_lazy(
        "%(n)s penugasan diperbarui.", "%(n)s penugasan diperbarui.", "count"
    ),
    "updated_people": ngettext_lazy(
        "%(n)s data orang dilengkapi atau diperbarui.",
        "%(n)s data orang dilengkapi atau diperbarui.",
        "count",
    ),
    "unchanged": ngettext_lazy(
        "%(n)s penugasan tidak berubah.", "%(n)s penugasan tidak berubah.", "count"
    ),
    "duplicates": ngettext_lazy(
        "%(n)s baris ganda (tidak menjadi penugasan kedua).",
        "%(n)s baris ganda (tidak menjadi penugasan kedua).",
        "count",
    ),
    "ended": ngettext_lazy(
        "%(n)s penugasan diakhiri (daftar lengkap).",
        "%(n)s penugasan diakhiri (daftar lengkap).",
        "count",
    ),
    "flags_raised": ngettext_lazy(
        "%(n)s tanda verifikasi baru.", "%(n)s tanda verifikasi baru.", "count"
    ),
    "pending_confirmation": ngettext_lazy(
        "%(n)s penugasan menunggu konfirmasi wilayah orang itu.",
        "%(n)s penugasan menunggu konfirmasi wilayah orang itu.",
        "count",
    ),
}


def legacy_import_outcome(job: Job) -> JobOutcome:
    """How a finished ``legacy_import`` job reads (jobs.outcomes): the counts in words, and the
    import's own page (report, corrections) as the way on."""
    result = job.result
    counts = result.get("counts") or {}
    if result.get("failed"):
        sentences = [_("Berkas tidak dapat diimpor: alasannya ada di halaman impor.")]
    elif job.params.get("dry_run"):
        sentences = [_("Uji coba: belum ada yang disimpan. Periksa hasilnya di halaman impor.")]
    else:
        sentences = [_("Impor disimpan ke registri.")]
    for key, sentence in COUNT_SENTENCES.items():
        n = int(counts.get(key) or 0)
        if n:
            sentences.append(sentence % {"count": n, "n": count(n)})
    links = []
    if result.get("run"):
        links.append((_("Lihat hasil impor"), reverse("imports:run", args=[result["run"]])))
    return JobOutcome(sentences=sentences, links=links)
