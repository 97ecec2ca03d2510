from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from accounts.models import User
from accounts.services import system_user
from registry.demo import DEMO_PASSWORD, demo_logins, demo_seed
from registry.models import Person


class Command(BaseCommand):
    help = (
        "Mengisi registri dengan orang dan penugasan sintetis (Faker id_ID) di wilayah Kemendagri "
        "yang nyata, ditambah satu akun demo per peran. Jalankan load_reference lebih dahulu."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--people", type=int, default=5000, help="Jumlah orang (bawaan 5000).")
        parser.add_argument(
            "--seed", type=int, default=2020, help="Benih acak; benih sama, data sama."
        )
        parser.add_argument(
            "--user", help="Bertindak sebagai pengguna ini (tanpa opsi ini: aktor 'sistem')."
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Tidak melakukan apa pun bila registri sudah berisi orang (untuk `make run`).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_empty"] and Person.objects.exists():
            count = Person.objects.count()
            self.stdout.write(f"Registri sudah berisi {count} orang; data demo tidak ditambahkan.")
            self._print_logins()
            return
        if options["user"]:
            actor = User.objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"Pengguna '{options['user']}' tidak ditemukan.")
        else:
            actor = system_user()
        with tqdm(
            total=100,
            desc=f"Data demo ({options['people']} orang)",
            bar_format="{desc}: {percentage:3.0f}%|{bar}| {elapsed}",
            file=self.stderr,
            disable=options["verbosity"] == 0,
        ) as bar:
            done = 0.0

            def advance(share: float) -> None:
                # The steps' shares are estimates; the bar never passes 100 %.
                nonlocal done
                done = min(1.0, done + share)
                if round(done * 100) != bar.n:
                    bar.n = round(done * 100)
                    bar.refresh()

            try:
                counts = demo_seed(
                    people=options["people"], seed=options["seed"], actor=actor, progress=advance
                )
                bar.n = 100
                bar.refresh()
            except (PermissionDenied, ValidationError) as error:
                raise CommandError(" ".join(getattr(error, "messages", [str(error)]))) from error
        by_code = ", ".join(f"{code} {n}" for code, n in counts["flags_by_code"].items())
        self.stdout.write(
            f"Data demo: {counts['people']} orang, {counts['engagements']} penugasan "
            f"({counts['two_engagements']} orang dengan dua penugasan), "
            f"{counts['flags']} tanda verifikasi ({by_code}), {counts['users']} akun demo baru "
            f"({counts['seconds']:.1f} dtk)."
        )
        self._print_logins()

    def _print_logins(self) -> None:
        logins = demo_logins()
        if not logins:
            return
        self.stdout.write(f"\nAkun demo (kata sandi: {DEMO_PASSWORD}):")
        width = max(len(row["username"]) for row in logins)
        for row in logins:
            self.stdout.write(f"  {row['username']:<{width}}  {row['role']} — {row['scope']}")
