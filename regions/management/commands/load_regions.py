import time

from django.core.management.base import BaseCommand

from regions.services import REGULATION, SOURCE, VERSION, regions_load


class Command(BaseCommand):
    help = "Memuat seluruh wilayah Kemendagri (idn-area-data 4.0.1) ke basis data. Idempoten."

    def handle(self, *args, **options):
        started = time.monotonic()
        counts = regions_load()
        self.stdout.write(
            f"Wilayah {SOURCE} {VERSION} ({REGULATION}): "
            f"{counts['province']} provinsi, {counts['regency']} kabupaten/kota, "
            f"{counts['district']} kecamatan, {counts['village']} desa/kelurahan "
            f"({time.monotonic() - started:.1f} dtk)."
        )
