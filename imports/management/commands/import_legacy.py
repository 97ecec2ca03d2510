"""``python manage.py import_legacy FILE [FILE ...] (--cluster SLUG | --programme SLUG) …``

Imports legacy spreadsheets of one cluster/programme through the same service as the web
(imports.services.legacy_import), with a progress bar and a summary. Exit status: 0 when
every file was read and had at least one accepted row (a re-run that changes nothing is a
success), 1 when a file could not be read or all its data rows were rejected, 2 on wrong
arguments or access.
"""

import sys
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext
from tqdm import tqdm

from accounts.models import User
from accounts.services import system_user
from imports.layout import SKIP_LABELS
from imports.models import MappingProfile
from imports.services import ImportOutcome, ImportSource, legacy_import
from jobs.services import failure_reason
from registry.models import EmploymentStatus, Programme

SUMMARY = [
    ("rows_read", "Baris data dibaca"),
    ("new_people", "Orang baru"),
    ("new_engagements", "Penugasan baru"),
    ("updated_engagements", "Penugasan diperbarui"),
    ("updated_people", "Data orang diperbarui"),
    ("unchanged", "Tidak berubah"),
    ("duplicates", "Baris ganda"),
    ("rejected", "Ditolak"),
    ("flagged", "Ditandai untuk verifikasi"),
    ("skipped", "Dilewati (kosong/judul/jumlah)"),
    ("ended", "Penugasan diakhiri"),
    ("pending_confirmation", "Menunggu konfirmasi wil. lain"),
]


