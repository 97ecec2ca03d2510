"""Daily (or hourly) pass over referrals: reminders, then escalation past the deadline."""

from django.core.management.base import BaseCommand

from collaboration.services import referral_escalations


class Command(BaseCommand):
    help = "Kirim pengingat dan eskalasi rujukan yang melewati batas tanggapan."

    def handle(self, *args, **options):
        result = referral_escalations()
        self.stdout.write(f"Pengingat: {result['reminded']}, eskalasi: {result['escalated']}.")
