from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from registry.services import programmes_load


class Command(BaseCommand):
    help = "Memuat data rujukan: wilayah Kemendagri dan daftar klaster/program. Idempoten."

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("load_regions", stdout=self.stdout)
        count = programmes_load()
        self.stdout.write(f"Klaster/program: {count}.")
