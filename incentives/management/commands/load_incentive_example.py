from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.cli import resolve_actor
from incentives.services import incentive_example_load


class Command(BaseCommand):
    help = (
        "Memuat CONTOH skala insentif, indeks wilayah (turunan PMK 32/2025, SBM 2026) dan daftar "
        "wilayah khusus, lalu memberlakukannya. Data contoh, bukan ketetapan."
    )

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="Lewati bila sudah ada skala.")
        parser.add_argument("--user", help="Bertindak sebagai pengguna ini (bawaan: 'sistem').")

    def handle(self, *args, **options):
        actor = resolve_actor(options.get("user"))
        try:
            result = incentive_example_load(actor=actor, if_empty=options["if_empty"])
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        if not result["loaded"]:
            self.stdout.write("Skala insentif sudah ada; contoh tidak dimuat.")
            return
        self.stdout.write(
            f"CONTOH skala {result['scale']} dan indeks {result['index']} berlaku; "
            f"{result['areas']} wilayah khusus contoh."
        )
