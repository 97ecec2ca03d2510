from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.cli import resolve_actor
from distribution.services import need_dataset_import


class Command(BaseCommand):
    help = (
        "Mengimpor data kebutuhan per wilayah dan klaster dari CSV/XLSX (kolom kode_wilayah, "
        "klaster, jumlah; atau kode_wilayah dan satu kolom per slug klaster). Semua baris "
        "atau tidak sama sekali; versi baru menggantikan versi lama untuk klaster yang sama."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", required=True)
        parser.add_argument("--name", required=True, help="Nama seri data, mis. 'DTSEN lansia'.")
        parser.add_argument("--source", required=True, help="Sumber data (wajib).")
        parser.add_argument("--period", required=True, help="Periode, mis. 2025-S1.")
        parser.add_argument("--note", default="")
        parser.add_argument("--user", help="Bertindak sebagai pengguna ini (bawaan: 'sistem').")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.exists():
            raise CommandError(f"Berkas {path} tidak ditemukan.")
        try:
            dataset = need_dataset_import(
                actor=resolve_actor(options["user"]),
                path=path,
                name=options["name"],
                source=options["source"],
                period=options["period"],
                note=options["note"],
            )
        except (PermissionDenied, ValidationError) as error:
            raise CommandError("\n".join(getattr(error, "messages", [str(error)]))) from error
        self.stdout.write(
            f"Data kebutuhan '{dataset}' dimuat: {dataset.row_count} baris, "
            f"klaster {', '.join(dataset.programmes)}."
        )
