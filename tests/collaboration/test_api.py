"""The collaboration API under /api/v1/kolaborasi/."""

import datetime as dt

import pytest
from rest_framework.test import APIClient

from collaboration.models import Referral, Request
from tests.api_errors import field_errors

pytestmark = [pytest.mark.django_db]
BASE = "/api/v1/kolaborasi"


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_request_round_trip_and_self_approval_refused(world):
    e = world.rina.engagement
    created = api(world.operator).post(
        f"{BASE}/requests/",
        {
            "kind": "kenaikan_jenjang",
            "person": str(e.person.uid),
            "engagement": str(e.uid),
            "payload": {"level": 5, "sk_number": "SK-9", "sk_date": "2026-01-10"},
            "effective_date": "2026-02-01",
            "source": "mesin_kualifikasi",
            "evidence": {"attained": 5},
        },
        format="json",
    )
    assert created.status_code == 201, created.data
    uid = created.data["uid"]

    refused = api(world.operator).post(f"{BASE}/requests/{uid}/", {"action": "verifikasi"})
    assert refused.status_code == 403
    assert "sendiri" in refused.data["detail"]

    assert (
        api(world.verifier).post(f"{BASE}/requests/{uid}/", {"action": "verifikasi"}).status_code
        == 200
    )
    done = api(world.admin_lu).post(f"{BASE}/requests/{uid}/", {"action": "setujui"})
    assert done.data["status"] == "disetujui"
    e.refresh_from_db()
    assert (e.position_level, e.position_effective_date) == (5, dt.date(2026, 2, 1))
    assert api(world.verifier).get(f"{BASE}/inbox/counts/").data["requests"] == 0


def test_referral_api_masks_nik_for_non_parties(world, programmes):
    body = {
        "village": "32.04.05.2001",
        "receiver_programme": "lanjut-usia",
        "receiver": world.rina.user.pk,
        "subject_name": "Mbah Sarinah",
        "subject_nik": "3204054508450001",
        "need": "Alat bantu",
        "urgency": "darurat",
    }
    assert api(world.budi.user).post(f"{BASE}/referrals/", body).status_code == 400
    created = api(world.budi.user).post(f"{BASE}/referrals/", {**body, "consent": True})
    assert created.status_code == 201
    uid = created.data["uid"]
    assert api(world.rina.user).get(f"{BASE}/referrals/{uid}/").data["subject_nik"] == (
        "3204054508450001"
    )
    assert api(world.auditor).get(f"{BASE}/referrals/{uid}/").data["subject_nik"] == (
        "3204************"
    )
    assert api(world.operator_out).get(f"{BASE}/referrals/{uid}/").status_code == 404
    accepted = api(world.rina.user).post(f"{BASE}/referrals/{uid}/", {"action": "terima"})
    assert accepted.data["status"] == Referral.Status.ACCEPTED
    stats = api(world.auditor).get(f"{BASE}/referrals/stats/").data
    assert stats[0]["answered"] == 1


def test_area_team_api(world):
    rows = api(world.coordinator_lu).get(f"{BASE}/area-team/32.04.05/").data
    assert {r["name"] for r in rows} >= {"Rina", "Budi"}
    assert api(world.auditor).get(f"{BASE}/requests/").status_code == 200
    assert Request.objects.count() == 0


def test_client_cannot_forge_provenance_of_a_request(world):
    # given: an operator claims the qualification engine proposed this, with made-up evidence
    e = world.rina.engagement
    body = {
        "kind": "kenaikan_jenjang",
        "person": str(e.person.uid),
        "engagement": str(e.uid),
        "payload": {"level": 5, "sk_number": "SK-9", "sk_date": "2026-01-10"},
        "effective_date": "2026-02-01",
        "source": "mesin_kualifikasi",
        "evidence": {"attained": 5, "units": ["palsu"]},
        "status": "disetujui",
        "submitted_by": world.admin_lu.pk,
    }

    # when
    created = api(world.operator).post(f"{BASE}/requests/", body, format="json")

    # then: stored as the operator's own proposal, waiting for the checker
    assert created.status_code == 201, created.data
    stored = Request.objects.get(uid=created.data["uid"])
    assert stored.source == Request.Source.OPERATOR
    assert stored.evidence == {}
    assert stored.status == Request.Status.SUBMITTED
    assert stored.submitted_by == world.operator
    assert created.data["source"] == "operator"


def _proposal(e, kind: str, payload: dict) -> dict:
    return {
        "kind": kind,
        "person": str(e.person.uid),
        "engagement": str(e.uid),
        "payload": payload,
        "effective_date": "2026-02-01",
    }


@pytest.mark.parametrize(
    ("kind", "payload", "field"),
    [
        ("perpanjangan_kontrak", {"end_date": "31-02-2026", "sk_number": "SK-1"}, "end_date"),
        ("perpanjangan_kontrak", {"end_date": "2026-02-31", "sk_number": "SK-1"}, "end_date"),
        (
            "kenaikan_jenjang",
            {"level": "IX", "sk_number": "SK-9", "sk_date": "2026-01-10"},
            "level",
        ),
        ("kenaikan_jenjang", {"level": 99, "sk_number": "SK-9", "sk_date": "2026-01-10"}, "level"),
        ("kenaikan_jenjang", {"level": 5, "sk_number": "SK-9", "sk_date": "9999-01-10"}, "sk_date"),
        ("kenaikan_jenjang", {"level": 5, "sk_number": "SK-9", "sk_date": [2026]}, "sk_date"),
        ("mutasi", {"regency_id": {"code": "32.73"}, "sk_number": "SK-2"}, "regency_id"),
        ("mutasi", {"regency_id": "99.99", "sk_number": "SK-2"}, "regency_id"),
    ],
)
def test_bad_payload_is_a_400_naming_the_field(world, kind, payload, field):
    # given
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(world.operator)

    # when
    response = client.post(
        f"{BASE}/requests/", _proposal(world.rina.engagement, kind, payload), format="json"
    )

    # then
    assert response.status_code == 400, response.content
    assert field in field_errors(response), field_errors(response)
    assert not Request.objects.exists()


def test_referral_api_refuses_a_receiver_outside_the_village_district(world, programmes):
    # given: an operator of another province, addressed by user id through the API
    body = {
        "village": "32.04.05.2001",
        "receiver_programme": "lanjut-usia",
        "receiver": world.operator_out.pk,
        "subject_name": "Anak A",
        "subject_nik": "3204054508150001",
        "need": "Pendampingan",
        "urgency": "tinggi",
        "consent": True,
    }

    # when
    refused = api(world.budi.user).post(f"{BASE}/referrals/", body)

    # then: refused on the receiver field, nothing written
    assert refused.status_code == 400
    assert "Cileunyi" in str(field_errors(refused)["receiver"])
    assert not Referral.objects.exists()
