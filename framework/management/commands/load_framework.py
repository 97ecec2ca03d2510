from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.cli import resolve_actor
from framework import interchange
from framework.harmonize import framework_version_activate, version_in_force
from framework.models import FrameworkVersion
from framework.services import STARTER_FILE, framework_version_agree, framework_version_import


class Command(BaseCommand):
    help = (
        "Memuat kerangka kualifikasi dari berkas YAML/XLSX sebagai draf (tanpa berkas: kerangka "
        "CONTOH bawaan). Dengan --activate: disepakati, diberlakukan, dan semua penugasan "
        "diharmonisasi. Idempoten: versi dengan nama yang sama tidak dimuat ulang."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "file", nargs="?", help=f"Berkas kerangka (bawaan: {STARTER_FILE.name})."
        )
        parser.add_argument("--activate", action="store_true", help="Sepakati dan berlakukan.")
        parser.add_argument(
            "--if-none-in-force",
            action="store_true",
            help="Dengan --activate: hanya berlakukan bila belum ada versi yang berlaku.",
        )
        parser.add_argument("--name", help="Nama versi (menggantikan nama di berkas).")
        parser.add_argument("--user", help="Bertindak sebagai pengguna ini (bawaan: 'sistem').")

    def handle(self, *args, **options):
        actor = resolve_actor(options["user"])
        path = Path(options["file"]) if options["file"] else STARTER_FILE
        if not path.exists():
            raise CommandError(f"Berkas {path} tidak ditemukan.")
        try:
            document = interchange.document_from_file(path.name, path.read_bytes())
            name = options["name"] or document["version"]["name"]
            version = FrameworkVersion.objects.filter(name=name).first()
            if version is not None:
                self.stdout.write(f"Versi «{name}» sudah ada ({version.get_status_display()}).")
            else:
                version = framework_version_import(
                    actor=actor, document=document, source=path.name, name=options["name"]
                )
                label = " [CONTOH, bukan peraturan resmi]" if version.is_example else ""
                self.stdout.write(
                    f"Dimuat sebagai draf: «{version.name}»{label}: {version.levels.count()} "
                    f"jenjang, {version.units.count()} unit, {version.packages.count()} paket, "
                    f"{version.rules.count()} aturan."
                )
            if not options["activate"] or version.status in {
                FrameworkVersion.Status.IN_FORCE,
                FrameworkVersion.Status.SUPERSEDED,
            }:
                return
            if options["if_none_in_force"] and version_in_force() is not None:
                self.stdout.write("Sudah ada versi yang berlaku; versi ini tidak diberlakukan.")
                return
            if version.status == FrameworkVersion.Status.DRAFT:
                version = framework_version_agree(
                    actor=actor, version=version, note=f"Disepakati melalui CLI ({path.name})."
                )
            run = framework_version_activate(actor=actor, version=version)
        except (ValidationError, PermissionDenied) as error:
            raise CommandError(" ".join(getattr(error, "messages", [str(error)]))) from error
        self.stdout.write(f"Diberlakukan: «{version.name}». {run.headline}")
