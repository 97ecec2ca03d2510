"""Starting background jobs and reporting their progress.

Usage from a service::

    job = job_start(kind="registry_export", title="Ekspor registri", owner=user, params={...})

The job's handler is looked up in ``HANDLERS`` by kind; it receives the Job and a ``progress``
callable ``progress(done, total, message)``.

The worker runs every handler in the site's language, so that what a job stores (records,
explanations, audit notes) does not depend on who started it. Only the job's own words (its
progress message and a failure's reason) are in the language of whoever started it
(``Job.language``): a handler passes them lazily (``gettext_lazy``, or
``django.utils.functional.lazy`` for a sentence built from numbers) to ``progress`` or
``job.message``, and they are written here. What a finished job did is read from its result
when its page is shown, by the outcome function its app declared (``jobs.outcomes``).
"""

import datetime as dt
import logging
import re
import traceback
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import connections, transaction
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import access
from accounts.models import AuditEntry
from accounts.services import audit_record, system_user
from jobs.models import Job, ScheduledRun
from jobs.schedule import schedule

logger = logging.getLogger(__name__)

# kind -> dotted path of a handler ``(job: Job, progress: ProgressFn) -> dict``
# Filled by each app's declaration (``satupintu.provides.provide(jobs=...)``).
HANDLERS: dict[str, str] = {}
# kind -> dotted path of ``(job: Job) -> jobs.outcomes.JobOutcome``: how a finished job's result
# reads (``provide(job_outcomes=...)``).
OUTCOMES: dict[str, str] = {}

ProgressFn = Callable[[int, int, str], None]


def job_register(kind: str, handler_path: str) -> None:
    HANDLERS[kind] = handler_path


def job_outcome_register(kind: str, outcome_path: str) -> None:
    OUTCOMES[kind] = outcome_path


def _progress_connection_alias() -> str:
    """A second connection to the same PostgreSQL database, used only for progress rows.

    A long import holds one transaction on the default connection; progress written there
    would stay invisible until commit. PostgreSQL lets a second connection (autocommit) update
    the job row meanwhile. SQLite allows one writer at a time, so there long jobs report
    progress while they read and validate, outside their write transaction.
    """
    if "progress" not in connections.settings:
        connections.settings["progress"] = {**connections["default"].settings_dict}
    return "progress"


def _in_job_language(job: Job, text: Any) -> str:
    """A (lazy) text of the job's own, written in the language of whoever started it."""
    with translation.override(job.language or settings.LANGUAGE_CODE):
        return str(text or "")[:300]


def job_progress(job: Job, done: int, total: int, message: str = "") -> None:
    """Record progress so that it is visible at once, even inside an open transaction."""
    job.done, job.total, job.message = done, total, _in_job_language(job, message)
    conn = connections["default"]
    if conn.vendor == "postgresql" and conn.in_atomic_block:
        try:
            alias = _progress_connection_alias()
            Job.objects.using(alias).filter(pk=job.pk).update(
                done=done, total=total, message=job.message
            )
            return
        except Exception:
            logger.warning("Progress connection unavailable; progress shows at commit.")
    Job.objects.filter(pk=job.pk).update(done=done, total=total, message=job.message)


def job_start(*, kind: str, title: str, owner, params: dict[str, Any] | None = None) -> Job:
    """Create the job row and enqueue it once the surrounding transaction commits."""
    if kind not in HANDLERS:
        raise ValueError(f"Jenis pekerjaan tidak dikenal: {kind}")
    job = Job.objects.create(
        kind=kind,
        title=str(title),
        owner=owner,
        params=params or {},
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )

    def enqueue() -> None:
        # Inside: importing jobs.tasks at module level is a cycle (jobs.tasks imports this module).
        from jobs.tasks import run_job

        result = run_job.enqueue(str(job.uid))
        Job.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])

    transaction.on_commit(enqueue)
    return job


def job_download_record(*, job: Job, user) -> None:
    """Audit a download of a job's file ("unduh"): which kind, how many rows, with which
    filter and whether NIKs were masked; the rows themselves are not listed (issue 22)."""
    filters = dict(job.params.get("filters") or {})
    if filters.get("q"):
        # A typed NIK (or part of one) keeps its first four digits, as the registry masks it.
        filters["q"] = re.sub(r"(?<=\d{4})\d", "*", str(filters["q"]))
    result = job.result if isinstance(job.result, dict) else {}
    audit_record(
        actor=user,
        action=AuditEntry.Action.DOWNLOAD,
        obj=job,
        object_repr=job.title,
        changes={
            "kind": job.kind,
            "file": job.result_file.name.rsplit("/", 1)[-1],
            "rows": result.get("rows"),
            "filters": {k: v for k, v in filters.items() if v},
            "nik_masked": not access.sees_nik(user),
        },
    )


