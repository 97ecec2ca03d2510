from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.cli import resolve_actor
from distribution.services import population_dataset_import


class Command(BaseCommand):
    help = (
        "Mengimpor jumlah penduduk per wilayah dari CSV/XLSX (kolom kode_wilayah, "
        "jumlah_penduduk) untuk kepadatan per 10.000 penduduk. Semua baris atau tidak sama sekali."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", required=True)
        parser.add_argument("--name", required=True)
        parser.add_argument("--source", required=True)
        parser.add_argument("--period", required=True)
        parser.add_argument("--user", help="Bertindak sebagai pengguna ini (bawaan: 'sistem').")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.exists():
            raise CommandError(f"Berkas {path} tidak ditemukan.")
        try:
            dataset = population_dataset_import(
                actor=resolve_actor(options["user"]),
                path=path,
                name=options["name"],
                source=options["source"],
                period=options["period"],
            )
        except (PermissionDenied, ValidationError) as error:
            raise CommandError("\n".join(getattr(error, "messages", [str(error)]))) from error
        self.stdout.write(f"Data penduduk '{dataset}' dimuat: {dataset.row_count} baris.")
