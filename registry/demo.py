"""Synthetic demo data: people and engagements on the real Kemendagri regions, and demo accounts.

Everything is generated in memory from one seeded random source and written with
``bulk_create``: going through ``person_create``/``engagement_create`` for every row would
cost a dozen queries and an audit entry each, and 5,000 people must load in seconds. The
generated values stay inside the rules those services enforce (valid NIKs, regions that
belong to each other, dates in order), and the flags are computed with the same rules
(``registry.nik`` and ``registry.services.person_flags_refresh``), so the demo shows what a
real registry would show. One audit entry summarises the whole seeding.

Identifiers (``uid``) stay random even with a fixed seed: they are what unauthenticated
links carry, so they must never be guessable from a published seed.
"""

import datetime as dt
import random
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from faker import Faker

from accounts import access
from accounts.models import AuditEntry, Role, User
from accounts.services import audit_record
from regions.models import District, Regency, Village
from regions.selectors import region_code_sets
from registry.models import (
    Education,
    EmploymentStatus,
    Engagement,
    Flag,
    Person,
    Programme,
    Sex,
    Verification,
)
from registry.nik import mask_nik, nik_check, nik_mismatches
from registry.services import name_key, person_flags_refresh

DEMO_PASSWORD = "satupintu-demo"
SOURCE = "data demo"
# Fixed calendar bounds, not today's date, so that a seed gives the same data on any day.
FIRST_START = dt.date(2015, 1, 1)
LAST_START = dt.date(2025, 10, 31)
LAST_END = dt.date(2025, 6, 30)

# Where scoped demo users look: enough people must serve here for them to see data.
HOME_PROVINCE = "32"  # Jawa Barat
HOME_REGENCY = "32.04"  # Kabupaten Bandung (not Kota Bandung, 32.73)
HOME_REGENCY_SHARE = 0.04
HOME_PROVINCE_SHARE = 0.05
# Weight multipliers by the first digit of the province code: 3x = Java (31-36), 9x = Papua.
PROVINCE_DENSITY = {"3": 3.0, "9": 0.25}

# Relative sizes of the workforces (PKH and village facilitators are the largest; the Rehsos
# clusters are small). Programmes added later as data get the default weight.
PROGRAMME_WEIGHTS = {
    "pkh": 30,
    "tpp-desa": 15,
    "tksk": 14,
    "anak": 8,
    "lanjut-usia": 8,
    "disabilitas": 8,
    "napza": 5,
    "tuna-sosial-kpo": 5,
    "penyuluh-sosial": 6,
}
DEFAULT_PROGRAMME_WEIGHT = 5

# Titles as they appear in the offices' spreadsheets (DOMAIN.md), which harmonisation maps.
LEGACY_TITLES = {
    "lanjut-usia": ["Pendamping Lanjut Usia", "Pendamping LU", "Pendamping Lansia"],
    "disabilitas": [
        "Pendamping Penyandang Disabilitas",
        "Pendamping Disabilitas",
        "Pendamping PD",
    ],
    "anak": ["Sakti Peksos", "Satuan Bakti Pekerja Sosial", "Peksos Anak"],
    "napza": ["Konselor Adiksi", "Konselor Adiksi Napza"],
    "tuna-sosial-kpo": ["Pendamping Tuna Sosial", "Pendamping Korban Perdagangan Orang"],
    "pkh": ["Pendamping Sosial PKH", "Pendamping PKH", "Pendamping Sosial"],
    "tksk": ["TKSK", "Tenaga Kesejahteraan Sosial Kecamatan"],
    "penyuluh-sosial": ["Penyuluh Sosial", "Penyuluh Sosial Masyarakat"],
    "tpp-desa": ["Pendamping Desa", "Pendamping Lokal Desa", "Tenaga Ahli Pendamping Masyarakat"],
}

# Monthly incentive ranges in Rupiah. TKSK receive a small "tali asih", not a wage; Sakti
# Peksos are trained social workers and are paid the most among the clusters.
INCENTIVE_RANGES = {
    "lanjut-usia": (1_800_000, 2_700_000),
    "disabilitas": (1_800_000, 2_700_000),
    "anak": (2_700_000, 4_500_000),
    "napza": (2_500_000, 3_800_000),
    "tuna-sosial-kpo": (1_800_000, 2_700_000),
    "pkh": (2_400_000, 3_600_000),
    "tksk": (500_000, 1_200_000),
    "penyuluh-sosial": (2_000_000, 3_000_000),
    "tpp-desa": (2_000_000, 4_500_000),
}
DEFAULT_INCENTIVE_RANGE = (1_800_000, 4_500_000)

