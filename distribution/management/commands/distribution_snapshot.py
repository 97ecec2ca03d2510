import datetime as dt

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from accounts.cli import resolve_actor
from distribution.services import distribution_snapshot_take


class Command(BaseCommand):
    help = (
        "Mengambil potret sebaran (aktual dan kebutuhan per wilayah dan klaster, nasional "
        "sampai kecamatan) untuk grafik tren. Jalankan sebulan sekali, mis. dari cron."
    )

    def add_arguments(self, parser):
        parser.add_argument("--period", help="Bulan yang diwakili, TTTT-BB (bawaan: bulan ini).")
        parser.add_argument("--note", default="", help="Catatan.")
        parser.add_argument("--user", help="Bertindak sebagai pengguna ini (bawaan: 'sistem').")

    def handle(self, *args, **options):
        period = None
        if options["period"]:
            try:
                period = dt.date.fromisoformat(options["period"] + "-01")
            except ValueError as error:
                raise CommandError("Periode harus berbentuk TTTT-BB, mis. 2025-06.") from error
        try:
            snapshot = distribution_snapshot_take(
                actor=resolve_actor(options["user"]), period=period, note=options["note"]
            )
        except PermissionDenied as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Potret {snapshot.period:%Y-%m}: {snapshot.row_count} baris.")
