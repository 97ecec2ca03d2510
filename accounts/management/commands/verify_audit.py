"""Walk the audit hash chain; name the first entry that does not hold (exit code 1)."""

import sys
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from accounts.audit_chain import verify
from accounts.models import AuditEntry


class Command(BaseCommand):
    help = (
        "Periksa rantai hash catatan audit. Keluar dengan kode 1 dan sebut catatan pertama "
        "yang rusak (id, waktu, pelaku) bila ada catatan yang diubah, dihapus atau disisipkan."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        entries = AuditEntry.objects.order_by("id").iterator(chunk_size=5000)
        checked, broken = verify(entries)
        if broken is None:
            self.stdout.write(f"Rantai audit utuh: {checked} catatan diperiksa.")
            return
        when = timezone.localtime(broken.at).strftime("%Y-%m-%d %H:%M:%S")
        self.stderr.write(
            f"Rantai audit rusak di catatan id {broken.id} ({when}, pelaku {broken.actor}): "
            f"{broken.reason}. {checked - 1} catatan sebelumnya utuh. Bandingkan catatan ini "
            "dengan cadangan basis data untuk mengetahui apa yang diubah."
        )
        sys.exit(1)
