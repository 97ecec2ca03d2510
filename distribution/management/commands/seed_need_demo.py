from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.cli import resolve_actor
from distribution.demo import demo_exists, need_demo_seed


class Command(BaseCommand):
    help = (
        "Mengisi data CONTOH sebaran: standar kebutuhan, penduduk dan kebutuhan untuk semua "
        "desa/kelurahan (83.762), serta beban kasus penugasan aktif. Deterministik per benih."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2020, help="Benih acak (bawaan 2020).")
        parser.add_argument("--period", default="2025", help="Periode data contoh.")
        parser.add_argument(
            "--match-registry",
            action="store_true",
            help="Skalakan kebutuhan agar sebanding dengan jumlah penugasan aktif di registri "
            "(untuk demo dengan registri kecil).",
        )
        parser.add_argument(
            "--no-caseloads", action="store_true", help="Tanpa data contoh beban kasus."
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Tidak melakukan apa pun bila sudah ada data kebutuhan (untuk `make run`).",
        )
        parser.add_argument("--user", help="Bertindak sebagai pengguna ini (bawaan: 'sistem').")

    def handle(self, *args, **options):
        if options["if_empty"] and demo_exists():
            self.stdout.write("Data kebutuhan sudah ada; data contoh sebaran tidak ditambahkan.")
            return
        actor = resolve_actor(options["user"])
        try:
            counts = need_demo_seed(
                actor=actor,
                seed=options["seed"],
                match_registry=options["match_registry"],
                caseloads=not options["no_caseloads"],
                period=options["period"],
            )
        except (PermissionDenied, ValidationError) as error:
            raise CommandError(" ".join(getattr(error, "messages", [str(error)]))) from error
        self.stdout.write(
            f"Data contoh sebaran: {counts['villages']} desa/kelurahan, "
            f"{counts['need_rows']} angka kebutuhan, {counts['population_rows']} angka penduduk, "
            f"{counts['caseload_rows']} beban kasus, {counts['aggregate_rows']} agregat wilayah "
            f"({counts['seconds']} detik)."
        )
