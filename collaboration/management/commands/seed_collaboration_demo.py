"""Demo receiving units of other agencies in the demo regency, so that a referral to a
puskesmas or a UPTD PPA can be sent and answered through its e-mail link."""

from django.core.management.base import BaseCommand

from accounts.services import system_user
from collaboration.models import ReceivingUnit
from collaboration.services.units import receiving_unit_save

DEMO_REGENCY = "32.04"  # Kabupaten Bandung, the demo's home regency
DEMO_UNITS = [
    ("Puskesmas Cileunyi (contoh)", "Puskesmas", "puskesmas.cileunyi@contoh.go.id"),
    ("UPTD PPA Kabupaten Bandung (contoh)", "UPTD PPA", "uptd.ppa@contoh.go.id"),
    ("Dinas Kesehatan Kabupaten Bandung (contoh)", "Dinas Kesehatan", "dinkes@contoh.go.id"),
    ("Balai Latihan Kerja Kabupaten Bandung (contoh)", "BLK", "blk@contoh.go.id"),
]


class Command(BaseCommand):
    help = "Membuat unit penerima rujukan contoh di Kabupaten Bandung (sekali saja)."

    def handle(self, *args, **options):
        if ReceivingUnit.objects.exists():
            self.stdout.write("Unit penerima rujukan sudah ada.")
            return
        actor = system_user()
        for name, agency_type, email in DEMO_UNITS:
            receiving_unit_save(
                actor=actor,
                data={
                    "name": name,
                    "agency_type": agency_type,
                    "regency_id": DEMO_REGENCY,
                    "email": email,
                    "is_active": True,
                },
            )
        self.stdout.write(f"Unit penerima rujukan contoh: {len(DEMO_UNITS)} di Kabupaten Bandung.")