STATUS_WEIGHTS = {
    EmploymentStatus.CONTRACT: 55,
    EmploymentStatus.HONORARY: 20,
    EmploymentStatus.PNS: 8,
    EmploymentStatus.PPPK: 7,
    EmploymentStatus.VOLUNTEER: 10,
}
# TKSK are community volunteers appointed by the regent; few are on contract.
STATUS_WEIGHTS_BY_PROGRAMME = {
    "tksk": {
        EmploymentStatus.HONORARY: 50,
        EmploymentStatus.VOLUNTEER: 35,
        EmploymentStatus.CONTRACT: 15,
    },
}

# Mostly SMA to S1, as in the offices' lists.
EDUCATION_WEIGHTS = {
    Education.SMP: 1,
    Education.SMA: 30,
    Education.D1: 1,
    Education.D2: 1,
    Education.D3: 14,
    Education.D4: 5,
    Education.S1: 40,
    Education.PROFESI: 1,
    Education.S2: 6,
    Education.S3: 1,
}
# (front titles, back titles, field of study) per education level; a level may have several.
DEGREES: dict[str, list[tuple[str, str, str]]] = {
    Education.SMP: [("", "", "")],
    Education.SMA: [("", "", "IPS"), ("", "", "IPA"), ("", "", "Pekerjaan Sosial (SMK)")],
    Education.D1: [("", "", "Administrasi Perkantoran")],
    Education.D2: [("", "", "Pendidikan Guru")],
    Education.D3: [
        ("", "A.Md.", "Kesejahteraan Sosial"),
        ("", "A.Md.Kep.", "Keperawatan"),
        ("", "A.Md.", "Administrasi Negara"),
    ],
    Education.D4: [("", "S.Tr.Sos.", "Pekerjaan Sosial")],
    Education.S1: [
        ("", "S.Sos.", "Kesejahteraan Sosial"),
        ("", "S.Sos.", "Ilmu Sosiologi"),
        ("", "S.Kesos.", "Kesejahteraan Sosial"),
        ("", "S.Psi.", "Psikologi"),
        ("", "S.Pd.", "Pendidikan Luar Sekolah"),
        ("", "S.E.", "Ekonomi Pembangunan"),
        ("", "S.H.", "Ilmu Hukum"),
        ("", "S.Ag.", "Bimbingan dan Konseling Islam"),
        ("", "S.K.M.", "Kesehatan Masyarakat"),
        ("", "S.Kep.", "Keperawatan"),
        ("", "S.IP.", "Ilmu Pemerintahan"),
        ("", "S.AP.", "Administrasi Publik"),
    ],
    Education.PROFESI: [("", "S.Psi., Psikolog", "Psikologi Profesi")],
    Education.S2: [
        ("", "S.Sos., M.Si.", "Kesejahteraan Sosial"),
        ("", "S.Kesos., M.Kesos.", "Pekerjaan Sosial"),
        ("", "S.Psi., M.Psi.", "Psikologi"),
        ("", "S.E., M.M.", "Manajemen"),
    ],
    Education.S3: [
        ("Dr.", "M.Si.", "Ilmu Kesejahteraan Sosial"),
        ("Dr.", "M.Kesos.", "Pekerjaan Sosial"),
    ],
}
# Graduates before the 1990s carried "Drs."/"Dra." in front instead of a title behind.
OLD_S1_BEFORE = 1967

# NIKs issued in Papua before the 2022 split keep the old regency code (Permendagri 137/2017
# numbering); today's code -> the code such NIKs carry. Those codes are gone from the table,
# so the NIK rules warn about them (DOMAIN.md, "Identity: NIK").
OLD_PAPUA_CODES = {
    "93.01": "91.01",
    "93.02": "91.16",
    "93.03": "91.17",
    "93.04": "91.18",
    "94.01": "91.04",
    "94.02": "91.07",
    "94.03": "91.08",
    "94.04": "91.09",
    "94.05": "91.25",
    "94.06": "91.26",
    "94.07": "91.27",
    "94.08": "91.28",
    "95.01": "91.02",
    "95.02": "91.12",
    "95.03": "91.13",
    "95.04": "91.14",
    "95.05": "91.21",
    "95.06": "91.22",
    "95.07": "91.23",
    "95.08": "91.24",
    "96.01": "92.01",
    "96.02": "92.04",
    "96.03": "92.05",
    "96.04": "92.09",
    "96.05": "92.10",
    "96.71": "92.71",
}
OLD_PAPUA_SHARE = 0.75

