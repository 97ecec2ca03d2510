"""The access matrix's world: people in three regions, one user per role, and who sees whom.

Everything here is written out by hand from the issue (roles, scopes, masking), not derived from
``accounts.access``, so that a change there that widens access fails the matrix.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.test import Client

from accounts.models import Role
from accounts.services import api_token_create
from jobs.models import Job
from registry import services
from registry.models import Engagement, Flag, Person, Programme
from tests.factories import UserFactory, make_nik

# One user per role, plus the two fail-closed accounts whose scope is missing.
USERS: dict[str, dict[str, Any]] = {
    "admin_nasional": {"role": Role.NATIONAL_ADMIN},
    "admin_klaster": {"role": Role.CLUSTER_ADMIN, "programmes": ["anak"]},
    "admin_klaster_kosong": {"role": Role.CLUSTER_ADMIN},
    "operator_provinsi": {"role": Role.PROVINCE_OPERATOR, "province": "32"},
    "operator_kabkota": {"role": Role.REGENCY_OPERATOR, "province": "32", "regency": "32.04"},
    "operator_kabkota_kosong": {"role": Role.REGENCY_OPERATOR},
    "verifikator_kabkota": {"role": Role.REGENCY_VERIFIER, "province": "32", "regency": "32.04"},
    "koordinator": {
        "role": Role.COORDINATOR,
        "province": "32",
        "regency": "32.04",
        "programmes": ["lanjut-usia"],
    },
    "pendamping": {"role": Role.FACILITATOR, "person": "ani"},
    "asesor": {"role": Role.ASSESSOR},
    "penyelenggara_pelatihan": {"role": Role.TRAINING_PROVIDER},
    "auditor": {"role": Role.AUDITOR},
}
ROLES = list(USERS)

# key: (full name, sex, birth date, NIK serial, programme, regency of the one engagement)
PEOPLE: dict[str, tuple[str, str, dt.date, int, str, str]] = {
    "ani": ("Ani Rahmawati", "P", dt.date(1990, 3, 12), 1001, "anak", "32.04"),
    "lina": ("Lina Marlina", "P", dt.date(1978, 11, 5), 1002, "lanjut-usia", "32.04"),
    "lukas": ("Lukas Hutapea", "L", dt.date(1982, 1, 20), 1003, "lanjut-usia", "32.73"),
    "sari": ("Sari Wulandari", "P", dt.date(1988, 7, 30), 1004, "pkh", "35.78"),
    # Two possible-duplicate pairs (same name and birth date, other NIK), in and out of Jawa Barat.
    "dewi1": ("Dewi Lestari", "P", dt.date(1992, 2, 14), 1005, "anak", "32.04"),
    "dewi2": ("Dewi Lestari", "P", dt.date(1992, 2, 14), 1006, "anak", "32.04"),
    "budi1": ("Budi Santoso", "L", dt.date(1980, 9, 9), 1007, "pkh", "35.78"),
    "budi2": ("Budi Santoso", "L", dt.date(1980, 9, 9), 1008, "pkh", "35.78"),
}
ALL = set(PEOPLE)
WEST_JAVA = {"ani", "lina", "lukas", "dewi1", "dewi2"}
BANDUNG_REGENCY = {"ani", "lina", "dewi1", "dewi2"}

# Who sees whom, worked out by hand from each user's scope.
VISIBLE: dict[str, set[str]] = {
    "admin_nasional": ALL,
    "admin_klaster": {"ani", "dewi1", "dewi2"},
    "admin_klaster_kosong": set(),
    "operator_provinsi": WEST_JAVA,
    "operator_kabkota": BANDUNG_REGENCY,
    "operator_kabkota_kosong": set(),
    "verifikator_kabkota": BANDUNG_REGENCY,
    "koordinator": {"lina"},
    "pendamping": {"ani"},
    "asesor": set(),
    "penyelenggara_pelatihan": set(),
    "auditor": ALL,
}
READ = {r for r in ROLES if r not in {"asesor", "penyelenggara_pelatihan"}}
WRITE = {
    "admin_nasional",
    "admin_klaster",
    "admin_klaster_kosong",
    "operator_provinsi",
    "operator_kabkota",
    "operator_kabkota_kosong",
}
VERIFY = {"admin_nasional", "admin_klaster", "admin_klaster_kosong", "verifikator_kabkota"}
EXPORT = WRITE | {"auditor"}
MERGE = {"admin_nasional", "admin_klaster", "admin_klaster_kosong", "operator_provinsi"}
AUDIT = {"admin_nasional", "auditor"}
FULL_NIK = WRITE | {"verifikator_kabkota"}
# (programme, regency) a writer may create in, and one just outside their scope.
WRITE_IN = {
    "admin_nasional": ("pkh", "32.73"),
    "admin_klaster": ("anak", "32.73"),
    "operator_provinsi": ("pkh", "32.73"),
    "operator_kabkota": ("pkh", "32.04"),
}
WRITE_OUT = {
    "admin_klaster": ("pkh", "32.73"),
    "admin_klaster_kosong": ("anak", "32.04"),
    "operator_provinsi": ("pkh", "35.78"),
    "operator_kabkota": ("pkh", "32.73"),
    "operator_kabkota_kosong": ("pkh", "32.04"),
}
NEW_NIK = make_nik(regency="32.04", birth_date=dt.date(1995, 6, 1), sex="L", serial=9001)
OTHERS_JOB_TITLE = "Ekspor milik pencatat"


def nik_of(key: str) -> str:
    _, sex, birth_date, serial, _, regency = PEOPLE[key]
    return make_nik(regency=regency, birth_date=birth_date, sex=sex, serial=serial)


def phone_of(key: str) -> str:
    return f"+628120000{PEOPLE[key][3]}"


def sees_full_nik(role: str, key: str) -> bool:
    """Operators and verifiers see NIKs in full; a facilitator sees their own."""
    return role in FULL_NIK or USERS[role].get("person") == key


def in_person(role: str) -> str | None:
    return next((k for k in PEOPLE if k in VISIBLE[role]), None)


def out_person(role: str) -> str | None:
    order = ["sari", "lukas", "budi1", "lina", "ani"]
    return next((k for k in order if k not in VISIBLE.get(role, set())), None)


@dataclass
class World:
    people: dict[str, Person] = field(default_factory=dict)
    engagements: dict[str, Engagement] = field(default_factory=dict)
    flags: dict[str, Flag] = field(default_factory=dict)
    users: dict[str, Any] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    sessions: dict[str, str] = field(default_factory=dict)
    others_job: Job | None = None
    clerk: Any = None
    # The capability apps' objects, added by tests/accounts/world_capabilities.py.
    versions: dict[str, Any] = field(default_factory=dict)
    incentives: dict[str, Any] = field(default_factory=dict)
    import_runs: dict[str, Any] = field(default_factory=dict)
    referrals: dict[str, Any] = field(default_factory=dict)
    requests: dict[str, Any] = field(default_factory=dict)
    level_reviews: dict[str, Any] = field(default_factory=dict)
    # Competency's objects, added by tests/accounts/world_competency.py.
    competency: dict[str, Any] = field(default_factory=dict)
    # The logbook's entries and reports, added by tests/accounts/world_logbook.py.
    logbook: dict[str, Any] = field(default_factory=dict)


def build_world() -> World:
    world = World()
    programmes = {p.slug: p for p in Programme.objects.all()}
    # The records are entered by a separate national admin, so that no matrix user is the
    # creator (self-verification is tested on its own).
    clerk = UserFactory(username="pencatat", role=Role.NATIONAL_ADMIN, password=None)
    world.clerk = clerk
    for key, (name, sex, birth_date, _, slug, regency) in PEOPLE.items():
        person = services.person_create(
            actor=clerk,
            nik=nik_of(key),
            full_name=name,
            sex=sex,
            birth_date=birth_date,
            phone=phone_of(key),
        )
        world.engagements[key] = services.engagement_create(
            actor=clerk,
            person=person,
            programme=programmes[slug],
            regency_id=regency,
            legacy_title="Pendamping",
            employment_status="kontrak",
            start_date=dt.date(2024, 1, 1),
            monthly_incentive=2_000_000,
        )
        world.people[key] = person
        world.flags[key] = Flag.objects.create(
            person=person, code=Flag.Code.CONFLICT, reason="Data bertentangan antar sumber."
        )
    for key, spec in USERS.items():
        user = UserFactory(
            username=key,
            role=spec["role"],
            password=None,
            scope_province_id=spec.get("province"),
            scope_regency_id=spec.get("regency"),
            person=world.people[spec["person"]] if "person" in spec else None,
            programmes=[programmes[slug] for slug in spec.get("programmes", [])],
        )
        world.users[key] = user
        world.tokens[key] = api_token_create(user=user)[1]
        # One sign-in per user for the whole module; tests reuse its session cookie.
        browser = Client()
        browser.force_login(user)
        world.sessions[key] = browser.cookies[settings.SESSION_COOKIE_NAME].value
    world.others_job = Job.objects.create(
        kind="registry_export", title=OTHERS_JOB_TITLE, owner=clerk
    )
    world.others_job.result_file.save("rahasia.csv", ContentFile(b"nik\n"), save=True)
    return world
