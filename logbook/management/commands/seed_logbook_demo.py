from django.core.management.base import BaseCommand

from logbook.demo import demo_exists, logbook_demo_seed


class Command(BaseCommand):
    help = (
        "Mengisi CONTOH catatan kegiatan pendamping lanjut usia Kabupaten Bandung (bulan lalu "
        "dilaporkan, bulan ini berjalan) dan jenis kegiatan per program bila belum ada."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2020)
        parser.add_argument(
            "--if-empty", action="store_true", help="Lewati bila contoh catatan sudah ada."
        )

    def handle(self, *args, **options):
        if options["if_empty"] and demo_exists():
            self.stdout.write("Contoh catatan kegiatan sudah ada.")
            return
        counts = logbook_demo_seed(seed=options["seed"])
        self.stdout.write(
            f"Contoh catatan kegiatan: {counts['entries']} kegiatan, "
            f"{counts['reports']} laporan bulanan."
        )
