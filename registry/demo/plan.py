"""The plan of a seeding: every person, engagement and flag, generated before any insert."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from registry.demo.engagements import LAST_START, SECOND_ENGAGEMENT_SHARE, SECOND_SCENARIOS
from registry.demo.generator import Generator
from registry.demo.places import HOME_REGENCY
from registry.models import EmploymentStatus, Engagement, Flag, Person, Sex, Verification
from registry.nik import mask_nik, nik_check, nik_mismatches
from registry.services import name_key

SOURCE = "data demo"
GENERATION_SHARE = 0.4  # of the run time, for the progress bar; the inserts take the rest


@dataclass
class _Planned:
    """A person being generated, with the facts the flags are computed from."""

    person: Person
    engagements: list[Engagement] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    anchor: bool = False


def _month_after(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _second_engagement(gen: Generator, plan: _Planned, scenario: str) -> Engagement:
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
        assert first.end_date is not None  # gen.end just set it
        start = _month_after(first.end_date, gen.rng.randint(1, 6))
        return gen.engagement(person=person, programme=programme, regency=regency, start=start)
    # Concurrent: the second starts while the first runs (the first is active or was ended).
    if first.status == Engagement.Status.ENDED:
        first.status, first.end_date = Engagement.Status.ACTIVE, None
    assert first.start_date is not None  # the generator's engagements all start
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


def _misstate(gen: Generator, person: Person) -> None:
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


def _duplicate_of(gen: Generator, original: Person) -> Person:
    """Another record of the same person under another NIK: same name and birth date."""
    twin = gen.person(serving_regency=gen.regency_near(original.address_regency_id or HOME_REGENCY))
    twin.full_name = original.full_name.upper() if gen.rng.random() < 0.5 else original.full_name
    twin.name_key = name_key(twin.full_name)
    twin.sex, twin.birth_date = original.sex, original.birth_date
    gen.used_niks.discard(twin.nik)
    issue = original.nik[:4] if gen.rng.random() < 0.5 else twin.nik[:4]
    issue_regency = f"{issue[:2]}.{issue[2:]}"
    if issue_regency not in gen.regions.districts:
        assert twin.address_regency_id is not None  # generated people all have an address
        issue_regency = twin.address_regency_id
    twin.nik = gen.nik(issue_regency=issue_regency, birth_date=twin.birth_date, sex=twin.sex)
    return twin


def _nik_flags(gen: Generator, person: Person) -> list[Flag]:
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


def demo_plan(gen: Generator, *, people: int, progress: Callable[[float], None]) -> list[_Planned]:
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
        assert twin.address_regency_id is not None  # generated people all have an address
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
