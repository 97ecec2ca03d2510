from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.cli import resolve_actor
from registry.exports import registry_export
from registry.selectors import RegistryFilters


class Command(BaseCommand):
    help = (
        "Mengekspor registri (satu baris per penugasan) ke CSV atau XLSX, dalam cakupan pengguna."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", choices=["csv", "xlsx"], required=True)
        parser.add_argument("--output", required=True, help="Berkas tujuan.")
        parser.add_argument(
            "--user", help="Bertindak sebagai pengguna ini (default: aktor 'sistem')."
        )
        for name in ("cluster", "province", "regency", "level", "status", "verification", "q"):
            parser.add_argument(f"--{name}", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = resolve_actor(options["user"])
        filters = RegistryFilters.from_params(options)
        output = Path(options["output"])
        if output.parent and not output.parent.exists():
            raise CommandError(f"Folder {output.parent} tidak ada.")
        try:
            count = registry_export(
                user=actor, filters=filters, fmt=options["format"], output=output
            )
        except PermissionDenied as error:
            raise CommandError(f"{actor.username}: {error}") from error
        self.stdout.write(f"{count} baris ditulis ke {output} (sebagai {actor.username}).")
