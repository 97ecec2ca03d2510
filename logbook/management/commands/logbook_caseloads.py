import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from accounts.cli import resolve_actor
from logbook.services import month_caseloads_build


class Command(BaseCommand):
    help = (
        "Membangun ulang beban kasus resmi satu bulan dari laporan logbook yang disetujui "
        "(menggantikan angka cadangan operator untuk bulan itu)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--month", required=True, help="Bulan TTTT-BB.")
        parser.add_argument("--user", help="Bertindak sebagai pengguna ini (bawaan: 'sistem').")

    def handle(self, *args, **options):
        try:
            month = dt.date.fromisoformat(options["month"] + "-01")
        except ValueError as error:
            raise CommandError("Tulis bulan sebagai TTTT-BB, mis. 2026-05.") from error
        rows = month_caseloads_build(month=month, actor=resolve_actor(options["user"]))
        self.stdout.write(f"{rows} beban kasus bulan {month:%Y-%m} dari logbook.")