# Mobile prefixes of the Indonesian operators (after +62 8).
PHONE_PREFIXES = [
    "11",
    "12",
    "13",
    "21",
    "22",
    "23",
    "52",
    "53",
    "14",
    "15",
    "16",
    "55",
    "56",
    "57",
    "58",
    "17",
    "18",
    "19",
    "59",
    "77",
    "78",
    "95",
    "96",
    "97",
    "98",
    "99",
    "31",
    "32",
    "33",
    "38",
    "81",
    "82",
    "83",
    "87",
    "88",
    "89",
]
# RFC 2606 domains: a demo must never mail a real inbox.
EMAIL_DOMAINS = ["example.com", "example.org", "example.net"]

SECOND_ENGAGEMENT_SHARE = 0.08
BATCH = 1000
GENERATION_SHARE = 0.4  # of the run time, for the progress bar; the inserts take the rest
# What a second engagement is (see _second_engagement): mostly a move or unpaid volunteering,
# a few concurrent paid posts for the "one door, one payment" review.
SECOND_SCENARIOS = {"berurutan": 50, "relawan": 35, "rangkap": 10, "asn": 5}


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    first_name: str
    province: str | None = None
    regency: str | None = None
    programme: str | None = None


DEMO_USERS = [
    DemoUser("admin", Role.NATIONAL_ADMIN, "Admin Nasional"),
    DemoUser("admin-anak", Role.CLUSTER_ADMIN, "Admin Klaster Anak", programme="anak"),
    DemoUser("operator-jabar", Role.PROVINCE_OPERATOR, "Operator Jawa Barat", HOME_PROVINCE),
    DemoUser(
        "operator-bandung",
        Role.REGENCY_OPERATOR,
        "Operator Kab. Bandung",
        HOME_PROVINCE,
        HOME_REGENCY,
    ),
    DemoUser(
        "verifikator-bandung",
        Role.REGENCY_VERIFIER,
        "Verifikator Kab. Bandung",
        HOME_PROVINCE,
        HOME_REGENCY,
    ),
    DemoUser(
        "koordinator-bandung",
        Role.COORDINATOR,
        "Koordinator LU Kab. Bandung",
        HOME_PROVINCE,
        HOME_REGENCY,
        "lanjut-usia",
    ),
    DemoUser("asesor", Role.ASSESSOR, "Asesor"),
    DemoUser("pelatihan", Role.TRAINING_PROVIDER, "Penyelenggara Pelatihan"),
    DemoUser("pendamping", Role.FACILITATOR, "Pendamping"),
    DemoUser("auditor", Role.AUDITOR, "Auditor"),
]
DEMO_USERNAMES = [u.username for u in DEMO_USERS]


@dataclass
class _Regions:
    """The region table as plain lists, read once: generation never queries per row."""

    codes: list[str]
    names: dict[str, str]
    cum_weights: list[int]
    by_province: dict[str, list[str]]
    districts: dict[str, list[str]]
    villages: dict[str, list[str]]

    @classmethod
    def load(cls) -> "_Regions":
        regencies = list(
            Regency.objects.order_by("code").values_list("code", "province_id", "name")
        )
        districts: dict[str, list[str]] = defaultdict(list)
        for code, regency in District.objects.order_by("code").values_list("code", "regency_id"):
            districts[regency].append(code)
        villages: dict[str, list[str]] = defaultdict(list)
        for code, district in Village.objects.order_by("code").values_list("code", "district_id"):
            villages[district].append(code)
        by_province: dict[str, list[str]] = defaultdict(list)
        codes, cum, total = [], [], 0
        for code, province, _name in regencies:
            by_province[province].append(code)
            codes.append(code)
            # Districts as a proxy for size (every district has a TKSK and caseloads follow),
            # corrected for density: Java holds ~56% of the people, the Papua provinces ~2%
            # (Sensus Penduduk 2020), but both have many districts.
            weight = max(1, len(districts[code])) * PROVINCE_DENSITY.get(province[:1], 1.0)
            total += weight
            cum.append(total)
        return cls(
            codes=codes,
            names={code: name for code, _p, name in regencies},
            cum_weights=cum,
            by_province=dict(by_province),
            districts=dict(districts),
            villages=dict(villages),
        )


@dataclass
class _Planned:
    """A person being generated, with the facts the flags are computed from."""

    person: Person
    engagements: list[Engagement] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    anchor: bool = False


