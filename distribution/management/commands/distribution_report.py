from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from accounts.cli import resolve_actor
from distribution.exports import report_export

LEVELS = {
    "nation": "nasional",
    "province": "provinsi",
    "regency": "kabupaten",
    "district": "kecamatan",
}


class Command(BaseCommand):
    help = (
        "Menulis laporan sebaran: satu baris per wilayah dan klaster dengan kolom region_code, "
        "region_name, cluster, actual, required, wisn_difference, wisn_ratio, population, "
        "density_per_10k (dan lainnya). Hanya agregat; dalam cakupan --user."
    )

    def add_arguments(self, parser):
        parser.add_argument("--level", required=True, choices=sorted(LEVELS))
        parser.add_argument("--cluster", default="", help="Slug klaster/program (bawaan: semua).")
        parser.add_argument("--output", required=True, help="Berkas keluaran .csv atau .xlsx.")
        parser.add_argument("--user", help="Bertindak sebagai pengguna ini (bawaan: 'sistem').")

    def handle(self, *args, **options):
        actor = resolve_actor(options["user"])
        output = options["output"]
        fmt = "xlsx" if output.lower().endswith(".xlsx") else "csv"
        try:
            with open(output, "wb") as handle:
                count = report_export(
                    user=actor,
                    level=LEVELS[options["level"]],
                    cluster=options["cluster"],
                    fmt=fmt,
                    handle=handle,
                )
        except (PermissionDenied, ValidationError, Http404) as error:
            raise CommandError(" ".join(getattr(error, "messages", [str(error)]))) from error
        self.stdout.write(f"Laporan sebaran: {count} baris ditulis ke {output}.")
