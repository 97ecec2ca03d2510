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
        self.stdout.write(f"Data demo kompetensi: {counts}")
