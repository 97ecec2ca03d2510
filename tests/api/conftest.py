"""API fixtures: token-authenticated clients and a few people on real regions."""

import datetime as dt

import pytest
from rest_framework.test import APIClient

from accounts.services import api_token_create
from tests.factories import EngagementFactory, PersonFactory, UserFactory, make_nik


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    # PBKDF2 at full strength costs ~0.3 s per hash; these tests check the flow, not the hash.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def api_client_for(db):
    """``api_client_for(user)``: a client sending ``Authorization: Token <key>`` for that user."""

    def make(user) -> APIClient:
        _, key = api_token_create(user=user)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        return client

    return make


@pytest.fixture
def admin_api(api_client_for, national_admin) -> APIClient:
    return api_client_for(national_admin)


@pytest.fixture
def regency_operator(db):
    return UserFactory(
        username="op-bandung",
        role="operator_kabkota",
        scope_province_id="32",
        scope_regency_id="32.04",
        password=None,
    )


@pytest.fixture
def roster(db, programmes):
    """Four people: one per filter worth telling apart."""
    ani = PersonFactory(
        full_name="Ani Rahmawati",
        name_key="ANI RAHMAWATI",
        sex="P",
        birth_date=dt.date(1990, 3, 12),
        nik=make_nik(regency="32.04", birth_date=dt.date(1990, 3, 12), sex="P", serial=11),
    )
    lukas = PersonFactory(
        full_name="Lukas Hutapea",
        name_key="LUKAS HUTAPEA",
        birth_date=dt.date(1982, 1, 20),
        nik=make_nik(regency="32.73", birth_date=dt.date(1982, 1, 20), serial=12),
        verification="terverifikasi",
    )
    sari = PersonFactory(
        full_name="Sari Wulandari",
        name_key="SARI WULANDARI",
        sex="P",
        birth_date=dt.date(1988, 7, 30),
        nik=make_nik(regency="35.78", birth_date=dt.date(1988, 7, 30), sex="P", serial=13),
    )
    budi = PersonFactory(
        full_name="Budi Santoso",
        name_key="BUDI SANTOSO",
        birth_date=dt.date(1980, 9, 9),
        nik=make_nik(regency="32.04", birth_date=dt.date(1980, 9, 9), serial=14),
    )
    EngagementFactory(
        person=ani,
        programme=programmes["anak"],
        regency_id="32.04",
        district_id="32.04.05",
        harmonised_level=3,
    )
    EngagementFactory(
        person=lukas, programme=programmes["lanjut-usia"], regency_id="32.73", harmonised_level=5
    )
    EngagementFactory(
        person=sari,
        programme=programmes["pkh"],
        regency_id="35.78",
        status="berakhir",
        end_date=dt.date(2024, 12, 31),
    )
    EngagementFactory(person=budi, programme=programmes["tksk"], regency_id="32.04")
    return {"ani": ani, "lukas": lukas, "sari": sari, "budi": budi}