class Command(BaseCommand):
    help = "Mengimpor berkas lama (XLSX/XLS/ODS/CSV) satu klaster/program ke registri."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", help="Berkas yang diimpor (klaster yang sama).")
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--cluster", help="Slug klaster, mis. lanjut-usia.")
        group.add_argument("--programme", help="Slug program lain, mis. pkh.")
        parser.add_argument("--mapping", help="Nama profil pemetaan kolom yang disimpan.")
        parser.add_argument("--dry-run", action="store_true", help="Periksa saja, tidak disimpan.")
        parser.add_argument(
            "--full-roster",
            action="store_true",
            help="Berkas adalah daftar lengkap: penugasan yang tidak tercantum diakhiri.",
        )
        parser.add_argument(
            "--yes", action="store_true", help="Dengan --full-roster: lanjutkan tanpa bertanya."
        )
        parser.add_argument("--report", help="Tulis laporan XLSX ke berkas ini.")
        parser.add_argument("--user", help="Nama pengguna yang bertindak (bawaan: sistem).")
        parser.add_argument(
            "--status-default",
            default=EmploymentStatus.CONTRACT,
            choices=[c for c, _ in EmploymentStatus.choices],
            help="Status kepegawaian bila berkas tidak menyebutkannya (bawaan: kontrak).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        slug = options["cluster"] or options["programme"]
        programme = Programme.objects.filter(slug=slug).first()
        if programme is None:
            raise CommandError(f"Klaster/program '{slug}' tidak dikenal.", returncode=2)
        actor = self._actor(options["user"])
        profile = None
        if options["mapping"]:
            profile = MappingProfile.objects.filter(name=options["mapping"]).first()
            if profile is None:
                raise CommandError(
                    f"Profil pemetaan '{options['mapping']}' tidak ada.", returncode=2
                )
        sources = [ImportSource(path=Path(f)) for f in options["files"]]
        common = {
            "actor": actor,
            "programme": programme,
            "sources": sources,
            "profile": profile,
            "full_roster": options["full_roster"],
            "default_status": options["status_default"],
            "report": bool(options["report"]),
        }
        dry_run = options["dry_run"]
        try:
            if options["full_roster"] and not dry_run:
                preview = self._run(dry_run=True, label="Pratinjau", **common)
                if preview.failed:
                    return self._finish(preview, options)
                self._ending(preview)
                if preview.ending and not self._confirmed(options):
                    raise CommandError(
                        "Dibatalkan: tidak ada yang disimpan. Jalankan dengan --yes untuk "
                        "mengakhiri penugasan di atas.",
                        returncode=1,
                    )
                for source in sources:
                    source.run = None
            outcome = self._run(dry_run=dry_run, label="Uji coba" if dry_run else "Impor", **common)
        except PermissionDenied as exc:
            raise CommandError(str(exc), returncode=2) from exc
        except (KeyboardInterrupt, SystemExit, CommandError):
            raise
        except BaseException as exc:  # a polars panic is a BaseException: a message, no traceback
            raise CommandError(f"Impor gagal: {failure_reason(exc)}", returncode=1) from exc
        if dry_run and options["full_roster"]:
            self._ending(outcome)
        return self._finish(outcome, options)

    def _actor(self, username: str | None) -> User:
        if not username:
            return system_user()
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"Pengguna '{username}' tidak ada atau tidak aktif.", returncode=2)
        return user

    def _run(self, *, dry_run: bool, label: str, **common: Any) -> ImportOutcome:
        bar = tqdm(total=100, desc=label, unit="%", file=sys.stderr, disable=None, leave=False)

        def progress(done: int, total: int, message: str = "") -> None:
            bar.n = int(done * 100 / total) if total else 0
            bar.set_postfix_str(message[:60], refresh=False)
            bar.refresh()

        try:
            return legacy_import(dry_run=dry_run, progress=progress, **common)
        finally:
            bar.close()

    def _ending(self, outcome: ImportOutcome) -> None:
        if not outcome.ending:
            self.stdout.write("Daftar lengkap: tidak ada penugasan yang akan diakhiri.")
            return
        self.stdout.write(f"Penugasan yang akan diakhiri ({len(outcome.ending)}):")
        for item in outcome.ending[:200]:
            self.stdout.write(
                f"  {item['nik']}  {item['full_name']}  {item['regency_name']} "
                f"({item['regency_id']})  {item['legacy_title']}"
            )
        if len(outcome.ending) > 200:
            self.stdout.write(f"  … dan {len(outcome.ending) - 200} lainnya (lihat laporan).")

    def _confirmed(self, options: dict[str, Any]) -> bool:
        if options["yes"]:
            return True
        if not sys.stdin.isatty():
            return False
        answer = input("Akhiri penugasan di atas dan simpan impor? [y/N] ")
        return answer.strip().lower() in {"y", "ya", "yes"}

    def _finish(self, outcome: ImportOutcome, options: dict[str, Any]) -> None:
        for report in outcome.files:
            if report.error:
                self.stderr.write(f"{report.name}: TIDAK TERBACA — {report.error}")
                continue
            for sheet in report.sheets:
                self.stdout.write(f"{report.name} [{sheet['name']}]: {sheet['note']}")
                # What was concluded rather than read as written (also in the report).
                for note in sheet.get("layout") or []:
                    if note.get("kind") != "lembar":
                        self.stdout.write(f"  {note['text']}")
                for r in sheet.get("resolutions") or []:
                    self.stdout.write(f"  baris {r['rows']}: {r['note']}")
                skipped = sheet.get("skipped") or {}
                if skipped:
                    self.stdout.write(
                        "  "
                        + gettext("Dilewati: {items}.").format(
                            items=", ".join(
                                f"{n} {SKIP_LABELS.get(reason, reason)}"
                                for reason, n in skipped.items()
                            )
                        )
                    )
            counts = report.counts
            self.stdout.write(
                f"{report.name}: {counts.get('rows_read', 0)} baris, "
                f"{counts.get('accepted', 0)} diterima, {counts.get('rejected', 0)} ditolak, "
                f"{counts.get('flagged', 0)} ditandai."
            )
            if report.failed:
                self.stderr.write(f"{report.name}: semua baris data ditolak.")
        if outcome.counts:
            title = "Ringkasan (uji coba, tidak disimpan)" if outcome.dry_run else "Ringkasan"
            self.stdout.write(title + ":")
            for key, label in SUMMARY:
                self.stdout.write(
                    f"  {label:<32} {outcome.counts.get(key, 0):>9,}".replace(",", ".")
                )
        if options["report"] and outcome.report:
            Path(options["report"]).write_bytes(outcome.report)
            self.stdout.write(f"Laporan: {options['report']}")
        issues = outcome.issues
        if len(issues):
            shown = issues.filter(issues["severity"] != "warning").head(20)
            for row in shown.iter_rows(named=True):
                self.stdout.write(
                    f"  {row['file']} [{row['sheet']}] baris {row['row']}, {row['column']}: "
                    f"{row['message']}"
                )
        if outcome.failed:
            raise CommandError("Impor tidak berhasil untuk sebagian berkas.", returncode=1)
