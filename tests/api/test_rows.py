"""The API people list and detail write their rows from plain values (api.rows, issue 14):
what they answer must be, field by field, what the documented serializers (PersonOut,
EngagementOut) say, for every masking case: a role that sees NIKs, one that sees contacts
only, one that sees neither, a facilitator on their own record, and a scope that hides some
engagements."""

import datetime as dt
import json
from types import SimpleNamespace

import pytest
from django.utils import timezone
from rest_framework.renderers import JSONRenderer

from api.serializers import PersonOut
from registry import access as registry_access
from registry.models import Flag, Person
from tests.factories import EngagementFactory, PersonFactory, UserFactory, make_nik

PEOPLE_URL = "/api/v1/people/"


@pytest.fixture
def people(db, programmes):
    full = PersonFactory(
        full_name="Ani Rahmawati",
        name_key="ANI RAHMAWATI",
        titles_front="Hj.",
        titles_back="S.Sos",
        sex="P",
        birth_place="Bandung",
        birth_date=dt.date(1990, 3, 12),
        phone="081234567890",
        email="ani@example.id",
        nik=make_nik(regency="32.04", birth_date=dt.date(1990, 3, 12), sex="P", serial=11),
    )
    EngagementFactory(
        person=full,
        programme=programmes["pkh"],
        regency_id="32.04",
        district_id="32.04.05",
        sk_number="800/12/2024",
        sk_date=dt.date(2024, 1, 2),
        start_date=dt.date(2024, 2, 1),
        end_date=dt.date(2026, 12, 31),
        harmonised_level=4,
        position_level=4,
        unified_title="Pendamping Pembangunan Terampil",
        harmonisation={"version": "1", "rule": "R-4", "facts": ["S1"]},
    )
    # Outside a Bandung operator's scope: hidden from them, shown to the national admin.
    EngagementFactory(person=full, regency_id="35.07", monthly_incentive=None)
    Flag.objects.create(person=full, code=Flag.Code.NIK_SEX, reason="open")
    Flag.objects.create(person=full, code=Flag.Code.CONFLICT, reason="open")
    Flag.objects.create(
        person=full, code=Flag.Code.CONFLICT, reason="second, same code", source="impor"
    )
    Flag.objects.create(
        person=full, code=Flag.Code.NIK_BIRTH_DATE, reason="closed", resolved_at=timezone.now()
    )
    sparse = PersonFactory(
        full_name="Budi",
        name_key="BUDI",
        phone="",
        email="",
        nik=make_nik(regency="32.04", serial=12),
    )
    EngagementFactory(person=sparse, regency_id="32.04", start_date=None)
    return [full, sparse]


def _wire(data) -> object:
    return json.loads(JSONRenderer().render(data))


def _expected(user, person: Person) -> dict:
    person.visible_engagements = list(
        registry_access.engagements_visible(user, person.engagements.all())
        .select_related("programme", "person")
        .order_by("person_id", "programme_id", "regency_id")
    )
    person.open_flags = list(person.flags.filter(resolved_at__isnull=True))
    return _wire(PersonOut(person, context={"request": SimpleNamespace(user=user)}).data)


@pytest.mark.parametrize(
    "role, scope",
    [
        ("admin_nasional", {}),  # NIK and contacts, every engagement
        ("operator_kabkota", {"scope_province_id": "32", "scope_regency_id": "32.04"}),
        ("koordinator", {"scope_province_id": "32", "scope_regency_id": "32.04"}),  # contacts
        ("verifikator_kabkota", {"scope_province_id": "32", "scope_regency_id": "32.04"}),
        ("auditor", {}),  # neither NIK nor contacts
    ],
)
def test_list_rows_are_what_the_serializer_says(api_client_for, people, role, scope):
    user = UserFactory(role=role, password=None, **scope)
    if role == "koordinator":
        user.scope_programmes.set([people[0].engagements.first().programme_id])
    response = api_client_for(user).get(PEOPLE_URL)
    assert response.status_code == 200, response.content
    listed = {row["id"]: row for row in response.json()["results"]}
    assert listed, "the fixture's people are in every scope tried"
    for person in people:
        if str(person.uid) in listed:
            assert listed[str(person.uid)] == _expected(user, person)
    # and the detail endpoint answers each of them alike
    for uid, row in listed.items():
        detail = api_client_for(user).get(f"{PEOPLE_URL}{uid}/")
        assert detail.status_code == 200 and detail.json() == row


def test_a_facilitator_sees_their_own_row_as_the_serializer_says(api_client_for, people):
    own = people[0]
    user = UserFactory(role="pendamping", person=own, password=None)
    response = api_client_for(user).get(PEOPLE_URL)
    assert response.status_code == 200, response.content
    (row,) = response.json()["results"]
    assert row == _expected(user, own)
    assert row["nik"] == own.nik and row["phone"] == own.phone  # their own, unmasked


def test_masking_and_scope_really_differ_between_the_cases(api_client_for, people, national_admin):
    # The comparison above would pass trivially if every case looked alike.
    operator = UserFactory(
        role="koordinator", scope_province_id="32", scope_regency_id="32.04", password=None
    )
    ani = str(people[0].uid)
    admin_row = next(
        r
        for r in api_client_for(national_admin).get(PEOPLE_URL).json()["results"]
        if r["id"] == ani
    )
    operator_row = next(
        r for r in api_client_for(operator).get(PEOPLE_URL).json()["results"] if r["id"] == ani
    )
    assert admin_row["nik"] == people[0].nik and "*" in operator_row["nik"]
    assert len(admin_row["engagements"]) == 2 and len(operator_row["engagements"]) == 1
    assert admin_row["flags"] == ["data_bertentangan", "nik_jenis_kelamin"]
    by_level = {e["regency_code"]: e for e in admin_row["engagements"]}
    assert by_level["32.04"]["qualification_level"] == "IV"
    assert by_level["32.04"]["sk_date"] == "2024-01-02"
    assert by_level["35.07"]["monthly_incentive"] is None
