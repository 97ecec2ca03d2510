from django.core.management.base import BaseCommand

from accounts.cli import resolve_actor
from competency.services import certificates_expire


class Command(BaseCommand):
    help = (
        "Menandai sertifikat yang masa berlakunya lewat sebagai kedaluwarsa, memberi tahu "
        "pemegangnya, dan membuka kasus tinjauan jenjang bila jenjang capaian turun di bawah "
        "jenjang jabatan yang ditetapkan dengan SK (jenjang jabatan tidak diubah)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--user", help="Bertindak sebagai pengguna ini (bawaan: 'sistem').")

    def handle(self, *args, **options):
        report = certificates_expire(actor=resolve_actor(options["user"]))
        self.stdout.write(
            f"{len(report.certificates)} sertifikat ditandai kedaluwarsa; "
            f"{len(report.reviews_raised)} kasus tinjauan jenjang baru, "
            f"{len(report.reviews_refreshed)} diperbarui; {report.notifications} notifikasi."
        )
