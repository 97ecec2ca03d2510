"""Access rules that cut across endpoints: self-verification, fail-closed scopes, masking."""

import datetime as dt

import pytest
from django.urls import reverse

from registry import services
from registry.models import Verification
from tests.accounts.world import NEW_NIK, nik_of, phone_of


@pytest.mark.parametrize("role", ["admin_nasional", "admin_klaster"])
def test_nobody_verifies_their_own_entry(client, world, programmes, role):
    # given: the verifier-capable user enters a person themselves
    user = world.users[role]
    person = services.person_create(
        actor=user, nik=NEW_NIK, full_name="Rina Susanti", sex="L", birth_date=dt.date(1995, 6, 1)
    )
    services.engagement_create(
        actor=user,
        person=person,
        programme=programmes["anak"],
        regency_id="32.04",
        legacy_title="Sakti Peksos",
        employment_status="kontrak",
    )
    client.force_login(user)

    # when
    response = client.post(reverse("registry:person-verify", kwargs={"uid": person.uid}))

    # then
    assert response.status_code == 403
    person.refresh_from_db()
    assert person.verification == Verification.PENDING


def test_nobody_verifies_an_engagement_they_entered(client, world, programmes):
    # given: someone else registered the person; the national admin added an engagement
    user = world.users["admin_nasional"]
    services.engagement_create(
        actor=user,
        person=world.people["lina"],
        programme=programmes["pkh"],
        regency_id="32.04",
        legacy_title="Pendamping PKH",
        employment_status="kontrak",
    )
    client.force_login(user)

    # when
    response = client.post(
        reverse("registry:person-verify", kwargs={"uid": world.people["lina"].uid})
    )

    # then
    assert response.status_code == 403


@pytest.mark.parametrize("role", ["operator_kabkota_kosong", "admin_klaster_kosong"])
def test_a_scope_less_account_sees_nothing(client, world, role):
    # given
    client.force_login(world.users[role])

    # when
    response = client.get(reverse("registry:person-list"))

    # then
    assert response.status_code == 200
    assert len(response.context["page"]) == 0
    assert response.context["matching"].value == 0
    counts = {name: count.value for name, count in response.context["counts"].items()}
    assert counts == {"people": 0, "engagements": 0, "active": 0, "pending": 0}


def test_history_does_not_leak_the_phone_to_an_auditor(client, world):
    # given: the create audit entry holds the phone number
    client.force_login(world.users["auditor"])

    # when
    response = client.get(
        reverse("registry:person-detail", kwargs={"uid": world.people["ani"].uid})
    )

    # then
    assert phone_of("ani") not in response.content.decode()


@pytest.mark.parametrize("page", ["person-detail", "audit"])
def test_merge_history_does_not_leak_niks_to_an_auditor(client, world, page):
    # given
    services.person_merge(
        actor=world.users["admin_nasional"], keep=world.people["dewi1"], merge=world.people["dewi2"]
    )
    client.force_login(world.users["auditor"])
    url = (
        reverse("registry:person-detail", kwargs={"uid": world.people["dewi1"].uid})
        if page == "person-detail"
        else reverse("accounts-audit-list")
    )

    # when
    body = client.get(url).content.decode()

    # then
    assert nik_of("dewi1") not in body
    assert nik_of("dewi2") not in body


def test_merge_with_a_malformed_id_is_not_found(client, world):
    # given
    client.force_login(world.users["admin_nasional"])
    client.raise_request_exception = False

    # when
    response = client.post(reverse("registry:person-merge"), {"keep": "abc", "merge": "def"})

    # then
    assert response.status_code == 404
