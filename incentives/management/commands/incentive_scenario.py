import datetime as dt
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from accounts.cli import resolve_actor
from incentives import exports, selectors


class Command(BaseCommand):
    help = (
        "Menghitung skenario insentif untuk seluruh registri (dalam cakupan --user) dan menulis "
        "ringkasannya ke CSV atau XLSX. Tanpa --scenario: standar yang berlaku."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scenario",
            action="append",
            default=[],
            help="Nama atau uid skenario; boleh diulang (paling banyak 4). 'berlaku' = standar.",
        )
        parser.add_argument("--output", help="Berkas ringkasan: .csv atau .xlsx")
        parser.add_argument("--group", default="province", choices=sorted(selectors.GROUPS))
        parser.add_argument("--on", help="Tanggal perhitungan (ISO); bawaan hari ini.")
        parser.add_argument("--user", help="Bertindak sebagai pengguna ini (bawaan: 'sistem').")

    def handle(self, *args, **options):
        actor = resolve_actor(options.get("user"))
        keys = options["scenario"] or [selectors.IN_FORCE_KEY]
        if len(keys) > 4:
            raise CommandError("Paling banyak empat skenario.")
        try:
            scenarios = selectors.scenarios_by_keys(keys)
        except Http404 as error:
            raise CommandError(f"Skenario tidak ditemukan: {', '.join(keys)}") from error
        on = dt.date.fromisoformat(options["on"]) if options.get("on") else None
        comparison = selectors.scenario_compare(
            user=actor,
            scenarios=scenarios,
            group=options["group"],
            on=on,
            keep_paths=(options.get("output") or "").endswith(".xlsx"),
        )
        for column in comparison.columns:
            t = column.summary.total
            self.stdout.write(
                f"{column.name}: {t.headcount} penugasan, saat ini Rp{t.current_yearly:,}/tahun, "
                f"standar Rp{t.standard_yearly:,}/tahun, selisih Rp{t.difference_yearly:,}; "
                f"naik {t.winners}, turun {t.losers}, tak terhitung {t.not_computable}.".replace(
                    ",", "."
                )
            )
            for year, cost in zip(column.years, column.yearly_monthly_cost, strict=True):
                self.stdout.write(f"  transisi {year}: Rp{cost * 12:,}/tahun".replace(",", "."))
        if options.get("output"):
            path = Path(options["output"])
            fmt = path.suffix.lower().lstrip(".")
            if fmt not in {"csv", "xlsx"}:
                raise CommandError("--output harus berakhiran .csv atau .xlsx")
            try:
                rows = exports.scenario_summary_write(
                    user=actor, comparison=comparison, output=path, fmt=fmt
                )
            except (ValidationError, PermissionDenied) as error:
                raise CommandError(str(error)) from error
            self.stdout.write(f"Ringkasan ditulis: {path} ({rows} baris).")