class _Generator:
    def __init__(self, *, seed: int, regions: _Regions, programmes: list[Programme], actor: User):
        self.rng = random.Random(seed)
        self.fake = Faker("id_ID")
        self.fake.seed_instance(seed)
        self.regions = regions
        self.programmes = programmes
        self.by_slug = {p.slug: p for p in programmes}
        self.programme_weights = [
            PROGRAMME_WEIGHTS.get(p.slug, DEFAULT_PROGRAMME_WEIGHT) for p in programmes
        ]
        self.actor = actor if actor.pk else None
        self.used_niks: set[str] = set(Person.objects.values_list("nik", flat=True))
        self.provinces, self.regency_codes = region_code_sets()
        self.home_province_regencies = [
            c for c in regions.by_province.get(HOME_PROVINCE, []) if c != HOME_REGENCY
        ]

    # -- small choices -------------------------------------------------------------------

    def _weighted(self, weights: dict[Any, int]) -> Any:
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def _date_between(self, start: dt.date, end: dt.date) -> dt.date:
        return start + dt.timedelta(days=self.rng.randint(0, max(0, (end - start).days)))

    def regency(self) -> str:
        roll = self.rng.random()
        if roll < HOME_REGENCY_SHARE:
            return HOME_REGENCY
        if roll < HOME_REGENCY_SHARE + HOME_PROVINCE_SHARE and self.home_province_regencies:
            return self.rng.choice(self.home_province_regencies)
        return self.rng.choices(self.regions.codes, cum_weights=self.regions.cum_weights)[0]

    def regency_near(self, code: str) -> str:
        """Another regency, usually in the same province (people move, or hold two posts)."""
        siblings = [c for c in self.regions.by_province.get(code[:2], []) if c != code]
        if siblings and self.rng.random() < 0.7:
            return self.rng.choice(siblings)
        other = self.regency()
        return other if other != code else self.rng.choice(self.regions.codes)

    def programme(self, *, exclude: Programme | None = None) -> Programme:
        while True:
            chosen = self.rng.choices(self.programmes, weights=self.programme_weights)[0]
            if exclude is None or chosen.pk != exclude.pk or len(self.programmes) == 1:
                return chosen

    def district_village(self, regency: str, share: float = 0.85) -> tuple[str | None, str | None]:
        districts = self.regions.districts.get(regency)
        if not districts or self.rng.random() >= share:
            return None, None
        district = self.rng.choice(districts)
        villages = self.regions.villages.get(district)
        village = self.rng.choice(villages) if villages and self.rng.random() < 0.85 else None
        return district, village

    def birth_date(self) -> dt.date:
        # Working age, most in their thirties and forties; the latest (2002) is 20 by 2022,
        # so everyone can start before LAST_START.
        year = round(self.rng.triangular(1966, 2002, 1988))
        return self._date_between(dt.date(year, 1, 1), dt.date(year, 12, 31))

    def nik(self, *, issue_regency: str, birth_date: dt.date, sex: str) -> str:
        code = issue_regency
        if code in OLD_PAPUA_CODES and self.rng.random() < OLD_PAPUA_SHARE:
            code = OLD_PAPUA_CODES[code]
        districts = self.regions.districts.get(issue_regency) or [f"{issue_regency}.01"]
        district = self.rng.choice(districts)[-2:]
        day = birth_date.day + (40 if sex == Sex.FEMALE else 0)
        prefix = f"{code.replace('.', '')}{district}{day:02d}{birth_date:%m%y}"
        while True:
            nik = f"{prefix}{self.rng.randint(1, 9999):04d}"
            if nik not in self.used_niks:
                self.used_niks.add(nik)
                return nik

    def phone(self) -> str:
        digits = "".join(str(self.rng.randint(0, 9)) for _ in range(self.rng.choice((7, 8))))
        return f"+628{self.rng.choice(PHONE_PREFIXES)}{digits}"

    def email(self, full_name: str) -> str:
        parts = ["".join(ch for ch in part.lower() if ch.isalnum()) for part in full_name.split()]
        local = ".".join(p for p in parts if p) or "pendamping"
        return f"{local}{self.rng.randint(1, 99)}@{self.rng.choice(EMAIL_DOMAINS)}"

    # -- people and engagements ------------------------------------------------------------

    def person(self, *, serving_regency: str) -> Person:
        sex = Sex.FEMALE if self.rng.random() < 0.55 else Sex.MALE
        if sex == Sex.FEMALE:
            first, last = self.fake.first_name_female(), self.fake.last_name_female()
        else:
            first, last = self.fake.first_name_male(), self.fake.last_name_male()
        # Many Indonesians have a single name.
        full_name = first if self.rng.random() < 0.15 else f"{first} {last}"
        birth_date = self.birth_date()
        education = self._weighted(EDUCATION_WEIGHTS)
        front, back, study = self.rng.choice(DEGREES[education])
        if education == Education.S1 and birth_date.year < OLD_S1_BEFORE:
            front, back = ("Dra." if sex == Sex.FEMALE else "Drs."), ""
        if self.rng.random() < 0.2:  # not everybody writes their degree on a form
            front, back = "", ""
        roll = self.rng.random()
        if roll < 0.85:
            issue_regency = serving_regency
        elif roll < 0.94:
            issue_regency = self.regency_near(serving_regency)
        else:
            issue_regency = self.regency()
        address_regency = serving_regency if self.rng.random() < 0.85 else issue_regency
        district, village = self.district_village(address_regency, share=0.8)
        return Person(
            nik=self.nik(issue_regency=issue_regency, birth_date=birth_date, sex=sex),
            full_name=full_name,
            name_key=name_key(full_name),
            titles_front=front,
            titles_back=back,
            sex=sex,
            birth_place=self._place_name(issue_regency),
            birth_date=birth_date,
            phone=self.phone() if self.rng.random() < 0.95 else "",
            email=self.email(full_name) if self.rng.random() < 0.85 else "",
            education_level=education,
            education_field=study,
            address_province_id=address_regency[:2],
            address_regency_id=address_regency,
            address_district_id=district,
            address_village_id=village,
            created_by=self.actor,
        )

    def _place_name(self, regency: str) -> str:
        name = self.regions.names.get(regency, "")
        return name.removeprefix("Kabupaten ").removeprefix("Kota ")

    def employment_status(self, programme: Programme) -> str:
        return self._weighted(STATUS_WEIGHTS_BY_PROGRAMME.get(programme.slug, STATUS_WEIGHTS))

    def incentive(self, programme: Programme, status: str) -> int | None:
        if status in EmploymentStatus.asn():
            return None  # civil servants are paid a salary, not a facilitator incentive
        if status == EmploymentStatus.VOLUNTEER:
            roll = self.rng.random()
            return None if roll < 0.5 else 0 if roll < 0.8 else self.rng.randint(5, 15) * 50_000
        low, high = INCENTIVE_RANGES.get(programme.slug, DEFAULT_INCENTIVE_RANGE)
        if status == EmploymentStatus.HONORARY:
            high = (low + high) // 2
        return self.rng.randint(low // 50_000, high // 50_000) * 50_000

    def sk_number(self, programme: Programme, sk_date: dt.date) -> str:
        n = self.rng.randint(1, 999)
        if programme.kind == Programme.Kind.CLUSTER:
            return f"{n}/3/KP.02.01/{sk_date:%m}/{sk_date:%Y}"
        if programme.slug == "pkh":
            return f"{n}/LJS/KP.02.01/{sk_date:%m}/{sk_date:%Y}"
        if programme.slug == "tpp-desa":
            return f"{n}/PRI.01/KPTS/{sk_date:%m}/{sk_date:%Y}"
        return f"460/Kep.{n}-Dinsos/{sk_date:%Y}"

    def start_date(self, person: Person, earliest: dt.date = FIRST_START) -> dt.date:
        born = person.birth_date
        adult = dt.date(born.year + 20, born.month, min(born.day, 28))
        start = self._date_between(max(earliest, adult), LAST_START)
        # Yearly contracts usually begin on the first of January.
        if self.rng.random() < 0.4 and start.year > adult.year:
            return dt.date(start.year, 1, 1)
        return start

    def engagement(
        self,
        *,
        person: Person,
        programme: Programme,
        regency: str,
        status: str | None = None,
        start: dt.date | None = None,
        incentive: Any = "auto",
    ) -> Engagement:
        status = status or self.employment_status(programme)
        start = start or self.start_date(person)
        district, village = self.district_village(regency)
        has_sk = self.rng.random() < 0.9
        sk_date = start - dt.timedelta(days=self.rng.randint(0, 45)) if has_sk else None
        return Engagement(
            person=person,
            programme=programme,
            legacy_title=self.rng.choice(
                LEGACY_TITLES.get(programme.slug) or [programme.facilitator_title or programme.name]
            ),
            province_id=regency[:2],
            regency_id=regency,
            district_id=district,
            village_id=village,
            employment_status=status,
            sk_number=self.sk_number(programme, sk_date) if sk_date else "",
            sk_date=sk_date,
            start_date=start,
            monthly_incentive=(
                self.incentive(programme, status) if incentive == "auto" else incentive
            ),
            created_by=self.actor,
        )

    def end(self, engagement: Engagement, *, latest: dt.date = LAST_END) -> bool:
        """End an engagement at least six months after its start, if that fits before ``latest``."""
        earliest = engagement.start_date + dt.timedelta(days=180)
        if earliest > latest:
            return False
        engagement.end_date = self._date_between(earliest, latest)
        engagement.status = Engagement.Status.ENDED
        return True


def _month_after(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _second_engagement(gen: _Generator, plan: _Planned, scenario: str) -> Engagement:
    """A second engagement in another programme; ``scenario`` decides whether it is a conflict.

    - ``berurutan``: the first ended, the second began in a later month (no flag);
    - ``relawan``: both at once, the second unpaid (no flag);
    - ``rangkap``: both at once and both paid (rangkap_bayar);
    - ``asn``: a PNS/PPPK also paid as contract staff (asn_rangkap).
    """
    first = plan.engagements[0]
    person = plan.person
    programme = gen.programme(exclude=first.programme)
    roll = gen.rng.random()
    regency = first.regency_id if roll < 0.7 else gen.regency_near(first.regency_id)
    if scenario == "berurutan" and gen.end(first, latest=dt.date(2024, 12, 31)):
        start = _month_after(first.end_date, gen.rng.randint(1, 6))
        return gen.engagement(person=person, programme=programme, regency=regency, start=start)
    # Concurrent: the second starts while the first runs (the first is active or was ended).
    if first.status == Engagement.Status.ENDED:
        first.status, first.end_date = Engagement.Status.ACTIVE, None
    start = gen._date_between(first.start_date, LAST_START)
    if scenario == "asn":
        first.employment_status = gen.rng.choice([EmploymentStatus.PNS, EmploymentStatus.PPPK])
        first.monthly_incentive = None
        return gen.engagement(
            person=person,
            programme=programme,
            regency=regency,
            status=EmploymentStatus.CONTRACT,
            start=start,
        )
    if scenario == "rangkap":
        if first.employment_status in EmploymentStatus.asn() or not first.monthly_incentive:
            first.employment_status = EmploymentStatus.CONTRACT
            first.monthly_incentive = gen.incentive(first.programme, EmploymentStatus.CONTRACT)
        return gen.engagement(
            person=person,
            programme=programme,
            regency=regency,
            status=gen.rng.choice([EmploymentStatus.CONTRACT, EmploymentStatus.HONORARY]),
            start=start,
        )
    return gen.engagement(
        person=person,
        programme=programme,
        regency=regency,
        status=EmploymentStatus.VOLUNTEER,
        start=start,
        incentive=gen.rng.choice([None, 0]),
    )


def _misstate(gen: _Generator, person: Person) -> None:
    """Make the stated birth date or sex disagree with the NIK, as typing errors do."""
    born = person.birth_date
    kind = gen.rng.choice(["tukar", "tahun", "hari", "kelamin"])
    if kind == "tukar" and born.day <= 12 and born.day != born.month:
        person.birth_date = dt.date(born.year, born.day, born.month)  # day and month swapped
    elif kind == "kelamin":
        person.sex = Sex.MALE if person.sex == Sex.FEMALE else Sex.FEMALE
    elif kind == "hari":
        person.birth_date = born + dt.timedelta(days=gen.rng.choice([-1, 1]))
    else:
        year = born.year + gen.rng.choice([-1, 1])
        person.birth_date = dt.date(year, born.month, min(born.day, 28))


def _duplicate_of(gen: _Generator, original: Person) -> Person:
    """Another record of the same person under another NIK: same name and birth date."""
    twin = gen.person(serving_regency=gen.regency_near(original.address_regency_id or HOME_REGENCY))
    twin.full_name = original.full_name.upper() if gen.rng.random() < 0.5 else original.full_name
    twin.name_key = name_key(twin.full_name)
    twin.sex, twin.birth_date = original.sex, original.birth_date
    gen.used_niks.discard(twin.nik)
    issue = original.nik[:4] if gen.rng.random() < 0.5 else twin.nik[:4]
    issue_regency = f"{issue[:2]}.{issue[2:]}"
    if issue_regency not in gen.regions.districts:
        issue_regency = twin.address_regency_id
    twin.nik = gen.nik(issue_regency=issue_regency, birth_date=twin.birth_date, sex=twin.sex)
    return twin


def _nik_flags(gen: _Generator, person: Person) -> list[Flag]:
    """The flags person_create would raise, computed in memory with the same rules."""
    result = nik_check(person.nik, province_codes=gen.provinces, regency_codes=gen.regency_codes)
    if not result.is_valid:  # generation bug: refuse rather than store an invalid NIK
        raise ValidationError({"nik": result.errors})
    flags = [
        Flag(person=person, code=code, reason=reason, source=SOURCE)
        for code, reason in nik_mismatches(result, sex=person.sex, birth_date=person.birth_date)
    ]
    flags += [
        Flag(person=person, code=Flag.Code.NIK_REGION_UNKNOWN, reason=warning, source=SOURCE)
        for warning in result.warnings
    ]
    return flags


def _plan(gen: _Generator, *, people: int, progress: Callable[[float], None]) -> list[_Planned]:
    """Generate every person and engagement in memory.

    1. The first people serve in Kabupaten Bandung, one per programme, so that every cluster
       and programme appears and the scoped demo users (and the ``pendamping`` login, who is
       the first of them) always see data.
    2. Every other person gets one engagement in a regency weighted by size, with a share in
       Kabupaten Bandung and Jawa Barat.
    3. About 8% get a second engagement; a fixed mix of scenarios makes some of them
       concurrent paid posts, and the first two are forced conflicts so that both payment
       flags appear even in small runs.
    4. A few records state a birth date or sex that disagrees with their NIK, and the last
       few people are second records of earlier ones (same name and birth date, new NIK).
    """
    anchors = min(people, len(gen.programmes))
    duplicates = 0 if people < 50 else max(2, people // 500)
    misstated = 0 if people < 50 else max(2, people // 250)
    ordinary = range(anchors, people - duplicates)
    chosen_misstated = set(gen.rng.sample(ordinary, min(misstated, len(ordinary))))
    forced = ["rangkap", "asn"] if people >= 50 else []
    # Lanjut usia first: the ``pendamping`` login is supervised by ``koordinator-bandung``.
    anchor_programmes = sorted(gen.programmes, key=lambda p: p.slug != "lanjut-usia")
    plans: list[_Planned] = []
    for index in range(people - duplicates):
        if index < anchors:
            programme = anchor_programmes[index]
            regency = HOME_REGENCY if HOME_REGENCY in gen.regions.districts else gen.regency()
            person = gen.person(serving_regency=regency)
            first = gen.engagement(
                person=person,
                programme=programme,
                regency=regency,
                status=EmploymentStatus.CONTRACT,
            )
            plans.append(_Planned(person=person, engagements=[first], anchor=True))
        else:
            regency = gen.regency()
            person = gen.person(serving_regency=regency)
            plan = _Planned(person=person)
            plan.engagements.append(
                gen.engagement(person=person, programme=gen.programme(), regency=regency)
            )
            if index in chosen_misstated:
                _misstate(gen, person)
            if len(gen.programmes) > 1 and (forced or gen.rng.random() < SECOND_ENGAGEMENT_SHARE):
                scenario = forced.pop(0) if forced else gen._weighted(SECOND_SCENARIOS)
                plan.engagements.append(_second_engagement(gen, plan, scenario))
            elif gen.rng.random() < 0.12:
                gen.end(plan.engagements[0])
            plans.append(plan)
        progress(GENERATION_SHARE / people)
    originals = [p for p in plans if not p.anchor]
    for original in gen.rng.sample(originals, min(duplicates, len(originals))):
        twin = _duplicate_of(gen, original.person)
        plan = _Planned(person=twin)
        regency = twin.address_regency_id
        plan.engagements.append(
            gen.engagement(person=twin, programme=gen.programme(), regency=regency)
        )
        plan.flags.append(
            Flag(
                person=twin,
                code=Flag.Code.POSSIBLE_DUPLICATE,
                source=SOURCE,
                reason="Nama dan tanggal lahir sama dengan orang ber-NIK "
                f"{mask_nik(original.person.nik)}.",
                details={"other_uid": str(original.person.uid)},
            )
        )
        plans.append(plan)
        progress(GENERATION_SHARE / people)
    for plan in plans:
        plan.flags += _nik_flags(gen, plan.person)
        # Records that a verifier must look at stay pending; some clean ones are verified.
        if (
            not plan.flags
            and len(plan.engagements) == 1
            and not plan.anchor
            and (gen.rng.random() < 0.15)
        ):
            plan.person.verification = Verification.VERIFIED
            for engagement in plan.engagements:
                engagement.verification = Verification.VERIFIED
    return plans


def demo_users_create(*, pendamping_person: Person | None) -> int:
    """Create the demo accounts that do not exist yet (one per role). Returns how many.

    Existing accounts are left untouched: an administrator may have changed their password.
    """
    existing = set(
        User.objects.filter(username__in=DEMO_USERNAMES).values_list("username", flat=True)
    )
    programmes = {p.slug: p for p in Programme.objects.all()}
    # One hash for all: the password is published anyway, and hashing is deliberately slow.
    password = make_password(DEMO_PASSWORD)
    created = 0
    for spec in DEMO_USERS:
        if spec.username in existing:
            continue
        user = User(
            username=spec.username,
            role=spec.role,
            first_name=spec.first_name,
            last_name="(demo)",
            email=f"{spec.username}@example.org",
            password=password,
            scope_province_id=spec.province,
            scope_regency_id=spec.regency,
        )
        if (
            spec.role == Role.FACILITATOR
            and pendamping_person is not None
            and not User.objects.filter(person=pendamping_person).exists()
        ):
            user.person = pendamping_person
        user.save()
        if spec.programme and spec.programme in programmes:
            user.scope_programmes.set([programmes[spec.programme]])
        created += 1
    return created


def demo_logins() -> list[dict[str, str]]:
    """The demo accounts that exist, with role and scope, for printing after seeding."""
    users = {
        u.username: u
        for u in User.objects.filter(username__in=DEMO_USERNAMES)
        .select_related("scope_province", "scope_regency", "person")
        .prefetch_related("scope_programmes")
    }
    rows = []
    for spec in DEMO_USERS:
        user = users.get(spec.username)
        if user is None:
            continue
        if user.person_id:
            scope = [f"data sendiri ({user.person.full_name})"]
        else:
            scope = [str(user.scope_regency or user.scope_province or "nasional")]
            scope += [p.slug for p in user.scope_programmes.all()]
        rows.append(
            {
                "username": user.username,
                "role": user.get_role_display(),
                "scope": ", ".join(scope),
            }
        )
    return rows


def _bulk_create(
    model: type[Person] | type[Engagement],
    objs: list,
    *,
    share: float,
    progress: Callable[[float], None],
) -> None:
    for start in range(0, len(objs), BATCH):
        chunk = objs[start : start + BATCH]
        model.objects.bulk_create(chunk, batch_size=BATCH)
        progress(share * len(chunk) / len(objs))


@transaction.atomic
def demo_seed(
    *, people: int, seed: int, actor: User, progress: Callable[[float], None] | None = None
) -> dict[str, Any]:
    """Add ``people`` synthetic people with their engagements and flags, and the demo accounts.

    Deterministic for a given seed and region table (apart from the random ``uid``s). Only a
    national administrator may seed: the data spans every region and programme.
    ``progress`` is called with the share of the work (0-1) done since its last call.
    """
    progress = progress or (lambda share: None)
    access.require(
        access.can_write(actor)
        and actor.role == Role.NATIONAL_ADMIN
        and not actor.scope_province_id
        and access.programme_ids(actor) is None,
        "Hanya administrator nasional yang boleh mengisi data demo.",
    )
    if people < 1:
        raise ValidationError({"people": "Jumlah orang harus paling sedikit 1."})
    programmes = list(Programme.objects.order_by("kind", "slug"))
    if not programmes or not Regency.objects.exists():
        raise ValidationError(
            "Data rujukan belum dimuat: jalankan `python manage.py load_reference` terlebih dahulu."
        )
    started = time.monotonic()
    gen = _Generator(seed=seed, regions=_Regions.load(), programmes=programmes, actor=actor)
    plans = _plan(gen, people=people, progress=progress)

    _bulk_create(Person, [p.person for p in plans], share=0.3, progress=progress)
    engagements = [e for p in plans for e in p.engagements]
    for engagement in engagements:
        engagement.person_id = engagement.person.pk  # known only once the people are saved
    _bulk_create(Engagement, engagements, share=0.2, progress=progress)
    flags = [f for p in plans for f in p.flags]
    for flag in flags:
        flag.person_id = flag.person.pk
    Flag.objects.bulk_create(flags, batch_size=BATCH)
    two = [p.person.pk for p in plans if len(p.engagements) > 1]
    payment_flags = person_flags_refresh(person_ids=two, source=SOURCE)
    users = demo_users_create(pendamping_person=plans[0].person if plans[0].anchor else None)
    progress(1 - GENERATION_SHARE - 0.5)

    flag_codes = Counter(f.code for f in flags)
    flag_codes.update(
        Flag.objects.filter(
            code__in=[Flag.Code.CONCURRENT_PAID, Flag.Code.ASN_ALSO_PAID], person_id__in=two
        ).values_list("code", flat=True)
    )
    counts: dict[str, Any] = {
        "people": len(plans),
        "engagements": len(engagements),
        "two_engagements": sum(1 for p in plans if len(p.engagements) > 1),
        "flags": len(flags) + payment_flags,
        "flags_by_code": {str(code): n for code, n in sorted(flag_codes.items())},
        "users": users,
        "seed": seed,
    }
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        object_type="registry.demo",
        object_repr=f"Data demo ({len(plans)} orang)",
        changes=counts,
        note=(
            f"Data demo sintetis (seed {seed}): {counts['people']} orang, "
            f"{counts['engagements']} penugasan, {counts['flags']} tanda verifikasi, "
            f"{users} akun demo baru."
        ),
    )
    counts["seconds"] = round(time.monotonic() - started, 2)
    return counts
