import json
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.cli import resolve_actor
from distribution.services import staffing_standards_load

DEMO = Path(__file__).resolve().parents[2] / "data" / "standards_demo.json"


class Command(BaseCommand):
    help = (
        "Memuat standar kebutuhan pendamping (rasio atau model WISN) dari berkas JSON; "
        "setiap standar menggantikan standar yang berlaku untuk klasternya. Tanpa --file: "
        "standar CONTOH di distribution/data/standards_demo.json."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", help="Berkas JSON (daftar standar).")
        parser.add_argument("--user", help="Bertindak sebagai pengguna ini (bawaan: 'sistem').")

    def handle(self, *args, **options):
        path = Path(options["file"]) if options["file"] else DEMO
        try:
            items = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise CommandError(f"Berkas {path} tidak dapat dibaca: {error}") from error
        try:
            count = staffing_standards_load(actor=resolve_actor(options["user"]), items=items)
        except (PermissionDenied, ValidationError) as error:
            raise CommandError("\n".join(getattr(error, "messages", [str(error)]))) from error
        self.stdout.write(f"Standar kebutuhan dimuat: {count}.")
