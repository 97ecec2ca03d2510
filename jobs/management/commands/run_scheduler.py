import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from jobs.models import ScheduledRun
from jobs.schedule import schedule
from jobs.services import schedule_tick


class Command(BaseCommand):
    help = (
        "Menjalankan pekerjaan berkala (jobs/schedule.py) saat jatuh tempo, sebagai aktor "
        "'sistem'. Tanpa --once berjalan terus di samping worker; --once untuk cron."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="satu putaran lalu selesai")
        parser.add_argument(
            "--interval", type=int, default=30, help="detik antar putaran (bawaan 30)"
        )
        parser.add_argument("--list", action="store_true", help="tampilkan jadwal lalu selesai")

    def handle(self, *args, **options):
        if options["list"]:
            runs = {r.kind: r for r in ScheduledRun.objects.select_related("last_job")}
            for entry in schedule():
                run = runs.get(entry.kind)
                last = (
                    f"terakhir {timezone.localtime(run.last_enqueued_at):%d-%m-%Y %H.%M}"
                    f" ({run.last_job.get_status_display() if run.last_job else '-'})"
                    if run and run.last_enqueued_at
                    else "belum pernah"
                )
                self.stdout.write(f"{entry.kind:24} {entry.rule:28} {last}")
            return
        while True:
            for job in schedule_tick():
                self.stdout.write(f"{timezone.localtime():%H.%M.%S} antre: {job.title}")
            if options["once"]:
                return
            time.sleep(max(1, options["interval"]))
