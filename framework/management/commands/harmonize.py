from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from accounts.cli import resolve_actor
from framework.harmonize import engagements_harmonize
from registry.models import ROMAN


class Command(BaseCommand):
    help = (
        "Mengharmonisasi semua penugasan dengan kerangka yang berlaku: jenjang harmonisasi, "
        "nomenklatur baku, dan penjelasannya. --dry-run hanya menampilkan pratinjau perubahan."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Pratinjau; tidak menulis.")
        parser.add_argument("--user", help="Bertindak sebagai pengguna ini (bawaan: 'sistem').")

    def handle(self, *args, **options):
        actor = resolve_actor(options["user"])
        bar = tqdm(
            total=0,
            desc="Harmonisasi",
            unit=" kombinasi",
            file=self.stderr,
            disable=options["verbosity"] == 0,
        )

        def progress(done: int, total: int, message: str = "") -> None:
            bar.total = total
            bar.n = done
            bar.set_postfix_str(message[:60], refresh=True)

        try:
            run = engagements_harmonize(actor=actor, dry_run=options["dry_run"], progress=progress)
        except (ValidationError, PermissionDenied) as error:
            raise CommandError(" ".join(getattr(error, "messages", [str(error)]))) from error
        finally:
            bar.close()
        prefix = "Pratinjau (tidak ada yang ditulis)" if run.dry_run else "Selesai"
        self.stdout.write(f"{prefix} — kerangka «{run.version.label}»: {run.headline}")
        for t in run.summary.transitions:
            before, after = ROMAN.get(t.before or 0, "—"), ROMAN.get(t.after or 0, "—")
            examples = "; ".join(f"{e.legacy_title} ({e.programme.slug})" for e in t.examples)
            self.stdout.write(
                f"  {before} → {after}: {t.count}" + (f"  mis. {examples}" if examples else "")
            )
        if not run.dry_run:
            s = run.summary
            self.stdout.write(
                f"{s.written} penugasan ditulis, {s.audited} perubahan diaudit, "
                f"{s.reviews_raised} kasus tinjauan baru, {s.reviews_updated} diperbarui."
            )
