"""The registry the serving benchmark reads: 500,000 people and 555,555 engagements by COPY.

Names are Indonesian (Faker's id_ID name lists, one or two words, some with degrees as the
offices write them into the name column), NIKs agree with birth date and sex, people live in
every regency in proportion to its districts, one in ten has a second engagement. The same
seed gives the same registry; a database that already holds it is reused.
"""

from __future__ import annotations

import datetime as dt
import random
import time
import uuid

FULL_PEOPLE, FULL_ENGAGEMENTS = 500_000, 555_555
QUICK_PEOPLE, QUICK_ENGAGEMENTS = 20_000, 22_222
MARK = "bench-serving"  # legacy_title of every generated engagement: how a rerun knows its data
WEIGHTS = {
    "pkh": 40,
    "tpp-desa": 20,
    "tksk": 8,
    "lanjut-usia": 8,
    "disabilitas": 7,
    "anak": 6,
    "penyuluh-sosial": 5,
    "napza": 3,
    "tuna-sosial-kpo": 3,
}
DEGREES = ["", "", "", "", "", "", "S.Sos", "S.Pd", "A.Md", "S.E", "S.Kesos"]


def reusable(people: int, engagements: int) -> bool:
    from registry.models import Engagement, Person

    return (
        Person.objects.count() == people
        and Engagement.objects.count() == engagements
        and Engagement.objects.filter(legacy_title=MARK).count() == engagements
    )


def generate(people: int, engagements: int) -> float:
    """Empty the registry and write the generated one; seconds taken."""
    from django.db import connection
    from faker.providers.person.id_ID import Provider as Names

    from bench.bench_distribution import copy_into
    from regions.models import District, Regency
    from registry.models import Engagement, Person, Programme
    from registry.services import name_key

    rng = random.Random(14)
    regencies = list(Regency.objects.order_by("code").values_list("code", flat=True))
    districts: dict[str, list[str]] = {}
    for code, regency in District.objects.values_list("code", "regency_id"):
        districts.setdefault(regency, []).append(code)
    weights = [len(districts.get(r, [])) or 1 for r in regencies]
    programmes = {p.slug: p.pk for p in Programme.objects.all()}
    slugs = [s for s in WEIGHTS if s in programmes]
    slug_weights = [WEIGHTS[s] for s in slugs]
    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE registry_engagement, registry_person, registry_flag RESTART IDENTITY CASCADE"
        )
    homes = rng.choices(regencies, weights=weights, k=people)
    now = dt.datetime.now(dt.UTC)
    niks: set[str] = set()

    def person(i: int) -> dict:
        female = rng.random() < 0.5
        first = rng.choice(Names.first_names_female if female else Names.first_names_male)
        last = rng.choice(Names.last_names_female if female else Names.last_names_male)
        name = first if rng.random() < 0.15 else f"{first} {last}"
        degree = rng.choice(DEGREES)
        if degree and rng.random() < 0.3:
            name = f"{name}, {degree}"  # as some offices type it
        born = dt.date(1965, 1, 1) + dt.timedelta(days=rng.randrange(365 * 38))
        regency = homes[i - 1]
        district = rng.choice(districts.get(regency) or [regency + ".01"])
        while True:
            nik = (
                f"{district.replace('.', '')}{born.day + (40 if female else 0):02d}"
                f"{born:%m%y}{rng.randrange(1, 10_000):04d}"
            )
            if nik not in niks:
                niks.add(nik)
                break
        return {
            "id": i,
            "uid": uuid.UUID(int=rng.getrandbits(128), version=4),
            "nik": nik,
            "full_name": name,
            "name_key": name_key(name),
            "sex": "P" if female else "L",
            "birth_date": born,
            "phone": f"08{rng.randrange(10**9, 10**10)}",
            "verification": rng.choice(["menunggu", "terverifikasi", "terverifikasi"]),
            "created_at": now,
            "updated_at": now,
        }

    first_slug: dict[int, str] = {}

    def engagement(i: int) -> dict:
        second = i > people
        owner = i - people if second else i
        regency = homes[owner - 1]
        if second:
            slug = slugs[(slugs.index(first_slug[owner]) + 1) % len(slugs)]
        else:
            slug = first_slug[owner] = rng.choices(slugs, weights=slug_weights)[0]
        active = rng.random() < 0.9
        return {
            "id": i,
            "uid": uuid.UUID(int=rng.getrandbits(128), version=4),
            "person_id": owner,
            "programme_id": programmes[slug],
            "legacy_title": MARK,
            "province_id": regency[:2],
            "regency_id": regency,
            "employment_status": rng.choice(["kontrak", "kontrak", "honorer", "PPPK"]),
            "harmonised_level": rng.choice([None, 3, 3, 4, 4, 5, 6]),
            "status": "aktif" if active else "berakhir",
            "end_date": None if active else dt.date(2024, 12, 31),
            "created_at": now,
            "updated_at": now,
        }

    raw = connection.connection
    with raw.cursor() as cur:
        copy_into(cur, Person, (person(i) for i in range(1, people + 1)))
        copy_into(cur, Engagement, (engagement(i) for i in range(1, engagements + 1)))
        for table in ("registry_person", "registry_engagement"):
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), MAX(id)) FROM {table}"
            )
    raw.commit()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE registry_person")
        cursor.execute("VACUUM ANALYZE registry_engagement")
    return time.perf_counter() - start


def prepare(quick: bool) -> dict:
    from django.core.management import call_command

    from regions.models import Regency
    from registry.models import Programme

    people, engagements = (
        (QUICK_PEOPLE, QUICK_ENGAGEMENTS) if quick else (FULL_PEOPLE, FULL_ENGAGEMENTS)
    )
    call_command("migrate", verbosity=0)
    if not Regency.objects.exists() or not Programme.objects.exists():
        call_command("load_reference", verbosity=0)
    if reusable(people, engagements):
        return {"people": people, "engagements": engagements, "seconds": None}
    return {"people": people, "engagements": engagements, "seconds": generate(people, engagements)}


if __name__ == "__main__":  # python -m bench.serving_data [--quick]
    import sys

    from bench.common import django_setup

    django_setup("postgres://postgres@127.0.0.1:5432/satupintu_bench")
    print(prepare("--quick" in sys.argv))
