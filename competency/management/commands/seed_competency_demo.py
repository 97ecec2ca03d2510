from django.core.management.base import BaseCommand

from competency.demo import demo_competency_seed


class Command(BaseCommand):
    help = (
        "Memberi sebagian orang di registri data demo pelatihan, asesmen dan sertifikat "
        "(sebagian kedaluwarsa, satu dicabut). Tidak berbuat apa-apa bila data demo sudah ada."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2020)
        parser.add_argument("--share", type=float, default=0.2, help="Bagian orang (0-1).")

    def handle(self, *args, **options):
        counts = demo_competency_seed(seed=options["seed"], share=options["share"])
        if counts.get("skipped"):
            # A second `make run` finds the demo already there: say so, not a traceback.
            self.stdout.write(counts["reason"])
            return
        c = counts
        self.stdout.write(
            f"Data demo kompetensi ({c['seconds']:.1f} dtk): {c['people']} orang, "
            f"{c['courses']} pelatihan dalam {c['classes']} kelas ({c['enrolments']} peserta), "
            f"{c['schemes']} skema, {c['assessments']} asesmen, {c['certificates']} sertifikat "
            f"({c['expired']} kedaluwarsa, {c['revoked']} dicabut), {c['rpl']} RPL, "
            f"{c['reminders']} pengingat, {c['level_reviews']} tinjauan jenjang."
        )
