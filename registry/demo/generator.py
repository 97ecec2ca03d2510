"""The seeded generator that makes demo people and engagements one at a time, in memory."""

import datetime as dt
import random
from typing import Any, TypeVar

from faker import Faker

from accounts.models import User
from regions.selectors import region_code_sets
from registry.demo.engagements import (
    DEFAULT_INCENTIVE_RANGE,
    DEFAULT_PROGRAMME_WEIGHT,
    FIRST_START,
    INCENTIVE_RANGES,
    LAST_END,
    LAST_START,
    LEGACY_TITLES,
    PROGRAMME_WEIGHTS,
    STATUS_WEIGHTS,
    STATUS_WEIGHTS_BY_PROGRAMME,
)
from registry.demo.people import (
    DEGREES,
    EDUCATION_WEIGHTS,
    EMAIL_DOMAINS,
    OLD_PAPUA_CODES,
    OLD_PAPUA_SHARE,
    OLD_S1_BEFORE,
    PHONE_PREFIXES,
)
from registry.demo.places import (
    HOME_PROVINCE,
    HOME_PROVINCE_SHARE,
    HOME_REGENCY,
    HOME_REGENCY_SHARE,
    Regions,
)
from registry.models import Education, EmploymentStatus, Engagement, Person, Programme, Sex
from registry.services import name_key

_T = TypeVar("_T")


class Generator:
    def __init__(self, *, seed: int, regions: Regions, programmes: list[Programme], actor: User):
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

    def _weighted(self, weights: dict[_T, int]) -> _T:
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
        assert engagement.start_date is not None  # the generator's engagements all start
        earliest = engagement.start_date + dt.timedelta(days=180)
        if earliest > latest:
            return False
        engagement.end_date = self._date_between(earliest, latest)
        engagement.status = Engagement.Status.ENDED
        return True
