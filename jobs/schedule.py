"""Periodic jobs: what runs on its own, and when.

The work itself is an ordinary job kind (see ``jobs.services.HANDLERS``), and each app declares its
own entries (``satupintu.provides``); the scheduler only
enqueues it when it is due, as the ``sistem`` actor, so each run shows up as a Job with its
progress and result like any other. ``python manage.py run_scheduler`` ticks every 30 seconds
beside the workers (``make run`` starts it); ``run_scheduler --once`` is one tick, for cron.

A run is due when the entry's rule says so since the last enqueue recorded in
``ScheduledRun``; the row is locked while it is checked, so two schedulers never enqueue the
same run twice, and a run whose previous job is still queued or running is skipped, so slow
work never piles up.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone


@dataclass(frozen=True)
class Periodic:
    kind: str  # a job kind in jobs.services.HANDLERS
    title: str  # shown on the job (Indonesian)
    every: dt.timedelta | None = None  # an interval, or
    daily_at: dt.time | None = None  # once a day from this local time, or
    monthly_at: dt.time | None = None  # once a month, on the 1st, from this local time

    def due(self, last: dt.datetime | None, now: dt.datetime) -> bool:
        """Whether a run is due at ``now`` when the last one was enqueued at ``last``."""
        if self.every is not None:
            return last is None or now - last >= self.every
        local = timezone.localtime(now)
        at = self.daily_at or self.monthly_at
        assert at is not None, f"{self.kind}: no rule"
        start = local.replace(hour=at.hour, minute=at.minute, second=0, microsecond=0)
        if self.monthly_at is not None:
            start = start.replace(day=1)
        if local < start:  # not yet today / this month: the previous period's start
            if self.monthly_at is not None:
                start = (start - dt.timedelta(days=1)).replace(day=1)
            else:
                start -= dt.timedelta(days=1)
        return last is None or timezone.localtime(last) < start

    @property
    def rule(self) -> str:
        if self.every is not None:
            minutes = int(self.every.total_seconds() // 60)
            return f"tiap {minutes} menit" if minutes < 60 else f"tiap {minutes // 60} jam"
        if self.daily_at is not None:
            return f"tiap hari pukul {self.daily_at:%H.%M}"
        return f"tiap tanggal 1 pukul {self.monthly_at:%H.%M}"


_SCHEDULE: dict[str, Periodic] = {}


def schedule_register(entry: Periodic) -> None:
    """Add a periodic run; each app declares its own in ``AppConfig.ready``
    (``satupintu.provides.provide(schedule=[...])``). One entry per kind."""
    _SCHEDULE[entry.kind] = entry


def schedule() -> tuple[Periodic, ...]:
    """Every periodic run the installed apps declared, in the order they declared them."""
    return tuple(_SCHEDULE.values())
