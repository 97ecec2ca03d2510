"""Periodic jobs: when each is due, one run per period however many schedulers tick, no pile-up."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from jobs.models import Job, ScheduledRun
from jobs.schedule import Periodic, schedule
from jobs.services import HANDLERS, job_execute, schedule_tick

TZ = timezone.get_current_timezone()


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=TZ)


def test_an_interval_is_due_when_that_long_has_passed():
    entry = Periodic("x", "X", every=dt.timedelta(minutes=10))
    assert entry.due(None, at(2026, 11, 28, 9, 0))
    assert not entry.due(at(2026, 11, 28, 9, 0), at(2026, 11, 28, 9, 9, 59))
    assert entry.due(at(2026, 11, 28, 9, 0), at(2026, 11, 28, 9, 10))


def test_a_daily_run_is_due_once_after_its_time_each_day():
    entry = Periodic("x", "X", daily_at=dt.time(1, 0))
    # Last ran yesterday at 01:00: not yet due at 00:59, due from 01:00.
    assert not entry.due(at(2026, 11, 27, 1, 0), at(2026, 11, 28, 0, 59))
    assert entry.due(at(2026, 11, 27, 1, 0), at(2026, 11, 28, 1, 0))
    # Ran today after 01:00: not again until tomorrow.
    assert not entry.due(at(2026, 11, 28, 1, 0, 30), at(2026, 11, 28, 23, 59))
    # A scheduler that was down overnight catches up once.
    assert entry.due(at(2026, 11, 25, 1, 0), at(2026, 11, 28, 15, 0))


def test_a_monthly_run_is_due_once_from_the_first_of_the_month():
    entry = Periodic("x", "X", monthly_at=dt.time(2, 0))
    assert not entry.due(at(2026, 11, 1, 2, 5), at(2026, 11, 30, 23, 0))
    assert not entry.due(at(2026, 11, 1, 2, 5), at(2026, 12, 1, 1, 59))
    assert entry.due(at(2026, 11, 1, 2, 5), at(2026, 12, 1, 2, 0))
    # In January, the previous period began on 1 December.
    assert entry.due(at(2026, 11, 15), at(2027, 1, 1, 0, 30))
    assert not entry.due(at(2026, 12, 1, 2, 0), at(2027, 1, 1, 0, 30))


def test_every_scheduled_kind_has_a_handler():
    assert {e.kind for e in schedule()} <= set(HANDLERS)
    assert all(e.rule for e in schedule())


@pytest.mark.django_db
def test_a_tick_enqueues_what_is_due_once_as_the_system_actor(django_capture_on_commit_callbacks):
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=False):
        first = schedule_tick(now=now)
        again = schedule_tick(now=now + dt.timedelta(seconds=30))
    assert {j.kind for j in first} == {e.kind for e in schedule()}
    assert all(j.owner.username == "sistem" and j.status == Job.Status.QUEUED for j in first)
    # The first jobs are still queued: nothing is enqueued again, even when due.
    assert again == []
    later = now + dt.timedelta(minutes=11)
    assert schedule_tick(now=later) == []
    assert Job.objects.count() == len(schedule())


@pytest.mark.django_db
def test_a_finished_run_lets_the_next_one_start_when_due(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    now = timezone.now()
    first = {j.kind: j for j in schedule_tick(now=now)}
    job_execute(first["referral_escalations"])  # the real handler, on the real database
    assert Job.objects.get(pk=first["referral_escalations"].pk).status == Job.Status.DONE
    assert schedule_tick(now=now + dt.timedelta(minutes=30)) == []  # not due yet (hourly)
    due = schedule_tick(now=now + dt.timedelta(hours=1, minutes=1))
    assert [j.kind for j in due] == ["referral_escalations"]
    run = ScheduledRun.objects.get(kind="referral_escalations")
    assert run.last_job == due[0]


@pytest.mark.django_db
def test_a_job_left_unfinished_by_a_dead_worker_does_not_stop_the_schedule():
    now = timezone.now()
    stuck = {j.kind: j for j in schedule_tick(now=now)}["distribution_refresh"]
    Job.objects.filter(pk=stuck.pk).update(status=Job.Status.RUNNING)
    assert "distribution_refresh" not in {
        j.kind for j in schedule_tick(now=now + dt.timedelta(hours=1))
    }
    Job.objects.filter(pk=stuck.pk).update(created_at=now - dt.timedelta(hours=7))
    assert "distribution_refresh" in {
        j.kind for j in schedule_tick(now=now + dt.timedelta(hours=7))
    }


@pytest.mark.django_db
def test_the_command_lists_the_schedule_and_ticks_once():
    out = io.StringIO()
    call_command("run_scheduler", "--list", stdout=out)
    assert "distribution_refresh" in out.getvalue() and "belum pernah" in out.getvalue()
    out = io.StringIO()
    call_command("run_scheduler", "--once", stdout=out)
    assert out.getvalue().count("antre:") == len(schedule())
    out = io.StringIO()
    call_command("run_scheduler", "--list", stdout=out)
    assert "terakhir" in out.getvalue()
