from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.cli import resolve_actor
from distribution.services import caseload_import


class Command(BaseCommand):
    help = (
        "Mengimpor beban kasus per penugasan dan bulan dari CSV/XLSX (kolom periode, "
        "jumlah_kasus, dan id_penugasan atau nik + klaster + kode_kabupaten)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", required=True)
        parser.add_argument("--user", help="Bertindak sebagai pengguna ini (bawaan: 'sistem').")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.exists():
            raise CommandError(f"Berkas {path} tidak ditemukan.")
        try:
            count = caseload_import(actor=resolve_actor(options["user"]), path=path)
        except (PermissionDenied, ValidationError) as error:
            raise CommandError("\n".join(getattr(error, "messages", [str(error)]))) from error
        self.stdout.write(f"Beban kasus dimuat: {count} baris.")
