import json
import re
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.cli import resolve_actor
from competency import credentials
from competency.services import (
    certificates_for_export,
    credential_for,
    credentials_export_audit,
    status_list_token,
)

STATUS_FILE = "daftar-status-pencabutan.json"


class Command(BaseCommand):
    help = (
        "Menulis kredensial setiap sertifikat yang berlaku (Open Badges 3.0 / VC 2.0, VC-JWT "
        f"EdDSA) sebagai berkas JSON, ditambah daftar status pencabutan ({STATUS_FILE}) dan "
        "kunci publik penerbit (jwks.json). Ekspor dicatat di log audit."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", required=True, help="Folder tujuan (dibuat bila belum ada)."
        )
        parser.add_argument("--nik", help="Hanya sertifikat orang dengan NIK ini.")
        parser.add_argument("--user", help="Bertindak sebagai pengguna ini (bawaan: 'sistem').")

    def handle(self, *args, **options):
        actor = resolve_actor(options["user"])
        out = Path(options["output"])
        try:
            certificates, person = certificates_for_export(actor=actor, nik=options["nik"] or "")
        except (PermissionDenied, ValidationError) as error:
            raise CommandError(" ".join(getattr(error, "messages", [str(error)]))) from error
        out.mkdir(parents=True, exist_ok=True)
        for certificate in certificates:
            name = re.sub(r"[^A-Za-z0-9._-]+", "-", certificate.number).strip("-")
            document = credentials.envelope(credential_for(certificate))
            (out / f"{name}.json").write_text(json.dumps(document, indent=2) + "\n")
        status = credentials.envelope(status_list_token())
        (out / STATUS_FILE).write_text(json.dumps(status, indent=2) + "\n")
        (out / "jwks.json").write_text(json.dumps(credentials.jwks(), indent=2) + "\n")
        credentials_export_audit(
            actor=actor, count=len(certificates), target=str(out), person=person
        )
        self.stdout.write(
            f"{len(certificates)} kredensial ditulis ke {out}, beserta {STATUS_FILE} dan jwks.json."
        )
