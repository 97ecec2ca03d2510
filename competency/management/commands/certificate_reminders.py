from django.core.management.base import BaseCommand

from accounts.cli import resolve_actor
from competency.services import REMINDER_DAYS, certificate_reminders_send, certificates_expire


class Command(BaseCommand):
    help = (
        "Mengirim pengingat (notifikasi dalam aplikasi dan surel) untuk sertifikat yang akan "
        f"berakhir ({', '.join(map(str, REMINDER_DAYS))} hari sebelumnya), lalu menandai "
        "sertifikat yang sudah kedaluwarsa. Aman dijalankan berulang (harian, mis. lewat cron)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-expire", action="store_true", help="Hanya pengingat, tanpa menandai kedaluwarsa."
        )
        parser.add_argument("--user", help="Bertindak sebagai pengguna ini (bawaan: 'sistem').")

    def handle(self, *args, **options):
        actor = resolve_actor(options["user"])
        sent = certificate_reminders_send()
        self.stdout.write(f"Pengingat: {sent['notifications']} notifikasi, {sent['emails']} surel.")
        if options["no_expire"]:
            return
        report = certificates_expire(actor=actor)
        self.stdout.write(
            f"Kedaluwarsa: {len(report.certificates)} sertifikat ditandai; "
            f"{len(report.reviews_raised)} kasus tinjauan jenjang baru, "
            f"{len(report.reviews_refreshed)} diperbarui."
        )
