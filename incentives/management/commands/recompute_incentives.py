import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.cli import resolve_actor
from incentives.services import standard_incentives_recompute
from jobs.services import job_start


class Command(BaseCommand):
    help = (
        "Menghitung ulang Engagement.standard_incentive di seluruh registri dengan skala berlaku."
    )

    def add_arguments(self, parser):
        parser.add_argument("--on", help="Tanggal perhitungan (ISO); bawaan hari ini.")
        parser.add_argument("--user", help="Bertindak sebagai pengguna ini (bawaan: 'sistem').")
        parser.add_argument(
            "--background", action="store_true", help="Jalankan sebagai pekerjaan latar belakang."
        )

    def handle(self, *args, **options):
        actor = resolve_actor(options.get("user"))
        on = dt.date.fromisoformat(options["on"]) if options.get("on") else None
        if options["background"]:
            with transaction.atomic():
                job = job_start(
                    kind="incentives_recompute",
                    title="Hitung ulang insentif standar",
                    owner=actor,
                    params={"on": on.isoformat() if on else None},
                )
            self.stdout.write(f"Pekerjaan {job.uid} diantrekan.")
            return
        try:
            result = standard_incentives_recompute(actor=actor, on=on)
        except (ValidationError, PermissionDenied) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"{result['engagements']} penugasan dihitung per {result['on']}, "
            f"{result['changed']} berubah, dalam {result['seconds']} detik."
        )
        for reason, count in sorted(result["not_computable"].items()):
            self.stdout.write(f"  tidak dapat dihitung ({reason}): {count}")
