from django.core.management.base import BaseCommand

from distribution.services import actual_aggregates_refresh, aggregates_refresh


class Command(BaseCommand):
    help = (
        "Menghitung ulang agregat kebutuhan/penduduk per wilayah dan cache jumlah penugasan "
        "untuk dasbor nasional dan provinsi. Jadwalkan, mis. setiap 10 menit (cron)."
    )

    def handle(self, *args, **options):
        need = aggregates_refresh()
        actual = actual_aggregates_refresh()
        self.stdout.write(f"Agregat wilayah: {need} baris; agregat penugasan: {actual} baris.")
