"""The competency API: scoped like the web pages."""

import pytest
from rest_framework.test import APIClient

from tests.competency.conftest import U
from tests.factories import EngagementFactory, UserFactory


@pytest.fixture
def api(db):
    return APIClient()


def test_path_certificates_and_credential(api, person, certify):
    EngagementFactory(person=person)
    certificate = certify(person, [1, 2, 3], level=3)
    api.force_authenticate(UserFactory(role="admin_nasional"))

    path = api.get(f"/api/v1/competency/people/{person.uid}/path/").json()
    listing = api.get("/api/v1/competency/certificates/").json()
    credential = api.get(f"/api/v1/competency/certificates/{certificate.uid}/credential/").json()

    assert path["attained_level"] == 3 and path["next_level"] == 4
    assert path["missing_core_units"] == [U[5]]
    assert {u["source"] for u in path["units"]} == {"sertifikat"}
    assert listing["results"][0]["number"] == certificate.number
    assert credential["envelope"]["type"] == "EnvelopedVerifiableCredential"


def test_needs_and_promotions(api, person, certify, actor):
    EngagementFactory(person=person, harmonised_level=3, position_level=3)
    certify(person, [1, 2, 3, 4, 5])
    from competency import services

    provider = services.training_provider_create(actor=actor, name="Balai Uji")
    services.course_create(
        actor=actor,
        provider=provider,
        code="lanjut",
        title="Lanjut",
        hours=20,
        mode="daring",
        unit_codes=[U[7], U[6]],
    )
    api.force_authenticate(UserFactory(role="admin_nasional"))

    needs = api.get("/api/v1/competency/needs/").json()
    promotions = api.get("/api/v1/competency/promotions/").json()

    assert needs["people"] == 1 and needs["by_level"] == {"4": 1}
    assert needs["courses"][0] == {
        "code": "lanjut",
        "title": "Lanjut",
        "hours": 20,
        "people_moved_up": 1,
    }
    assert promotions["results"][0]["attained_level"] == 4
    assert promotions["results"][0]["current_level"] == 3


def test_a_facilitator_cannot_read_needs(api, person, framework):
    api.force_authenticate(UserFactory(role="pendamping", person=person))

    assert api.get("/api/v1/competency/needs/").status_code == 403
