import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from competency import credentials


class Command(BaseCommand):
    help = (
        "Memeriksa satu kredensial secara luring: tanda tangan EdDSA terhadap kunci publik "
        "penerbit, masa berlaku, dan (dengan --status-list) status pencabutan. Kode keluar: "
        "0 asli dan berlaku; 1 rusak/dipalsukan; 2 kedaluwarsa atau belum berlaku; 3 dicabut; "
        "4 daftar status tidak dapat dipakai."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "file", help="Berkas kredensial (JSON hasil export_credentials, atau JWT)."
        )
        parser.add_argument("--status-list", help="Berkas daftar status pencabutan yang diekspor.")
        parser.add_argument(
            "--jwks", help="Berkas JWKS kunci publik penerbit (bawaan: kunci instalasi ini)."
        )

    def _read(self, path: str) -> bytes:
        try:
            return Path(path).read_bytes()
        except OSError as error:
            raise CommandError(f"Berkas {path} tidak dapat dibaca: {error.strerror}.") from error

    def handle(self, *args, **options):
        data = self._read(options["file"])
        status = self._read(options["status_list"]) if options["status_list"] else None
        jwks_doc = None
        if options["jwks"]:
            try:
                jwks_doc = json.loads(self._read(options["jwks"]))
            except ValueError as error:
                raise CommandError("Berkas JWKS bukan JSON yang sah.") from error
        result = credentials.verify(data, jwks_doc=jwks_doc, status_list=status)
        if result.credential:
            subject = result.credential.get("credentialSubject", {})
            self.stdout.write(
                f"Kredensial: {result.credential.get('name', '')} — {subject.get('name', '')}"
            )
        for note in result.notes:
            self.stdout.write(note)
        if not result.ok:
            raise CommandError(" ".join(result.reasons), returncode=result.code)
        self.stdout.write(self.style.SUCCESS("ASLI dan BERLAKU."))
