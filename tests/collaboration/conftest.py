"""A small world: one regency (Kab. Bandung, 32.04), one operator, verifier and cluster
administrator for the elderly cluster, and two facilitators of different clusters with accounts."""

import datetime as dt
from types import SimpleNamespace

import pytest

from tests.factories import EngagementFactory, PersonFactory, UserFactory, make_nik

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
DISTRICT = "32.04.05"
VILLAGE = "32.04.05.2001"


def facilitator(username: str, programme, serial: int, sex: str = "P"):
    birth = dt.date(1988, 1, 15)
    person = PersonFactory(
        full_name=username.title(),
        name_key=username.upper(),
        sex=sex,
        birth_date=birth,
        nik=make_nik(birth_date=birth, sex=sex, serial=serial),
        email=f"{username}@contoh.id",
        phone=f"+62812000000{serial}",
    )
    engagement = EngagementFactory(
        person=person, programme=programme, district_id=DISTRICT, village_id=VILLAGE
    )
    user = UserFactory(username=username, role="pendamping", person=person, email=person.email)
    return SimpleNamespace(person=person, engagement=engagement, user=user)


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    # Each world has nine accounts; the default hasher would spend seconds on them.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db, programmes):
    lu = programmes["lanjut-usia"]
    operator = UserFactory(
        username="op-bdg",
        role="operator_kabkota",
        scope_province_id="32",
        scope_regency_id="32.04",
        email="op@contoh.id",
    )
    verifier = UserFactory(
        username="ver-bdg",
        role="verifikator_kabkota",
        scope_province_id="32",
        scope_regency_id="32.04",
        email="ver@contoh.id",
    )
    admin_lu = UserFactory(username="adm-lu", role="admin_klaster", programmes=[lu])
    coordinator_lu = UserFactory(
        username="koord-lu",
        role="koordinator",
        scope_province_id="32",
        scope_regency_id="32.04",
        programmes=[lu],
    )
    coordinator_anak = UserFactory(
        username="koord-anak",
        role="koordinator",
        scope_province_id="32",
        scope_regency_id="32.04",
        programmes=[programmes["anak"]],
    )
    operator_out = UserFactory(
        username="op-sby",
        role="operator_kabkota",
        scope_province_id="35",
        scope_regency_id="35.78",
    )
    auditor = UserFactory(username="audit", role="auditor")
    rina = facilitator("rina", lu, 71)
    budi = facilitator("budi", programmes["pkh"], 72, sex="L")
    return SimpleNamespace(**locals())