def job_start_once(*, kind: str, title: str, owner, params: dict[str, Any], key: str) -> Job | None:
    """Start a job unless one of the same kind and ``key`` is still queued (that one will do the
    same work when it runs); returns the job started, or None. ``key`` is kept in the params."""
    if kind not in HANDLERS:
        return None  # the capability that does this work is not installed
    queued = Job.objects.filter(kind=kind, status=Job.Status.QUEUED, params__key=key)
    if queued.exists():
        return None
    return job_start(kind=kind, title=title, owner=owner, params={**params, "key": key})


def failure_reason(exc: BaseException) -> str:
    """What went wrong, in words for the person who started the work.

    Our own errors carry a message for people. Anything else that is not an ``Exception``
    (a ``pyo3_runtime.PanicException`` from polars, say) is a defect of the software, not of
    the user's input: its English text would tell them nothing, so it is named only.
    """
    if isinstance(exc, Exception) and str(exc):
        return str(exc)
    return _(
        "kesalahan internal saat mengolah data (%(error)s); tidak ada data yang disimpan. Coba "
        "jalankan lagi; bila terulang, laporkan ke admin beserta waktu kejadian."
    ) % {"error": type(exc).__name__}


class _ProgressMessage(str):
    """A progress report's text on the job, as opposed to one its handler set itself."""


def job_execute(job: Job) -> Job:
    """Run a job's handler now (the worker calls this; so can tests and the CLI).

    Every failure ends the job as failed with its reason, including ``BaseException``
    subclasses that are not ``Exception`` (polars panics derive from ``BaseException``): a job
    left "running" would be watched forever and would keep its import locked. Only an
    interrupt or exit of the process itself goes through, after the job is marked failed.
    """
    job.status, job.started_at = Job.Status.RUNNING, timezone.now()
    job.save(update_fields=["status", "started_at"])
    reraise: BaseException | None = None

    def progress(done: int, total: int, message: str = "") -> None:
        job_progress(job, done, total, message)
        # Marked, to tell it from a message the handler sets as its outcome: a finished job
        # does not keep saying "Menulis baris… 4.000 / 5.601".
        job.message = _ProgressMessage(job.message)

    try:
        handler = import_string(HANDLERS[job.kind])
        with translation.override(settings.LANGUAGE_CODE):
            result = handler(job, progress)
    except BaseException as exc:  # the job page must say what went wrong, not hang
        logger.exception("Job %s failed", job.uid)
        if isinstance(exc, KeyboardInterrupt | SystemExit):
            reraise = exc
        job.status = Job.Status.FAILED
        with translation.override(job.language or settings.LANGUAGE_CODE):
            job.message = (_("Gagal: %(reason)s") % {"reason": failure_reason(exc)})[:300]
        job.result = {
            "error": failure_reason(exc),
            "detail": f"{type(exc).__name__}: {exc}"[:1000],
            "trace": traceback.format_exc()[-4000:],
        }
    else:
        job.status = Job.Status.DONE
        job.result = result or {}
        own = "" if isinstance(job.message, _ProgressMessage) else job.message
        job.message = _in_job_language(job, own) or _in_job_language(job, gettext_lazy("Selesai."))
        job.done = job.total  # done is done, whatever the last progress report counted
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "done", "message", "result", "result_file", "finished_at"])
    if reraise is not None:
        raise reraise
    return job


STALE_AFTER = dt.timedelta(hours=6)


def schedule_tick(*, now=None) -> list[Job]:
    """Enqueue every periodic job that is due (jobs.schedule); return the jobs started.

    Each entry's row is locked while it is checked (PostgreSQL; SQLite has one writer), so
    two schedulers never enqueue the same run; an entry whose last job is still queued or
    running waits for it instead of piling up (for ``STALE_AFTER`` at most: a job left
    unfinished by a worker that died does not stop the schedule for good).
    """
    now = now or timezone.now()
    started: list[Job] = []
    actor = system_user()
    for entry in schedule():
        if entry.kind not in HANDLERS:
            logger.warning("Jadwal %s: jenis pekerjaan tidak terdaftar.", entry.kind)
            continue
        with transaction.atomic():
            ScheduledRun.objects.get_or_create(kind=entry.kind)
            run = (
                ScheduledRun.objects.select_for_update(of=("self",))
                .select_related("last_job")
                .get(kind=entry.kind)
            )
            last = run.last_job
            if last is not None and not last.is_finished and now - last.created_at < STALE_AFTER:
                continue
            if not entry.due(run.last_enqueued_at, now):
                continue
            job = job_start(kind=entry.kind, title=entry.title, owner=actor)
            run.last_enqueued_at, run.last_job = now, job
            run.save(update_fields=["last_enqueued_at", "last_job"])
        started.append(job)
    return started
