from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from logbook.demo import TYPES_FILE, activity_types_load_file


class Command(BaseCommand):
    help = (
        "Memuat jenis kegiatan per program dari berkas JSON {slug program: [{code, name, "
        "client_unit, counts_towards_caseload}]} (bawaan: contoh logbook/data/activity_types.json)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default=str(TYPES_FILE))

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.exists():
            raise CommandError(f"Berkas {path} tidak ada.")
        try:
            count = activity_types_load_file(path)
        except (ValueError, KeyError) as error:
            raise CommandError(
                f"{path}: bukan daftar jenis kegiatan yang sah ({error})."
            ) from error
        self.stdout.write(f"{count} jenis kegiatan dimuat.")
