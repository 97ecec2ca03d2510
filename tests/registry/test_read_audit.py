"""Reads of personal data are audited for the national auditor (issue 22)."""

import pytest
from django.urls import reverse

from accounts.models import AuditEntry
from accounts.services import api_token_create
from tests.factories import EngagementFactory, PersonFactory, UserFactory


@pytest.fixture
def person(db, programmes):
    person = PersonFactory(full_name="Ani Rahmawati")
    EngagementFactory(person=person, programme=programmes["anak"])
    return person


def test_opening_a_person_page_is_a_read_entry(client, person, national_admin):
    # given
    client.force_login(national_admin)

    # when
    response = client.get(reverse("registry:person-detail", kwargs={"uid": person.uid}))

    # then
    assert response.status_code == 200
    entry = AuditEntry.objects.get(action="baca")
    assert (entry.actor, entry.person_id_ref, entry.object_type) == (
        national_admin,
        person.pk,
        "registry.person",
    )
    assert entry.changes == {"via": "web", "nik_masked": False}
    # the reads are for the auditor, not the person's history on the page
    assert entry not in response.context["history"]


def test_an_api_detail_read_is_a_read_entry_with_masking(client, person):
    # given
    auditor = UserFactory(role="auditor", password=None)
    _, key = api_token_create(user=auditor)

    # when
    client.get(
        reverse("api:person-detail", kwargs={"uid": person.uid}),
        HTTP_AUTHORIZATION=f"Token {key}",
    )

    # then
    entry = AuditEntry.objects.get(action="baca")
    assert (entry.actor, entry.person_id_ref) == (auditor, person.pk)
    assert entry.changes == {"via": "api", "nik_masked": True}


def test_the_auditor_finds_the_reads_in_the_audit_view(client, person, national_admin):
    # given
    client.force_login(national_admin)
    client.get(reverse("registry:person-detail", kwargs={"uid": person.uid}))
    auditor = UserFactory(role="auditor", username="auditor-nasional", password=None)
    client.force_login(auditor)

    # when
    response = client.get(reverse("accounts-audit-list"), {"action": "baca"})

    # then
    listed = list(response.context["page"])
    assert [e.actor for e in listed] == [national_admin]
    body = response.content.decode()
    assert "Baca data pribadi" in body
    assert 'href="?action=baca"' in body and 'href="?action=unduh"' in body
